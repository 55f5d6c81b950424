package dev.tokenreprice.bench;

import dev.tokenreprice.RepriceJob;
import dev.tokenreprice.ratecard.RateCard;
import dev.tokenreprice.ratecard.RateCardLoader;
import dev.tokenreprice.samples.GenerateLogs;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.math.BigDecimal;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;

/**
 * The benchmark harness behind {@code scripts/bench}: generates (and caches) synthetic logs, runs each
 * contender several times on the same files in one Spark session, and prints a table of median seconds,
 * rows per second and the ratio to the whole job. Figures, not assertions: nothing here fails on a slow
 * machine.
 */
public final class RepriceBenchmark {
  static final String SCENARIOS_FIVE = "batch,no-cache,model:claude-haiku-4-5,model:claude-sonnet-4-5+batch,model:gpt-5.4-mini";
  private static final String USAGE = String.join("\n",
      "usage: bench [--suite fresh,warm] [fresh options] [warm options] [--data DIR] [--rate-card PATH]",
      "  --suite      which parts to run (default fresh,warm)",
      "fresh: every contender a fresh process, as a user starts it (each comparison against its target)",
      "  --fresh-rows N          rows of the large comparisons (default 10000000)",
      "  --claude-code-lines N   lines of the generated Claude Code tree (default 300000)",
      "  --fresh-runs R          runs of the small comparisons, the median is shown (default 3)",
      "  --fresh-large-runs R    runs of the large comparisons (default 1)",
      "  --scale                 also 100M Parquet rows with REPRICE_DRIVER_MEMORY=2g against the large run",
      "  --profile               record each run with Java Flight Recorder and print its tasks' time by frame family",
      "warm: contenders in one Spark session, after a warm-up run",
      "  --rows       sizes to run, comma-separated (default 10000000)",
      "  --formats    storage formats of the canonical logs, or none (default parquet)",
      "  --log-formats  built-in log formats to time on --log-format-rows requests, or none (default none;",
      "               anthropic,claude-code,openai,bedrock,otel,gemini)",
      "  --log-format-rows  requests for the log format runs (default 1000000)",
      "  --runs       runs per contender, the median is reported (default 1)",
      "  --no-warmup  count every run (the first run of a contender is a warm-up otherwise)",
      "  --contenders which to run, by the start of their names, or all",
      "               (default job (no,job --no-dedupe (,hand,duckdb; all: job,hand,floor,repeated,duckdb)",
      "  --data       where generated logs are cached (default out/bench-data)",
      "  --rate-card  the card every contender prices with (default conf/rate-card.yaml)");

  private RepriceBenchmark() {}

  public static void main(String[] args) throws Exception {
    List<String> suites = List.of("fresh", "warm");
    long freshRows = 10_000_000L;
    long claudeCodeLines = 300_000L;
    int freshRuns = 3;
    int freshLargeRuns = 1;
    boolean scale = false;
    boolean profile = false;
    List<Long> sizes = List.of(10_000_000L);
    List<String> formats = List.of("parquet");
    int runs = 1;
    Path data = Path.of("out/bench-data");
    String rateCard = "conf/rate-card.yaml";
    List<String> logFormats = List.of();
    long logFormatRows = 1_000_000L;
    boolean warmup = true;
    List<String> only = List.of("job (no", "job --no-dedupe (", "hand", "duckdb");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--suite" -> suites = List.of(args[++i].split(","));
        case "--fresh-rows" -> freshRows = Long.parseLong(args[++i]);
        case "--claude-code-lines" -> claudeCodeLines = Long.parseLong(args[++i]);
        case "--fresh-runs" -> freshRuns = Integer.parseInt(args[++i]);
        case "--fresh-large-runs" -> freshLargeRuns = Integer.parseInt(args[++i]);
        case "--scale" -> scale = true;
        case "--profile" -> profile = true;
        case "--rows" -> sizes = Stream.of(args[++i].split(",")).map(String::trim).map(Long::parseLong).toList();
        case "--formats" -> formats = args[++i].equals("none") ? List.of() : List.of(args[i].split(","));
        case "--runs" -> runs = Integer.parseInt(args[++i]);
        case "--log-formats" -> logFormats = args[++i].equals("none") ? List.of() : List.of(args[i].split(","));
        case "--log-format-rows" -> logFormatRows = Long.parseLong(args[++i]);
        case "--no-warmup" -> warmup = false;
        case "--contenders" -> only = args[++i].equals("all") ? List.of()
            : List.of(args[i].toLowerCase(Locale.ROOT).split(","));
        case "--data" -> data = Path.of(args[++i]);
        case "--rate-card" -> rateCard = args[++i];
        default -> {
          System.err.println(USAGE);
          System.exit(args[i].equals("--help") ? 0 : 2);
        }
      }
    }
    SparkSession spark = SparkSession.builder().appName("reprice-bench").getOrCreate();
    System.out.print(machine());
    if (suites.contains("fresh")) {
      System.out.print(fresh(spark, data, rateCard, freshRows, claudeCodeLines, freshRuns, freshLargeRuns, scale,
          profile));
    }
    if (suites.contains("warm")) {
      System.out.print(warm(spark, data, rateCard, sizes, formats, logFormats, logFormatRows, runs, warmup, only));
    }
  }

  /** The fresh-process comparisons, each against its target, as a table. */
  private static String fresh(SparkSession spark, Path data, String rateCard, long rows, long claudeCodeLines,
      int runs, int largeRuns, boolean scale, boolean profile) throws Exception {
    FreshRuns fresh = new FreshRuns(Path.of("").toAbsolutePath(), rateCard, profile);
    List<FreshRuns.Comparison> comparisons = new ArrayList<>();
    String sampleLogs = "sample-data/logs/jsonl";
    // The first run after a build archives the classes it loads for every later run (scripts/reprice): not counted.
    fresh.job("warm-up: the first run after a build", 1, "--input", sampleLogs, "--rate-card", rateCard);
    FreshRuns.Timed sample = fresh.job("scripts/reprice --sample (sheet and report)", runs, "--input", sampleLogs,
        "--rate-card", rateCard);
    comparisons.add(new FreshRuns.Comparison("sample (3,000 rows)", sample,
        fresh.query("trivial: local session, one group-by", runs, "trivial", sampleLogs, "jsonl"), new BigDecimal("1.5")));
    Path doubledCard = Files.createTempFile("reprice-bench-doubled-card", ".yaml");
    DoubledCard.write(Path.of(rateCard), doubledCard);
    comparisons.add(new FreshRuns.Comparison("sample, card of twice the models",
        fresh.job("scripts/reprice --sample, every model twice", runs, "--input", sampleLogs, "--rate-card",
            doubledCard.toString()), sample, new BigDecimal("1.1")));

    Path tree = data.resolve("claude-code-tree-" + claudeCodeLines);
    if (!Files.exists(tree.resolve("_GENERATED"))) {
      System.err.printf(Locale.ROOT, "bench: writing a Claude Code tree of %,d lines into %s%n", claudeCodeLines, tree);
      long lines = ClaudeCodeSessions.write(tree.resolve("projects"), claudeCodeLines, 15L);
      Files.writeString(tree.resolve("_GENERATED"), Long.toString(lines));
    }
    String projects = tree.resolve("projects").toString();
    FreshRuns.Timed claudeJob = fresh.job("scripts/reprice --log-format claude-code", runs,
        "--log-format", "claude-code", "--input", projects, "--rate-card", rateCard);
    String claudeCodeLabel = String.format(Locale.ROOT, "Claude Code (%,d lines)", claudeCodeLines);
    comparisons.add(new FreshRuns.Comparison(claudeCodeLabel, claudeJob,
        fresh.query("hand-written query: usage fields, one request per id", runs, "claude-code", projects, "jsonl",
            rateCard), new BigDecimal("1.2")));
    // A native binary on one laptop, no target: the job's edge is exactness, dated prices and scale-out.
    Optional<FreshRuns.Timed> ccusage = fresh.ccusage(tree, runs);
    ccusage.ifPresent(timed -> comparisons.add(new FreshRuns.Comparison(claudeCodeLabel + ", native", claudeJob, timed,
        null)));

    String parquet = generated(spark, data, rows, "parquet").toString();
    String jsonl = generated(spark, data, rows, "jsonl").toString();
    String label = String.format(Locale.ROOT, "%,d Parquet rows", rows);
    FreshRuns.Timed noDedupe = fresh.job("job --no-dedupe --scenarios none --no-report", largeRuns,
        "--input", parquet, "--rate-card", rateCard, "--no-dedupe", "--scenarios", "none", "--no-report");
    comparisons.add(new FreshRuns.Comparison(label + ", no dedupe", noDedupe,
        fresh.query("hand-written broadcast join and group-by", largeRuns, "hand", parquet, "parquet", rateCard),
        new BigDecimal("1.2")));
    FreshRuns.Timed deduped = fresh.job("job --scenarios none --no-report", largeRuns,
        "--input", parquet, "--rate-card", rateCard, "--scenarios", "none", "--no-report");
    comparisons.add(new FreshRuns.Comparison(label + ", deduplicating", deduped,
        fresh.query("hand-written query after dropDuplicates(request_id)", largeRuns, "hand-dedupe", parquet, "parquet",
            rateCard), new BigDecimal("1.0")));
    comparisons.add(new FreshRuns.Comparison(label + ", default sheet",
        fresh.job("job --no-report (every default scenario)", largeRuns, "--input", parquet, "--rate-card", rateCard,
            "--no-report"), deduped, new BigDecimal("1.2")));
    comparisons.add(new FreshRuns.Comparison(String.format(Locale.ROOT, "%,d JSON lines, no dedupe", rows),
        fresh.job("job --no-dedupe --scenarios none --no-report", largeRuns, "--input", jsonl, "--rate-card", rateCard,
            "--no-dedupe", "--scenarios", "none", "--no-report"),
        fresh.query("floor: explicit schema, sum the columns", largeRuns, "floor", jsonl, "jsonl"), new BigDecimal("1.2")));
    if (scale) {
      String big = generated(spark, data, rows * 10, "parquet").toString();
      comparisons.add(new FreshRuns.Comparison(String.format(Locale.ROOT, "%,d Parquet rows, 2g driver", rows * 10),
          fresh.job("job --scenarios none --no-report, REPRICE_DRIVER_MEMORY=2g", 1, Map.of("REPRICE_DRIVER_MEMORY", "2g"),
              "--input", big, "--rate-card", rateCard, "--scenarios", "none", "--no-report"),
          deduped, new BigDecimal("11")));
    }
    StringBuilder text = new StringBuilder("fresh processes (median of " + runs + " runs for the sample and Claude Code, "
        + largeRuns + " for the large runs):\n");
    text.append(FreshRuns.table(comparisons));
    if (profile) {
      text.append("where the tasks' time went:\n").append(FreshRuns.profiles(comparisons));
    }
    long sampleJobs = sample.median().jobs();
    text.append(String.format(Locale.ROOT, "Spark jobs of the sample run: %d (target <= 8: %s)%n", sampleJobs,
        sampleJobs <= 8 ? "met" : "not met"));
    ccusage.ifPresent(timed -> text.append("Claude Code totals: the job ")
        .append(summaryTotal(claudeJob.median().stdout())).append(", ccusage ")
        .append(FreshRuns.ccusageTotal(timed.median().stdout()).map(BigDecimal::toPlainString).orElse("(not found)"))
        .append(" USD\n"));
    for (FreshRuns.Comparison c : comparisons) {
      text.append(String.format(Locale.ROOT, "peak memory, %s: %,d MiB%n", c.what(), c.job().median().peakKib() / 1024));
    }
    return text.toString();
  }

  /** The exact total the summary prints ("total cost: 85.64 USD (exact: 85.641134290250)"). */
  private static String summaryTotal(String summary) {
    return summary.lines().filter(line -> line.startsWith("total cost:")).findFirst()
        .map(line -> line.replaceAll(".*exact: ([0-9.]+).*", "$1")).orElse("(not found)");
  }

  private static String machine() {
    long memory = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getTotalMemorySize();
    return String.format(Locale.ROOT, "machine: %d cores, %.1f GiB memory, Java %s, Spark %s%n",
        Runtime.getRuntime().availableProcessors(), memory / (1024.0 * 1024 * 1024), System.getProperty("java.version"),
        org.apache.spark.package$.MODULE$.SPARK_VERSION());
  }

  private static String warm(SparkSession spark, Path data, String rateCard, List<Long> sizes, List<String> formats,
      List<String> logFormats, long logFormatRows, int runs, boolean warmup, List<String> only) throws Exception {
    SparkWork work = SparkWork.listenTo(spark.sparkContext());
    List<Measurement> measurements = new ArrayList<>();
    for (long rows : sizes) {
      for (String format : formats) {
        Path logs = generated(spark, data, rows, format);
        for (Contender contender : contenders(spark, logs, format, rateCard)) {
          if (only.isEmpty() || only.stream().anyMatch(prefix ->
              contender.name().toLowerCase(Locale.ROOT).startsWith(prefix))) {
            measurements.add(measure(spark, work, rows, format, contender, runs, warmup));
          }
        }
      }
    }
    for (String logFormat : logFormats) {
      Path canonical = generated(spark, data, logFormatRows, "parquet");
      Path dir = data.resolve(logFormat + "-" + logFormatRows);
      if (!Files.exists(dir.resolve("_GENERATED"))) {
        System.err.printf(Locale.ROOT, "bench: writing %,d requests as %s logs into %s%n", logFormatRows, logFormat, dir);
        LogFormatSamples.write(spark, canonical, logFormat, dir);
      }
      long records = Long.parseLong(Files.readString(dir.resolve("_GENERATED")).strip());
      Contender job = job("job (no counterfactual)", new String[] {"--log-format", logFormat,
          "--input", dir.toString(), "--rate-card", rateCard, "--scenarios", "none"});
      measurements.add(measure(spark, work, records, logFormat, job, runs, warmup));
    }
    return "warm, in one Spark session:\n" + table(measurements, runs) + peakMemory() + "\n";
  }

  /** The process's peak resident memory, from Linux's /proc (the JVM's own figures leave out native memory). */
  static String peakMemory() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          long kib = Long.parseLong(line.replaceAll("[^0-9]", ""));
          return String.format(Locale.ROOT, "peak memory of the process (VmHWM): %,d MiB; JVM heap limit %,d MiB",
              kib / 1024, Runtime.getRuntime().maxMemory() / (1024 * 1024));
        }
      }
    } catch (IOException | NumberFormatException e) {
      // Not Linux: say so rather than guess.
    }
    return "peak memory of the process: not available on this system";
  }

  private static List<Contender> contenders(SparkSession spark, Path logs, String format, String rateCard) {
    String[] common = {"--input", logs.toString(), "--rate-card", rateCard};
    RateCard card = RateCardLoader.load(rateCard, spark.sparkContext().hadoopConfiguration());
    int threads = spark.sparkContext().defaultParallelism();
    List<Contender> contenders = new ArrayList<>(List.of(
        job("job (no counterfactual)", concat(common, "--scenarios", "none")),
        // What counting each request_id once costs: the same run without it.
        job("job --no-dedupe (no counterfactual)", concat(common, "--scenarios", "none", "--no-dedupe")),
        job("job + counterfactual (5 scenarios)", concat(common, "--scenarios", SCENARIOS_FIVE)),
        new Contender("hand-written Spark query", (session, out) ->
            PlainQueries.handWritten(session, logs.toString(), format, card)),
        new Contender("hand-written query after dropDuplicates", (session, out) ->
            PlainQueries.handWritten(session, logs.toString(), format, card, true)),
        new Contender("floor: Spark reads and sums columns", (session, out) ->
            PlainQueries.floor(session, logs.toString(), format)),
        new Contender("repeated ids: Spark groups every id", (session, out) ->
            PlainQueries.repeatedIds(session, logs.toString(), format))));
    // At-least-once shipping: the same logs with their first file delivered a second time under another name.
    String[] resent = {"--input", resent(logs).toString(), "--rate-card", rateCard, "--scenarios", "none"};
    contenders.add(job("job, one file sent twice", resent));
    contenders.add(job("job --no-dedupe, one file sent twice", concat(resent, "--no-dedupe")));
    if (duckDbAvailable()) {
      contenders.add(new Contender("DuckDB, hand-written query (" + threads + " threads)", (session, out) ->
          PlainQueries.duckDb(logs.toAbsolutePath().toString(), format, card, threads)));
    } else {
      System.err.println("bench: no DuckDB JDBC driver on the class path; its contender is left out");
    }
    return contenders;
  }

  /**
   * A folder beside {@code logs} with each of its files, and its first file again under a second name: hard
   * links, so nothing is copied.
   */
  private static Path resent(Path logs) {
    Path dir = logs.resolveSibling(logs.getFileName() + "-resent");
    try {
      if (!Files.exists(dir.resolve("_GENERATED"))) {
        Files.createDirectories(dir);
        List<Path> files;
        try (Stream<Path> listed = Files.list(logs)) {
          files = listed.filter(f -> !f.getFileName().toString().startsWith("_")
              && !f.getFileName().toString().startsWith(".")).sorted().toList();
        }
        for (Path file : files) {
          Files.deleteIfExists(dir.resolve(file.getFileName()));
          Files.createLink(dir.resolve(file.getFileName()), file);
        }
        Path again = dir.resolve("resent-" + files.get(0).getFileName());
        Files.deleteIfExists(again);
        Files.createLink(again, files.get(0));
        Files.writeString(dir.resolve("_GENERATED"), "");
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot link the logs of " + logs + " into " + dir, e);
    }
  }

  private static Contender job(String name, String[] arguments) {
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
    return new Contender(name, (spark, out) -> {
      int status = RepriceJob.run(concat(arguments, "--out", out.toString()), () -> spark, quiet, System.err);
      if (status != 0) {
        throw new IllegalStateException(name + " exited " + status);
      }
    });
  }

  private static boolean duckDbAvailable() {
    try {
      Class.forName("org.duckdb.DuckDBDriver");
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  private static Measurement measure(SparkSession spark, SparkWork work, long rows, String format, Contender contender,
      int runs, boolean warmup) throws Exception {
    int first = warmup ? 0 : 1;
    long[] nanos = new long[runs + 1];
    long[] jobs = new long[runs + 1];
    long[] cpu = new long[runs + 1];
    for (int run = first; run <= runs; run++) {
      Path out = Files.createTempDirectory("reprice-bench");
      SparkWork.Used before = work.sinceStart();
      long start = System.nanoTime();
      contender.runner().run(spark, out);
      nanos[run] = System.nanoTime() - start;
      SparkWork.Used after = work.sinceStart();
      jobs[run] = after.jobs() - before.jobs();
      cpu[run] = after.taskCpuNanos() - before.taskCpuNanos();
      deleteRecursively(out);
      System.err.printf(Locale.ROOT, "bench: %,d %s rows, %s, run %d: %s s, %d Spark jobs, task CPU %s s%s%n", rows,
          format, contender.name(), run, Measurement.seconds(nanos[run]).toPlainString(), jobs[run],
          Measurement.seconds(cpu[run]).toPlainString(), run == 0 ? " (warm-up, not counted)" : "");
      System.err.println("bench: " + peakMemory());
    }
    return new Measurement(rows, format, contender.name(), counted(nanos), counted(jobs), counted(cpu));
  }

  /** The runs after the warm-up. */
  private static long[] counted(long[] all) {
    long[] counted = new long[all.length - 1];
    System.arraycopy(all, 1, counted, 0, counted.length);
    return counted;
  }

  /** The logs of one size and format, generated once and kept for later runs of the harness. */
  private static Path generated(SparkSession spark, Path data, long rows, String format) throws IOException {
    Path dir = data.resolve(format + "-" + rows);
    Path done = dir.resolve("_GENERATED");
    if (!Files.exists(done)) {
      System.err.printf(Locale.ROOT, "bench: generating %,d %s rows into %s%n", rows, format, dir);
      int status = GenerateLogs.run(new String[] {"--rows", Long.toString(rows), "--format", format, "--out", dir.toString()},
          () -> spark, System.err, System.err);
      if (status != 0) {
        throw new IllegalStateException("generating the logs failed with status " + status);
      }
      Files.writeString(done, "");
    }
    return dir;
  }

  static String table(List<Measurement> measurements, int runs) {
    StringBuilder text = new StringBuilder();
    long memory = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getTotalMemorySize();
    text.append(String.format(Locale.ROOT, "machine: %d cores, %.1f GiB memory, Java %s, Spark %s; median of %d runs%n",
        Runtime.getRuntime().availableProcessors(), memory / (1024.0 * 1024 * 1024), System.getProperty("java.version"),
        org.apache.spark.package$.MODULE$.SPARK_VERSION(), runs));
    text.append(String.format(Locale.ROOT, "| %12s | %-11s | %-38s | %9s | %12s | %12s | %10s | %10s |%n", "rows", "format",
        "contender", "median s", "rows/s", "ratio to job", "Spark jobs", "task CPU s"));
    text.append("|-------------:|-------------|----------------------------------------|----------:|-------------:|-------------:"
        + "|-----------:|-----------:|\n");
    for (Measurement m : measurements) {
      // The first contender of the same rows and format, the job without the sheet, is the baseline; a log
      // format's run is set against the job on canonical JSON lines of the same size, when that ran.
      Measurement job = measurements.stream()
          .filter(o -> o.rows() == m.rows() && o.format().equals(m.format()))
          .findFirst().orElseThrow();
      if (LogFormatSamples.FORMATS.contains(m.format())) {
        job = measurements.stream().filter(o -> o.format().equals("jsonl") && Math.abs(o.rows() - m.rows()) * 5 < o.rows())
            .findFirst().orElse(job);
      }
      boolean spark = m.medianSparkJobs() > 0;
      text.append(String.format(Locale.ROOT, "| %,12d | %-11s | %-38s | %9s | %,12d | %11sx | %10s | %10s |%n", m.rows(),
          m.format(), m.contender(), m.medianSeconds().toPlainString(), m.rowsPerSecond(), m.ratioTo(job).toPlainString(),
          spark ? Long.toString(m.medianSparkJobs()) : "-", spark ? m.medianTaskCpuSeconds().toPlainString() : "-"));
    }
    return text.toString();
  }

  private static String[] concat(String[] first, String... more) {
    return Stream.concat(Stream.of(first), Stream.of(more)).toArray(String[]::new);
  }

  private static void deleteRecursively(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
