package dev.tokenreprice.input;

import dev.tokenreprice.cli.UsageException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** How a token log file is stored. */
public enum FileFormat {
  JSONL("jsonl", List.of(".jsonl", ".jsonl.gz", ".json", ".json.gz", ".ndjson", ".ndjson.gz")),
  PARQUET("parquet", List.of(".parquet")),
  /** A SQLite database (OpenCode's opencode.db): read only by a format with a {@code sqlite-query} step. */
  SQLITE("sqlite", List.of(".db"));

  private final String flagValue;
  private final List<String> extensions;

  FileFormat(String flagValue, List<String> extensions) {
    this.flagValue = flagValue;
    this.extensions = extensions;
  }

  public String flagValue() {
    return flagValue;
  }

  /** The format a file name's extension says, if it says one. */
  public static Optional<FileFormat> fromFileName(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return Arrays.stream(values())
        .filter(format -> format.extensions.stream().anyMatch(lower::endsWith))
        .findFirst();
  }

  /** Every extension a format is recognized by, for messages. */
  public static String knownExtensions() {
    return String.join(", ", Arrays.stream(values()).flatMap(format -> format.extensions.stream()).toList());
  }

  public static FileFormat fromFlag(String value) {
    // A database is known by its extension only: --format reads every file of an input as one of the log files.
    return Arrays.stream(values())
        .filter(format -> format != SQLITE && format.flagValue.equals(value.toLowerCase(Locale.ROOT)))
        .findFirst()
        .orElseThrow(() -> new UsageException("--format must be jsonl or parquet, cannot be: " + value));
  }
}
