package dev.tokenreprice.cli;

import dev.tokenreprice.input.FileFormat;
import dev.tokenreprice.input.LogFormats;
import dev.tokenreprice.tables.TableName;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses the job's flags into a {@link JobConfig}. {@link #FLAGS} lists them; {@link #USAGE} (the {@code --help} text),
 * the README's flag table and docs/operations.md document the same, and {@code DocumentationTest} checks they do.
 */
public final class ArgumentParser {
  public static final String INPUT = "--input";
  public static final String FORMAT = "--format";
  public static final String LOG_FORMAT = "--log-format";
  public static final String LOG_FORMAT_DEFAULT = LogFormats.CANONICAL;
  public static final String FEATURE_KEY = "--feature-key";
  public static final String RATE_CARD = "--rate-card";
  public static final String RATE_CARD_DEFAULT = "conf/rate-card.yaml";
  public static final String OUT = "--out";
  public static final String OUT_DEFAULT = "out";
  /** {@code --wait-for-lock SECONDS}: how long to wait while another run holds the lock of {@code --out}. */
  public static final String WAIT_FOR_LOCK = "--wait-for-lock";
  public static final int WAIT_FOR_LOCK_DEFAULT = 0;
  public static final String FROM = "--from";
  public static final String TO = "--to";
  public static final String STRICT = "--strict";
  public static final boolean STRICT_DEFAULT = false;
  public static final String SCENARIOS = "--scenarios";
  /** {@code --scenarios none} skips the counterfactual sheet. */
  public static final String SCENARIOS_NONE = "none";
  public static final String HELP = "--help";
  public static final String RECONCILE = "--reconcile";
  public static final String TOLERANCE = "--tolerance";
  /** Percent of the billed cost within which a day's cost of a model matches the bill. */
  public static final BigDecimal TOLERANCE_DEFAULT = new BigDecimal("0.5");
  /** {@code --no-report} skips {@code report.html}. */
  public static final String NO_REPORT = "--no-report";
  public static final boolean REPORT_DEFAULT = true;
  /** {@code --focus} also writes the run's costs as a FOCUS dataset, focus.csv and focus/ (files in --out only). */
  public static final String FOCUS = "--focus";
  public static final boolean FOCUS_DEFAULT = false;
  public static final String QUIET = "--quiet";
  public static final boolean QUIET_DEFAULT = false;
  /** Deduplication by request id is on unless {@code --no-dedupe} is given. */
  public static final String NO_DEDUPE = "--no-dedupe";
  public static final boolean DEDUPE_DEFAULT = true;
  public static final String SINCE_LAST_RUN = "--since-last-run";
  public static final boolean SINCE_LAST_RUN_DEFAULT = false;
  /** {@code --days-back N}: the N UTC days before today (today excluded: its logs are still arriving). */
  public static final String DAYS_BACK = "--days-back";
  /** {@code --table CATALOG.NAMESPACE.NAME}: also publish into Iceberg tables (default: files in --out only). */
  public static final String TABLE = "--table";
  /** {@code --as-of RUN_ID}: render a run published with --table again, from the snapshots it committed. */
  public static final String AS_OF = "--as-of";
  /** The flags that go with {@code --as-of}: it reads no logs and prices nothing. */
  private static final Set<String> AS_OF_FLAGS = Set.of(AS_OF, TABLE, OUT, NO_REPORT, QUIET);
  /** {@code --check-card FILE}: compare the rate card with a public price table (repeatable); prices nothing. */
  public static final String CHECK_CARD = "--check-card";
  /** {@code --on DAY}: with {@code --check-card}, the day whose prices are compared (default: today, UTC). */
  public static final String ON = "--on";
  /** The flags that go with {@code --check-card}: it reads no logs and prices nothing. */
  private static final Set<String> CHECK_CARD_FLAGS = Set.of(CHECK_CARD, ON, RATE_CARD, OUT, QUIET);
  private static final Pattern RUN_ID = Pattern.compile("[0-9A-Za-z][0-9A-Za-z_-]*");

  /**
   * Every flag the parser takes, in the groups and order of {@link #USAGE} and the README's flag table. The parser
   * refuses any other, so this list is the one the documentation is checked against.
   */
  public static final List<String> FLAGS = List.of(
      INPUT, FORMAT, LOG_FORMAT, FEATURE_KEY, NO_DEDUPE,
      FROM, TO, DAYS_BACK, SINCE_LAST_RUN,
      RATE_CARD, OUT, WAIT_FOR_LOCK, SCENARIOS, NO_REPORT, FOCUS, QUIET,
      RECONCILE, TOLERANCE,
      TABLE, AS_OF,
      CHECK_CARD, ON,
      STRICT, HELP);
  /** The flags of {@link #FLAGS} that take no value. */
  public static final List<String> SWITCHES = List.of(NO_DEDUPE, SINCE_LAST_RUN, NO_REPORT, FOCUS, QUIET, STRICT,
      HELP);

  public static final String USAGE = String.join("\n",
      "usage: reprice --input PATH [--input PATH ...] [options]",
      "",
      "What to read",
      "  --input PATH        a log file, a directory (read recursively) or a glob, on any Hadoop file system;",
      "                      repeat it for more (required)",
      "  --format FORMAT     jsonl or parquet, for every file whatever its name",
      "                      (default: from each file's extension)",
      "  --log-format NAME   the shape of the records of the --input flags after it: canonical, auto,",
      "                      anthropic, claude-code, codex, gemini-cli, opencode, openai, bedrock, otel,",
      "                      gemini,",
      "                      or mapping:FILE;",
      "                      given once, it applies to every --input (default: " + LOG_FORMAT_DEFAULT + ")",
      "  --feature-key KEY   the attribute naming the feature, in formats that read one, for the --input",
      "                      flags after it; after every --input, it applies to all of them",
      "                      (default: the format's own: feature; service.name for otel)",
      "  --no-dedupe         price every record of a repeated request_id (default: off: the first record",
      "                      of an id is priced, later ones are quarantined as DUPLICATE_REQUEST_ID)",
      "",
      "Which days (UTC)",
      "  --from DAY          first day to price, YYYY-MM-DD (default: no lower bound)",
      "  --to DAY            last day to price, inclusive (default: no upper bound)",
      "  --days-back N       the N days before today, today left out; not with --from/--to (default: off)",
      "  --since-last-run    only the days of input files new or changed since the last published run",
      "                      in --out (default: off; without such a run, every day)",
      "",
      "Pricing and outputs",
      "  --rate-card PATH    the rate card YAML, on any Hadoop file system (default: " + RATE_CARD_DEFAULT + ")",
      "  --out DIR           the output directory, created if missing (default: " + OUT_DEFAULT + ")",
      "  --wait-for-lock SECONDS",
      "                      while another run holds the lock of --out, wait up to this long for it",
      "                      instead of exiting 1 at once (default: " + WAIT_FOR_LOCK_DEFAULT + ")",
      "  --scenarios LIST    counterfactual scenarios, comma-separated: batch, no-cache, model:MODEL_ID,",
      "                      combined with + (model:claude-haiku-4-5+batch); none skips the sheet",
      "                      (default: batch, no-cache and every other model of the same provider in force",
      "                      in the period)",
      "  --no-report         do not write report.html (default: off: the report is written)",
      "  --focus             also write the costs as a FOCUS 1.4 dataset for FinOps tools: focus.csv and",
      "                      focus/ (Parquet) in --out (default: off)",
      "  --quiet             print only errors and the final summary (default: off)",
      "",
      "Reconciliation with the bill",
      "  --reconcile FILE    compare the daily cost per model with the provider's bill and write",
      "                      reconciliation.csv: Anthropic's or OpenAI's cost API JSON pages, a FOCUS CSV",
      "                      or a day,model,cost CSV, and their usage API pages beside them for tokens and",
      "                      the cause of a gap (a file, directory or glob); repeat it for more (default: off)",
      "  --tolerance PCT     with --reconcile: a day's cost of a model matches within this percent of the",
      "                      billed cost; 0.5 and 0.5% are the same (default: " + TOLERANCE_DEFAULT + ")",
      "",
      "Iceberg tables",
      "  --table NAME        also publish into Iceberg tables NAME_rollup, NAME_counterfactual,",
      "                      NAME_quarantine (by day) and NAME_runs, one commit each; NAME is",
      "                      CATALOG.NAMESPACE.TABLE of a catalog set with spark.sql.catalog.CATALOG",
      "                      (scripts/reprice: a Hadoop catalog in --out DIR/warehouse unless one is given)",
      "                      (default: files in --out only)",
      "  --as-of RUN_ID      with --table: write the run's rollup.csv, totals.csv, counterfactual.csv,",
      "                      report.html and manifest.json again, as that run published them, from the",
      "                      snapshots it committed, into --out DIR/as-of/RUN_ID/; reads no logs (default: off)",
      "",
      "Checking the rate card",
      "  --check-card FILE   compare --rate-card with a downloaded public price table (LiteLLM's",
      "                      model_prices_and_context_window.json, genai-prices' data.json or providers/*.yml,",
      "                      models.dev's api.json or providers/*/models/*.toml); repeat it for more; writes",
      "                      --out DIR/card-check.csv and a summary; reads no logs, prices nothing (default: off)",
      "  --on DAY            with --check-card: the day whose prices in force are compared (default: today)",
      "",
      "Exit status and help",
      "  --strict            exit 3 without publishing rollups if any row is quarantined; with --reconcile",
      "                      and no quarantine, exit 4 if a cost does not match the bill (default: off)",
      "  --help              print this and exit 0",
      "",
      "Exit statuses: 0 published, 1 failed (the previous output is intact), 2 usage error (nothing read or",
      "written), 3 and 4 with --strict (above). scripts/reprice also takes --sample.",
      "Docs: README.md for a start; docs/operations.md has every flag in full, docs/log-formats.md,",
      "docs/rate-card.md, docs/outputs.md, docs/reconciliation.md, docs/tables.md and docs/cluster.md the rest.");

  private ArgumentParser() {}

  /** Thrown for {@code --help}: not an error, the caller prints {@link #USAGE} and exits 0. */
  public static final class HelpRequested extends RuntimeException {
    HelpRequested() {
      super(USAGE);
    }
  }

  public static JobConfig parse(String... args) {
    return parse(Clock.systemUTC(), args);
  }

  /** The same, with {@code clock} telling today for {@code --days-back}. */
  public static JobConfig parse(Clock clock, String... args) {
    List<String> inputs = new ArrayList<>();
    List<String> inputFormats = new ArrayList<>();
    List<String> logFormats = new ArrayList<>();
    List<String> inputFeatureKeys = new ArrayList<>();
    List<String> featureKeys = new ArrayList<>();
    Optional<FileFormat> format = Optional.empty();
    String rateCard = RATE_CARD_DEFAULT;
    String out = OUT_DEFAULT;
    int waitForLock = WAIT_FOR_LOCK_DEFAULT;
    Optional<LocalDate> from = Optional.empty();
    Optional<LocalDate> to = Optional.empty();
    boolean strict = STRICT_DEFAULT;
    boolean dedupe = DEDUPE_DEFAULT;
    Optional<String> scenarios = Optional.empty();
    List<String> reconcile = new ArrayList<>();
    Optional<BigDecimal> tolerance = Optional.empty();
    boolean report = REPORT_DEFAULT;
    boolean quiet = QUIET_DEFAULT;
    boolean focus = FOCUS_DEFAULT;
    boolean sinceLastRun = SINCE_LAST_RUN_DEFAULT;
    Optional<Integer> daysBack = Optional.empty();
    Optional<TableName> table = Optional.empty();
    Optional<String> asOf = Optional.empty();
    List<String> checkCard = new ArrayList<>();
    Optional<LocalDate> on = Optional.empty();
    List<String> flagsGiven = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      String inlineValue = null;
      int equals = flag.indexOf('=');
      if (flag.startsWith("--") && equals > 0) {
        inlineValue = flag.substring(equals + 1);
        flag = flag.substring(0, equals);
      }
      flagsGiven.add(flag);
      if (!FLAGS.contains(flag)) {
        throw new UsageException("unknown argument '" + args[i] + "' (see --help for the flags)");
      }
      if (SWITCHES.contains(flag)) {
        switch (flag) {
          case HELP -> throw new HelpRequested();
          case STRICT -> strict = true;
          case NO_REPORT -> report = false;
          case QUIET -> quiet = true;
          case FOCUS -> focus = true;
          case NO_DEDUPE -> dedupe = false;
          case SINCE_LAST_RUN -> sinceLastRun = true;
          default -> throw new IllegalStateException("switch " + flag + " of FLAGS is not parsed");
        }
        continue;
      }
      String value = inlineValue;
      if (value == null) {
        if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
          throw new UsageException(flag + " needs a value (see --help)");
        }
        value = args[++i];
      }
      if (value.isBlank()) {
        throw new UsageException(flag + " must not be empty");
      }
      switch (flag) {
        case INPUT -> {
          inputs.add(value);
          inputFormats.add(logFormats.isEmpty() ? null : logFormats.get(logFormats.size() - 1));
          inputFeatureKeys.add(featureKeys.isEmpty() ? null : featureKeys.get(featureKeys.size() - 1));
        }
        case LOG_FORMAT -> logFormats.add(LogFormats.checkName(value));
        case FEATURE_KEY -> featureKeys.add(value);
        case FORMAT -> format = Optional.of(FileFormat.fromFlag(value));
        case RATE_CARD -> rateCard = value;
        case OUT -> out = value;
        case WAIT_FOR_LOCK -> waitForLock = waitForLockSeconds(value);
        case FROM -> from = Optional.of(day(FROM, value));
        case TO -> to = Optional.of(day(TO, value));
        case SCENARIOS -> scenarios = Optional.of(value);
        case RECONCILE -> reconcile.add(value);
        case TOLERANCE -> tolerance = Optional.of(tolerancePercent(value));
        case DAYS_BACK -> daysBack = Optional.of(daysBack(value));
        case TABLE -> table = Optional.of(TableName.parse(TABLE, value));
        case AS_OF -> asOf = Optional.of(runId(value));
        case CHECK_CARD -> checkCard.add(value);
        case ON -> on = Optional.of(day(ON, value));
        default -> throw new IllegalStateException("flag " + flag + " of FLAGS is not parsed");
      }
    }
    if (asOf.isPresent()) {
      return asOf(asOf.get(), table, flagsGiven, out, report, quiet, args);
    }
    if (on.isPresent() && checkCard.isEmpty()) {
      throw new UsageException(ON + " is the day of " + CHECK_CARD + ": give the price table to compare with, or drop "
          + ON);
    }
    if (!checkCard.isEmpty()) {
      return checkCard(new CardCheckRequest(checkCard, on.orElseGet(() -> LocalDate.now(clock.withZone(ZoneOffset.UTC)))),
          flagsGiven, rateCard, out, quiet, args);
    }
    if (inputs.isEmpty()) {
      throw new UsageException(INPUT + " is required: give the token logs to price (see --help)");
    }
    if (tolerance.isPresent() && reconcile.isEmpty()) {
      throw new UsageException(TOLERANCE + " applies to " + RECONCILE + ": give the bill to compare with, or drop "
          + TOLERANCE);
    }
    if (daysBack.isPresent()) {
      if (from.isPresent() || to.isPresent()) {
        throw new UsageException(DAYS_BACK + " sets the period itself, cannot be given with " + FROM + " or " + TO
            + " (use one or the other)");
      }
      LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
      from = Optional.of(today.minusDays(daysBack.get()));
      to = Optional.of(today.minusDays(1));
    }
    return new JobConfig(logInputs(inputs, inputFormats, logFormats, inputFeatureKeys, featureKeys), format, rateCard, out,
        new Period(from, to), strict, scenarios, List.of(args), List.copyOf(reconcile), tolerance.orElse(TOLERANCE_DEFAULT),
        report, focus, quiet, dedupe, sinceLastRun, daysBack, table, Optional.empty(), Optional.empty(), waitForLock);
  }

  /** {@code --check-card}: the card against public price tables, which reads no logs; flags for a pricing run are refused. */
  private static JobConfig checkCard(CardCheckRequest request, List<String> flagsGiven, String rateCard, String out,
      boolean quiet, String[] args) {
    flagsGiven.stream().filter(flag -> !CHECK_CARD_FLAGS.contains(flag)).findFirst().ifPresent(flag -> {
      throw new UsageException(CHECK_CARD + " compares the rate card with price tables and prices nothing, cannot be"
          + " given with " + flag + " (give only " + RATE_CARD + ", " + OUT + ", " + ON + " and " + QUIET + ")");
    });
    return new JobConfig(List.of(), Optional.empty(), rateCard, out, Period.ALL_DAYS, STRICT_DEFAULT,
        Optional.empty(), List.of(args), List.of(), TOLERANCE_DEFAULT, REPORT_DEFAULT, FOCUS_DEFAULT, quiet, DEDUPE_DEFAULT,
        SINCE_LAST_RUN_DEFAULT, Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(request),
        WAIT_FOR_LOCK_DEFAULT);
  }

  /** {@code --as-of}: a run to render again from its tables, which reads no logs; flags for a pricing run are refused. */
  private static JobConfig asOf(String runId, Optional<TableName> table, List<String> flagsGiven, String out,
      boolean report, boolean quiet, String[] args) {
    if (table.isEmpty()) {
      throw new UsageException(AS_OF + " reads the run's snapshots from its tables: give the " + TABLE
          + " it was published into");
    }
    flagsGiven.stream().filter(flag -> !AS_OF_FLAGS.contains(flag)).findFirst().ifPresent(flag -> {
      throw new UsageException(AS_OF + " renders a published run again and prices nothing, cannot be given with "
          + flag + " (give only " + TABLE + ", " + OUT + ", " + NO_REPORT + " and " + QUIET + ")");
    });
    return new JobConfig(List.of(), Optional.empty(), RATE_CARD_DEFAULT, out, Period.ALL_DAYS, STRICT_DEFAULT,
        Optional.empty(), List.of(args), List.of(), TOLERANCE_DEFAULT, report, FOCUS_DEFAULT, quiet, DEDUPE_DEFAULT,
        SINCE_LAST_RUN_DEFAULT, Optional.empty(), table, Optional.of(runId), Optional.empty(),
        WAIT_FOR_LOCK_DEFAULT);
  }

  private static String runId(String value) {
    if (!RUN_ID.matcher(value).matches()) {
      throw new UsageException(AS_OF + " must be a run id as manifest.json's run_id gives it (20261130T021500Z-1a2b3c4d),"
          + " cannot be: " + value);
    }
    return value;
  }

  /**
   * Each input takes the last {@code --log-format} and {@code --feature-key} before it. One log format
   * anywhere applies to every input; with several, an input before the first would be ambiguous. An input
   * before any feature key keeps its format's own, unless every feature key comes after every input: then
   * the last one applies to all ({@code --input logs/ --feature-key team}).
   */
  private static List<LogInput> logInputs(List<String> inputs, List<String> inputFormats, List<String> logFormats,
      List<String> inputFeatureKeys, List<String> featureKeys) {
    List<LogInput> logInputs = new ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) {
      String logFormat = inputFormats.get(i);
      if (logFormat == null) {
        if (logFormats.size() > 1) {
          throw new UsageException(INPUT + " " + inputs.get(i) + " comes before any " + LOG_FORMAT
              + " while several are given: put a " + LOG_FORMAT + " before each " + INPUT);
        }
        logFormat = logFormats.isEmpty() ? LOG_FORMAT_DEFAULT : logFormats.get(0);
      }
      String featureKey = inputFeatureKeys.get(i);
      if (featureKey == null && inputFeatureKeys.stream().allMatch(java.util.Objects::isNull) && !featureKeys.isEmpty()) {
        featureKey = featureKeys.get(featureKeys.size() - 1);
      }
      logInputs.add(new LogInput(inputs.get(i), logFormat, Optional.ofNullable(featureKey)));
    }
    return List.copyOf(logInputs);
  }

  /** A percentage as a plain non-negative decimal, with or without a trailing {@code %}. */
  private static BigDecimal tolerancePercent(String value) {
    String number = value.trim();
    if (number.endsWith("%")) {
      number = number.substring(0, number.length() - 1).trim();
    }
    try {
      BigDecimal percent = new BigDecimal(number);
      if (percent.signum() >= 0) {
        return percent;
      }
    } catch (NumberFormatException e) {
      // reported below, with the rule
    }
    throw new UsageException(TOLERANCE + " must be a percentage of the billed cost that is 0 or more (0.5 or 0.5%),"
        + " cannot be: " + value);
  }

  private static int daysBack(String value) {
    try {
      int days = Integer.parseInt(value);
      if (days >= 1) {
        return days;
      }
    } catch (NumberFormatException e) {
      // reported below, as for a number out of range
    }
    throw new UsageException(DAYS_BACK + " must be a whole number of days, 1 or more, cannot be: " + value);
  }

  private static int waitForLockSeconds(String value) {
    try {
      int seconds = Integer.parseInt(value);
      if (seconds >= 0) {
        return seconds;
      }
    } catch (NumberFormatException e) {
      // reported below, as for a number out of range
    }
    throw new UsageException(WAIT_FOR_LOCK + " must be a whole number of seconds, 0 or more, cannot be: " + value);
  }

  private static LocalDate day(String flag, String value) {
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw new UsageException(flag + " must be a UTC day as YYYY-MM-DD, cannot be: " + value);
    }
  }
}
