package dev.tokenreprice.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenreprice.cli.UsageException;
import dev.tokenreprice.input.InputFile;
import dev.tokenreprice.output.ManifestWriter;
import dev.tokenreprice.output.OutputFiles;
import dev.tokenreprice.output.RunManifest;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The last published run recorded in {@code DIR/runs/}: the input files it read (path, size, modification time)
 * and the days each file's records fell on, so {@code --since-last-run} can tell which days changed.
 */
public record PreviousRun(String runId, Instant finishedAt, Map<String, RecordedFile> files) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One input file as the run's manifest recorded it. */
  public record RecordedFile(long sizeBytes, long modifiedMillis, List<LocalDate> days) {
    boolean sameAs(InputFile file) {
      return sizeBytes == file.sizeBytes() && modifiedMillis == file.modifiedMillis();
    }
  }

  public PreviousRun {
    files = Map.copyOf(files);
  }

  /**
   * The published run with the latest {@code finished_at} among {@code outDir/runs/*}{@code /manifest.json};
   * empty when there is none (a first run). Strict failures are not published runs: their days stay due.
   */
  public static Optional<PreviousRun> lastPublished(Path outDir, Configuration hadoopConf) throws IOException {
    FileSystem fs = outDir.getFileSystem(hadoopConf);
    Path runs = new Path(outDir, OutputFiles.RUNS);
    if (!fs.isDirectory(runs)) {
      return Optional.empty();
    }
    Optional<PreviousRun> latest = Optional.empty();
    for (FileStatus run : fs.listStatus(runs)) {
      Path manifest = new Path(run.getPath(), ManifestWriter.FILE_NAME);
      if (!run.isDirectory() || !fs.exists(manifest)) {
        continue;
      }
      Optional<PreviousRun> recorded = read(fs, manifest);
      if (recorded.isPresent() && (latest.isEmpty() || recorded.get().finishedAt().isAfter(latest.get().finishedAt()))) {
        latest = recorded;
      }
    }
    return latest;
  }

  private static Optional<PreviousRun> read(FileSystem fs, Path manifest) throws IOException {
    try (InputStream in = fs.open(manifest)) {
      JsonNode root = JSON.readTree(in);
      if (!RunManifest.STATUS_PUBLISHED.equals(root.path("status").asText())) {
        return Optional.empty();
      }
      Map<String, RecordedFile> files = new TreeMap<>();
      for (JsonNode file : root.path("input_files")) {
        List<LocalDate> days = new ArrayList<>();
        file.path("days").forEach(day -> days.add(LocalDate.parse(day.asText())));
        files.put(file.path("path").asText(), new RecordedFile(file.path("size_bytes").asLong(),
            Instant.parse(file.path("modified_at").asText()).toEpochMilli(), List.copyOf(days)));
      }
      return Optional.of(new PreviousRun(root.path("run_id").asText(), Instant.parse(root.path("finished_at").asText()),
          files));
    } catch (DateTimeParseException | com.fasterxml.jackson.core.JacksonException e) {
      throw new UsageException("run manifest " + manifest + " cannot be read: " + e.getMessage().lines().findFirst().orElse("")
          + " (restore or remove it, or run without --since-last-run)", e);
    }
  }

  /** The files that are new or whose size or modification time differ from what this run recorded. */
  public List<InputFile> changed(List<InputFile> current) {
    return current.stream()
        .filter(file -> !files.containsKey(file.path()) || !files.get(file.path()).sameAs(file))
        .toList();
  }

  /**
   * The days this run recorded for files that changed or are gone: their old rows may have left those days,
   * which must then be priced again without them.
   */
  public SortedSet<LocalDate> recordedDaysOfChangedOrRemoved(List<InputFile> current) {
    Set<String> unchanged = new HashSet<>();
    current.stream().filter(file -> files.containsKey(file.path()) && files.get(file.path()).sameAs(file))
        .forEach(file -> unchanged.add(file.path()));
    SortedSet<LocalDate> days = new TreeSet<>();
    files.forEach((path, file) -> {
      if (!unchanged.contains(path)) {
        days.addAll(file.days());
      }
    });
    return days;
  }
}
