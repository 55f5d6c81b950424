package dev.tokenreprice.samples;

import dev.tokenreprice.input.FileFormat;

/**
 * One directory of generated log files: its format, and the base of the file names in it
 * ({@code logs-2026-11.jsonl}, or {@code logs-2026-11-00003.parquet} when there are several files).
 */
record LogOutput(FileFormat format, String directory, String baseName) {
  String extension() {
    return switch (format) {
      case JSONL -> ".jsonl";
      case PARQUET -> ".parquet";
      case SQLITE -> throw new IllegalArgumentException("the generator writes JSONL or Parquet, not SQLite");
    };
  }
}
