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
      "usage: bench [--rows N,N,...] [--formats parquet,jsonl] [--runs R] [--data DIR] [--rate-card PATH]",
      "  --rows       sizes to run, comma-separated (default 1000000,10000000)",
      "  --formats    storage formats of the canonical logs, or none (default parquet,jsonl)",
      "  --log-formats  built-in log formats to time on --log-format-rows requests, or none",
      "               (default anthropic,claude-code,openai,bedrock,otel,gemini)",
      "  --log-format-rows  requests for the log format runs (default 1000000)",
      "  --runs       runs per contender, the median is reported (default 3)",
      "  --no-warmup  count every run (the first run of a contender is a warm-up otherwise)",
      "  --contenders which to run, by the start of their names: job,hand,floor,repeated,duckdb (default all)",
      "  --data       where generated logs are cached (default out/bench-data)",
      "  --rate-card  the card every contender prices with (default conf/rate-card.yaml)");

  private RepriceBenchmark() {}

  public static void main(String[] args) throws Exception {
    List<Long> sizes = List.of(1_000_000L, 10_000_000L);
    List<String> formats = List.of("parquet", "jsonl");
    int runs = 3;
    Path data = Path.of("out/bench-data");
    String rateCard = "conf/rate-card.yaml";
    List<String> logFormats = LogFormatSamples.FORMATS;
    long logFormatRows = 1_000_000L;
    boolean warmup = true;
    List<String> only = List.of();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--rows" -> sizes = Stream.of(args[++i].split(",")).map(String::trim).map(Long::parseLong).toList();
        case "--formats" -> formats = args[++i].equals("none") ? List.of() : List.of(args[i].split(","));
        case "--runs" -> runs = Integer.parseInt(args[++i]);
        case "--log-formats" -> logFormats = args[++i].equals("none") ? List.of() : List.of(args[i].split(","));
        case "--log-format-rows" -> logFormatRows = Long.parseLong(args[++i]);
        case "--no-warmup" -> warmup = false;
        case "--contenders" -> only = List.of(args[++i].toLowerCase(Locale.ROOT).split(","));
        case "--data" -> data = Path.of(args[++i]);
        case "--rate-card" -> rateCard = args[++i];
        default -> {
          System.err.println(USAGE);
          System.exit(args[i].equals("--help") ? 0 : 2);
        }
      }
    }
    SparkSession spark = SparkSession.builder().appName("reprice-bench").getOrCreate();
    SparkWork work = SparkWork.listenTo(spark.sparkContext());
    List<Measurement> measurements = new ArrayList<>();
    for (long rows : sizes) {
      for (String format : formats) {
        Path logs = generated(spark, data, rows, format);
        for (Contender contender : contenders(spark, logs, format, rateCard)) {
          List<String> wanted = only;
          if (wanted.isEmpty() || wanted.stream().anyMatch(prefix ->
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
    System.out.print(table(measurements, runs));
    System.out.println(peakMemory());
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
