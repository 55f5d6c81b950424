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
    Map<String, InputFile> files = new LinkedHashMap<>();
    for (LogInput input : inputs) {
      List<InputFile> matched = expand(input.path(), format, hadoopConf);
      if (matched.isEmpty()) {
        throw new UsageException("input " + input.path() + " holds no log files (expected " + FileFormat.knownExtensions()
            + " files, or give --format jsonl|parquet)");
      }
      for (InputFile file : matched) {
        if (files.containsKey(file.path())) {
          continue;
        }
        LogFormat logFormat;
        if (input.logFormat().equals(LogFormats.AUTO)) {
          logFormat = new FormatDetector(logFormats.detectable(input.featureKey()), hadoopConf, spark)
              .detect(file.path(), file.format());
        } else {
          logFormat = logFormats.named(input.logFormat(), input.featureKey());
        }
        files.put(file.path(), new InputFile(file.path(), file.format(), logFormat, file.sizeBytes(),
            file.modifiedMillis()));
      }
    }
    return List.copyOf(files.values());
  }

  private static List<InputFile> expand(String input, Optional<FileFormat> format, Configuration hadoopConf) {
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
            if (!isHidden(file.getPath(), match.getPath())) {
              formatOf(file, format).ifPresent(f -> files.add(inputFile(file, f)));
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
