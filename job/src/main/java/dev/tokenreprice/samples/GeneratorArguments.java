package dev.tokenreprice.samples;

import dev.tokenreprice.cli.UsageException;
import dev.tokenreprice.input.FileFormat;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/** Parses the generator's flags into a {@link GeneratorConfig}; {@link #USAGE} documents them. */
final class GeneratorArguments {
  static final String ROWS = "--rows";
  static final String FORMAT = "--format";
  static final FileFormat FORMAT_DEFAULT = FileFormat.PARQUET;
  static final String OUT = "--out";
  static final String SEED = "--seed";
  static final long SEED_DEFAULT = 42;
  static final String MONTH = "--month";
  static final YearMonth MONTH_DEFAULT = YearMonth.of(2026, 11);
  static final String BAD_FRACTION = "--bad-fraction";
  static final double BAD_FRACTION_DEFAULT = 0.01;
  static final String FILES = "--files";
  /** The default number of files: enough for about this many rows each. */
  static final long ROWS_PER_FILE_DEFAULT = 1_000_000;
  static final String SAMPLE = "--sample";
  static final String SAMPLE_OUT_DEFAULT = "sample-data";
  static final long SAMPLE_ROWS = 3_000;
  static final String HELP = "--help";

  static final String USAGE = String.join("\n",
      "usage: gen-logs --rows N --out DIR [options]",
      "       gen-logs --sample [--out DIR]",
      "  --rows N             requests to generate (required unless --sample)",
      "  --format FORMAT      jsonl or parquet (default: parquet)",
      "  --out DIR            output directory, replaced if it exists (required unless --sample)",
      "  --seed S             seed of the pseudo-random values (default: " + SEED_DEFAULT + ")",
      "  --month YYYY-MM      UTC month the timestamps fall in (default: " + MONTH_DEFAULT + ")",
      "  --bad-fraction F     share of bad rows, 0 to 1 (default: " + BAD_FRACTION_DEFAULT + ")",
      "  --files K            number of output files (default: one per " + ROWS_PER_FILE_DEFAULT + " rows)",
      "  --sample             write the sample set: the same " + SAMPLE_ROWS + " requests as DIR/logs/jsonl/logs-MONTH.jsonl",
      "                       and DIR/logs/parquet/logs-MONTH.parquet (DIR default: " + SAMPLE_OUT_DEFAULT + ")",
      "  --help               print this and exit");

  private GeneratorArguments() {}

  /** Thrown for {@code --help}: not an error, the caller prints {@link #USAGE} and exits 0. */
  static final class HelpRequested extends RuntimeException {
    HelpRequested() {
      super(USAGE);
    }
  }

  static GeneratorConfig parse(String... args) {
    Optional<Long> rows = Optional.empty();
    Optional<FileFormat> format = Optional.empty();
    Optional<String> out = Optional.empty();
    long seed = SEED_DEFAULT;
    YearMonth month = MONTH_DEFAULT;
    double badFraction = BAD_FRACTION_DEFAULT;
    Optional<Integer> files = Optional.empty();
    boolean sample = false;
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      String value = null;
      int equals = flag.indexOf('=');
      if (flag.startsWith("--") && equals > 0) {
        value = flag.substring(equals + 1);
        flag = flag.substring(0, equals);
      }
      switch (flag) {
        case HELP -> throw new HelpRequested();
        case SAMPLE -> sample = true;
        case ROWS, FORMAT, OUT, SEED, MONTH, BAD_FRACTION, FILES -> {
          if (value == null) {
            if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
              throw new UsageException(flag + " needs a value (see --help)");
            }
            value = args[++i];
          }
          switch (flag) {
            case ROWS -> rows = Optional.of(atLeastOne(ROWS, value));
            case FORMAT -> format = Optional.of(FileFormat.fromFlag(value));
            case OUT -> out = Optional.of(notBlank(OUT, value));
            case SEED -> seed = wholeNumber(SEED, value);
            case MONTH -> month = month(value);
            case BAD_FRACTION -> badFraction = fraction(value);
            default -> files = Optional.of(Math.toIntExact(Math.min(atLeastOne(FILES, value), Integer.MAX_VALUE)));
          }
        }
        default -> throw new UsageException("unknown argument '" + args[i] + "' (see --help for the flags)");
      }
    }
    String baseName = "logs-" + month;
    if (sample) {
      for (Optional<?> fixed : List.of(rows, format, files)) {
        if (fixed.isPresent()) {
          throw new UsageException(SAMPLE + " fixes " + ROWS + ", " + FORMAT + " and " + FILES
              + " (one file of each format), cannot be combined with them");
        }
      }
      String dir = out.orElse(SAMPLE_OUT_DEFAULT);
      return new GeneratorConfig(SAMPLE_ROWS, month, seed, badFraction, 1, List.of(
          new LogOutput(FileFormat.JSONL, dir + "/logs/jsonl", baseName),
          new LogOutput(FileFormat.PARQUET, dir + "/logs/parquet", baseName)));
    }
    long rowCount = rows.orElseThrow(() -> new UsageException(ROWS + " is required: give the number of requests"
        + " to generate, or " + SAMPLE + " (see --help)"));
    String dir = out.orElseThrow(() -> new UsageException(OUT + " is required: give the directory to write"
        + " the logs to (see --help)"));
    int fileCount = files.orElse((int) Math.max(1, Math.min(Integer.MAX_VALUE,
        (rowCount + ROWS_PER_FILE_DEFAULT - 1) / ROWS_PER_FILE_DEFAULT)));
    return new GeneratorConfig(rowCount, month, seed, badFraction, fileCount,
        List.of(new LogOutput(format.orElse(FORMAT_DEFAULT), dir, baseName)));
  }

  private static long wholeNumber(String flag, String value) {
    try {
      return Long.parseLong(value.trim().replace("_", ""));
    } catch (NumberFormatException e) {
      throw new UsageException(flag + " must be a whole number, cannot be: " + value);
    }
  }

  private static long atLeastOne(String flag, String value) {
    long number = wholeNumber(flag, value);
    if (number < 1) {
      throw new UsageException(flag + " must be at least 1, cannot be: " + value);
    }
    return number;
  }

  private static String notBlank(String flag, String value) {
    if (value.isBlank()) {
      throw new UsageException(flag + " must not be empty");
    }
    return value;
  }

  private static double fraction(String value) {
    try {
      double fraction = Double.parseDouble(value.trim());
      if (fraction >= 0 && fraction <= 1) {
        return fraction;
      }
    } catch (NumberFormatException e) {
      // Reported below with the rule.
    }
    throw new UsageException(BAD_FRACTION + " must be a number from 0 to 1, cannot be: " + value);
  }

  /** A month in which every model of the mix has a rate in force on some day, so no model goes unused. */
  private static YearMonth month(String value) {
    YearMonth month;
    try {
      month = YearMonth.parse(value.trim());
    } catch (DateTimeParseException e) {
      throw new UsageException(MONTH + " must be a month as YYYY-MM, cannot be: " + value);
    }
    ModelProfile last = ModelMix.lastToBePriced();
    YearMonth first = YearMonth.from(last.firstPricedDay());
    if (month.isBefore(first)) {
      throw new UsageException(MONTH + " must be " + first + " or later (" + last.model() + " has no rate before "
          + last.firstPricedDay() + " in conf/rate-card.yaml), cannot be: " + value);
    }
    return month;
  }
}
