package dev.tokenreprice.input;

import dev.tokenreprice.cli.LogInput;
import dev.tokenreprice.cli.UsageException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.SparkSession;

/**
 * Expands the {@code --input} arguments (files, directories, globs, on any Hadoop file system) into the
 * list of files to read, before any data is read: a path that matches nothing is a usage error.
 */
public final class InputFiles {
  private InputFiles() {}

  /**
   * Lists the files of every input and gives each its log format: the one named for its input, or with
   * {@code auto} the one its first records show. A file named by two inputs is read once, as the first says.
   */
  public static List<InputFile> resolve(List<LogInput> inputs, Optional<FileFormat> format, Configuration hadoopConf,
      LogFormats logFormats, SparkSession spark) {
    return list(inputs, format, hadoopConf, logFormats, spark).read();
  }

  /** The files the inputs hold: those the run reads, and those it does not, each with the reason. */
  public record Listing(List<InputFile> read, List<NotReadFile> notRead) {
    public Listing {
      read = List.copyOf(read);
      notRead = List.copyOf(notRead);
    }

    /** The files not read because they are damaged: empty, unreadable, cut short. */
    public List<NotReadFile> damaged() {
      return notRead.stream().filter(NotReadFile::damaged).toList();
    }
  }

  /** The same as {@link #resolve}, also listing the files of the inputs' directories that are not read. */
  public static Listing list(List<LogInput> inputs, Optional<FileFormat> format, Configuration hadoopConf,
      LogFormats logFormats, SparkSession spark) {
    Map<String, InputFile> files = new LinkedHashMap<>();
    Map<String, NotReadFile> notRead = new LinkedHashMap<>();
    for (LogInput input : inputs) {
      List<NotReadFile> unreadHere = new ArrayList<>();
      List<InputFile> matched = expand(input.path(), format, hadoopConf, unreadHere);
      boolean auto = input.logFormat().equals(LogFormats.AUTO);
      LogFormat named = auto ? null : logFormats.named(input.logFormat(), input.featureKey());
      String inputItself = qualified(input.path(), hadoopConf);
      for (InputFile file : matched) {
        if (files.containsKey(file.path())) {
          continue;
        }
        // A file the input names itself is read whatever its name; one of a directory or glob, by the format's names.
        boolean inDirectory = !qualified(file.path(), hadoopConf).equals(inputItself);
        String name = new Path(file.path()).getName();
        if (!auto && inDirectory && !named.readsFileNamed(name)) {
          unreadHere.add(new NotReadFile(file.path(), "not a " + named.name() + " file: in a directory it reads only "
              + String.join(", ", named.fileNames())));
          continue;
        }
        // Before the format is told from its first records: a damaged file would fail that too.
        Optional<String> damage = DamagedFiles.damage(file, hadoopConf);
        if (damage.isPresent()) {
          unreadHere.add(new NotReadFile(file.path(), damage.get(), true));
          continue;
        }
        Optional<LogFormat> logFormat = auto
            ? new FormatDetector(logFormats.detectable(input.featureKey()), hadoopConf, spark)
                .detected(file.path(), file.format())
            : Optional.of(named);
        if (logFormat.isEmpty()) {
          if (!isJsonDocument(name)) {
            throw FormatDetector.cannotTell(file.path());
          }
          // sessions-index.json, *.meta.json, an export's manifest.json: a document beside the logs, not a log.
          unreadHere.add(new NotReadFile(file.path(), "no log format matches its first records, and its name says it"
              + " is a JSON document (*.json), not a log"));
          continue;
        }
        files.put(file.path(), new InputFile(file.path(), file.format(), logFormat.get(), file.sizeBytes(),
            file.modifiedMillis()));
      }
      if (matched.isEmpty() || files.values().stream().noneMatch(file -> matched.stream()
          .anyMatch(m -> m.path().equals(file.path())))) {
        throw new UsageException("input " + input.path() + " holds no log files (expected " + FileFormat.knownExtensions()
            + " files, or give --format jsonl|parquet)" + (unreadHere.isEmpty() ? ""
                : "; not read: " + unreadHere.get(0).path() + " (" + unreadHere.get(0).reason() + ")"
                    + (unreadHere.size() > 1 ? " and " + (unreadHere.size() - 1) + " more" : "")));
      }
      unreadHere.forEach(file -> notRead.putIfAbsent(file.path(), file));
    }
    files.keySet().forEach(notRead::remove);
    return new Listing(List.copyOf(files.values()), List.copyOf(notRead.values()));
  }

  /** The path as its file system qualifies it, so that an input and a file it names compare equal. */
  private static String qualified(String path, Configuration hadoopConf) {
    try {
      Path qualified = new Path(path);
      return qualified.getFileSystem(hadoopConf).makeQualified(qualified).toString();
    } catch (IOException e) {
      throw new UsageException("input " + path + " cannot be listed: " + e.getMessage(), e);
    }
  }

  /** Whether the file's name says it is one JSON document ({@code *.json}, compressed or not) rather than JSON lines. */
  static boolean isJsonDocument(String name) {
    String lower = name.toLowerCase(java.util.Locale.ROOT);
    return lower.endsWith(".json") || lower.endsWith(".json.gz");
  }

  private static List<InputFile> expand(String input, Optional<FileFormat> format, Configuration hadoopConf,
      List<NotReadFile> notRead) {
    Path pattern = new Path(input);
    try {
      FileSystem fs = pattern.getFileSystem(hadoopConf);
      FileStatus[] matches = fs.globStatus(pattern);
      if (matches == null || matches.length == 0) {
        throw new UsageException("input " + input + " does not exist (check the path given to --input)");
      }
      List<InputFile> files = new ArrayList<>();
      for (FileStatus match : matches) {
        if (match.isDirectory()) {
          RemoteIterator<LocatedFileStatus> listing = fs.listFiles(match.getPath(), true);
          while (listing.hasNext()) {
            LocatedFileStatus file = listing.next();
            if (isHidden(file.getPath(), match.getPath())) {
              notRead.add(new NotReadFile(file.getPath().toString(),
                  "hidden: its name or a folder's starts with _ or . (Spark and Hadoop markers)"));
              continue;
            }
            Optional<FileFormat> known = formatOf(file, format);
            if (known.isPresent()) {
              files.add(inputFile(file, known.get()));
            } else {
              notRead.add(new NotReadFile(file.getPath().toString(), "no log file extension ("
                  + FileFormat.knownExtensions() + "); give --format jsonl|parquet to read every file as one"));
            }
          }
        } else {
          FileFormat f = formatOf(match, format).orElseThrow(() -> new UsageException("input " + match.getPath()
              + " has no known extension (" + FileFormat.knownExtensions() + "): give --format jsonl|parquet"));
          files.add(inputFile(match, f));
        }
      }
      files.sort(Comparator.comparing(InputFile::path));
      return files;
    } catch (IOException e) {
      throw new UsageException("input " + input + " cannot be listed: " + e.getMessage(), e);
    }
  }

  private static Optional<FileFormat> formatOf(FileStatus file, Optional<FileFormat> format) {
    return format.isPresent() ? format : FileFormat.fromFileName(file.getPath().getName());
  }

  /** Spark's and Hadoop's own markers (_SUCCESS, .crc files, _temporary/) are not logs. */
  private static boolean isHidden(Path file, Path root) {
    for (Path p = file; p != null && !p.equals(root); p = p.getParent()) {
      String name = p.getName();
      if (name.startsWith("_") || name.startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  private static InputFile inputFile(FileStatus status, FileFormat format) {
    return new InputFile(status.getPath().toString(), format, LogFormat.CANONICAL, status.getLen(),
        status.getModificationTime());
  }
}
