package dev.tokenreprice.samples;

import dev.tokenreprice.cli.UsageException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Writes one {@link LogOutput} with Spark's writers and leaves only log files behind: Spark's part files
 * renamed to {@code logs-MONTH[-NNNNN].ext}, its {@code _SUCCESS} and {@code .crc} files removed, so the
 * directory reads as a log export rather than a Spark output.
 */
final class LogFileWriter {
  /** What a generator run leaves, or what Spark leaves when a run fails half-way: safe to replace. */
  private static final List<String> REPLACEABLE_ENDINGS =
      List.of(".jsonl", ".parquet", ".txt", ".crc", "_SUCCESS", "_temporary");

  private final LogOutput output;
  private final FileSystem fs;
  private final Path directory;

  private LogFileWriter(LogOutput output, FileSystem fs, Path directory) {
    this.output = output;
    this.fs = fs;
    this.directory = directory;
  }

  /**
   * Checks, before any data is computed, that the directory can be replaced: it must not exist or hold
   * only what a generator run writes, so a mistyped {@code --out} cannot delete anything else.
   */
  static LogFileWriter prepare(LogOutput output, Configuration hadoopConf) {
    Path directory = new Path(output.directory());
    try {
      FileSystem fs = directory.getFileSystem(hadoopConf);
      if (fs.exists(directory)) {
        if (!fs.getFileStatus(directory).isDirectory()) {
          throw new UsageException("Cannot replace " + output.directory() + ": it is a file, not a directory"
              + " (give --out a directory to write the logs into)");
        }
        for (FileStatus entry : fs.listStatus(directory)) {
          String name = entry.getPath().getName();
          if (REPLACEABLE_ENDINGS.stream().noneMatch(name::endsWith)) {
            throw new UsageException("Cannot replace " + output.directory() + ": it holds " + name
                + ", which the generator did not write (it would be deleted; give --out a new directory)");
          }
        }
      }
      return new LogFileWriter(output, fs, fs.makeQualified(directory));
    } catch (IOException e) {
      throw new UsageException("--out " + output.directory() + " cannot be used: " + e.getMessage(), e);
    }
  }

  /** Replaces the directory with the records' files and returns their names in order. */
  List<String> write(Dataset<Row> records) throws IOException {
    if (fs.exists(directory) && !fs.delete(directory, true)) {
      throw new IOException("cannot delete " + directory + " to replace it");
    }
    switch (output.format()) {
      case JSONL -> records.write().text(directory.toString());
      case PARQUET -> records.write().parquet(directory.toString());
      case SQLITE -> throw new IllegalArgumentException("the generator writes JSONL or Parquet, not SQLite");
    }
    return renameParts();
  }

  LogOutput output() {
    return output;
  }

  private List<String> renameParts() throws IOException {
    List<FileStatus> parts = new ArrayList<>(Arrays.stream(fs.listStatus(directory))
        .filter(status -> status.isFile() && status.getPath().getName().startsWith("part-"))
        .toList());
    // Part numbers follow the row ranges, so sorting by name keeps the files in request-id order.
    parts.sort(Comparator.comparing(status -> status.getPath().getName()));
    List<String> files = new ArrayList<>();
    for (int i = 0; i < parts.size(); i++) {
      String name = parts.size() == 1 ? output.baseName() + output.extension()
          : String.format(Locale.ROOT, "%s-%05d%s", output.baseName(), i, output.extension());
      Path target = new Path(directory, name);
      if (!fs.rename(parts.get(i).getPath(), target)) {
        throw new IOException("cannot rename " + parts.get(i).getPath() + " to " + target);
      }
      files.add(name);
    }
    // Listed on the raw file system: the local one hides its .crc files from listings.
    FileSystem raw = fs instanceof ChecksumFileSystem checksummed ? checksummed.getRawFileSystem() : fs;
    for (FileStatus leftover : raw.listStatus(directory)) {
      String name = leftover.getPath().getName();
      if (name.startsWith("_") || name.startsWith(".")) {
        raw.delete(leftover.getPath(), true);
      }
    }
    return files;
  }
}
