package dev.tokenreprice.bench;

import java.io.File;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The benchmark's comparisons as a user meets them: every contender a fresh process (a JVM with a local Spark
 * session, or ccusage under Node), started the way a user starts it, timed from start to exit. The job runs
 * through {@code scripts/reprice}; its Spark jobs and task CPU come from {@link WorkFile}, a listener Spark loads
 * from {@code spark.extraListeners}. Each comparison prints the ratio of the job to its contender and whether
 * the target for it is met (docs/benchmarks.md lists them).
 */
final class FreshRuns {
  static final String CCUSAGE_VERSION = "20.0.24";

  /**
   * One process run: wall seconds, Spark jobs and task CPU (both -1 for a process that is no Spark), and, for a run
   * recorded with Java Flight Recorder, what its tasks' samples were spent on ({@link FrameFamilies}).
   */
  record Run(long nanos, long jobs, long taskCpuNanos, long peakKib, String stdout, Map<String, Integer> families) {}

  /**
   * Several runs of one command; the median is what the table shows. With {@code --profile}, one more run is recorded
   * apart ({@code profiled}), so that the recording's own cost is in none of the timed runs.
   */
  record Timed(String name, List<Run> runs, Optional<Run> profiled) {
    Run median() {
      List<Run> sorted = new ArrayList<>(runs);
      sorted.sort((a, b) -> Long.compare(a.nanos(), b.nanos()));
      return sorted.get(sorted.size() / 2);
    }
  }

  /** A target of the form job / contender at most {@code limit}; a limit of null sets no target (a figure to know). */
  record Comparison(String what, Timed job, Timed contender, BigDecimal limit) {
    BigDecimal ratio() {
      return BigDecimal.valueOf(job.median().nanos())
          .divide(BigDecimal.valueOf(Math.max(1, contender.median().nanos())), 2, RoundingMode.HALF_UP);
    }

    boolean met() {
      return limit == null || ratio().compareTo(limit) <= 0;
    }

    String verdict() {
      return ratio().toPlainString() + "x" + (limit == null ? " (no target)"
          : " (target <= " + limit.toPlainString() + "x: " + (met() ? "met" : "not met") + ")");
    }
  }

  private final Path root;
  private final Path scratch;
  private final String rateCard;
  private final boolean profile;

  FreshRuns(Path root, String rateCard, boolean profile) throws IOException {
    this.root = root;
    this.rateCard = rateCard;
    this.profile = profile;
    this.scratch = Files.createTempDirectory("reprice-bench-fresh");
  }

  /** {@code scripts/reprice ARGS --out TMP} with its Spark work counted. */
  Timed job(String name, int runs, String... args) throws IOException, InterruptedException {
    return job(name, runs, Map.of(), args);
  }

  /** The same, with more environment for {@code scripts/reprice} (REPRICE_DRIVER_MEMORY). */
  Timed job(String name, int runs, Map<String, String> moreEnv, String... args) throws IOException, InterruptedException {
    List<Run> done = new ArrayList<>();
    Optional<Run> profiled = Optional.empty();
    for (int i = 0; i < runs + (profile ? 1 : 0); i++) {
      Path out = scratch.resolve("out-" + System.nanoTime());
      List<String> command = new ArrayList<>(List.of(root.resolve("scripts/reprice").toString()));
      command.addAll(List.of(args));
      command.addAll(List.of("--out", out.toString(), "--quiet"));
      Path work = scratch.resolve("work-" + System.nanoTime());
      Map<String, String> env = new HashMap<>(moreEnv);
      Optional<Path> recording = i == runs ? recording() : Optional.empty();
      env.put("JAVA_TOOL_OPTIONS", listenerOptions(work) + recording.map(FreshRuns::recordingOption).orElse(""));
      Run run = report(name + (recording.isPresent() ? " (recorded)" : ""), i, run(command, env, Optional.of(work),
          recording));
      if (recording.isPresent()) {
        profiled = Optional.of(run);
      } else {
        done.add(run);
      }
      deleteRecursively(out);
    }
    return new Timed(name, done, profiled);
  }

  /** {@link FreshQuery} in a JVM started with the options {@code scripts/reprice} gives the job. */
  Timed query(String name, int runs, String... args) throws IOException, InterruptedException {
    List<Run> done = new ArrayList<>();
    Optional<Run> profiled = Optional.empty();
    Path target = root.resolve("job/target");
    for (int i = 0; i < runs + (profile ? 1 : 0); i++) {
      Path work = scratch.resolve("work-" + System.nanoTime());
      List<String> command = new ArrayList<>();
      command.add(ProcessHandle.current().info().command().orElse("java"));
      command.addAll(List.of(Files.readString(target.resolve("jvm-options.txt")).trim().split("\\s+")));
      command.addAll(List.of("-Xmx4g", "-Dspark.master=local[*]", "-Dspark.ui.showConsoleProgress=false",
          "-Dspark.sql.shuffle.partitions=8", "-Dlog4j.configurationFile=" + root.resolve("conf/log4j2-local.properties")));
      command.addAll(List.of(listenerOptions(work).split(" ")));
      Optional<Path> recording = i == runs ? recording() : Optional.empty();
      recording.ifPresent(file -> command.add(recordingOption(file).trim()));
      command.addAll(List.of("-cp", System.getProperty("java.class.path"), FreshQuery.class.getName()));
      command.addAll(List.of(args));
      Run run = report(name + (recording.isPresent() ? " (recorded)" : ""), i,
          run(command, Map.of("SPARK_LOCAL_IP", "127.0.0.1"), Optional.of(work), recording));
      if (recording.isPresent()) {
        profiled = Optional.of(run);
      } else {
        done.add(run);
      }
    }
    return new Timed(name, done, profiled);
  }

  /** ccusage's daily report on a Claude Code tree, installed into out/ccusage once; empty without npm. */
  Optional<Timed> ccusage(Path claudeConfigDir, int runs) throws IOException, InterruptedException {
    Path prefix = root.resolve("out/ccusage");
    Path bin = prefix.resolve("node_modules/.bin/ccusage");
    if (!Files.isExecutable(bin)) {
      if (!onPath("npm")) {
        System.err.println("bench: no npm here; the ccusage contender is left out");
        return Optional.empty();
      }
      System.err.println("bench: installing ccusage " + CCUSAGE_VERSION + " into " + prefix);
      Files.createDirectories(prefix);
      run(List.of("npm", "install", "--prefix", prefix.toString(), "--no-audit", "--no-fund", "ccusage@" + CCUSAGE_VERSION),
          Map.of(), Optional.empty(), Optional.empty());
    }
    List<Run> done = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      done.add(report("ccusage " + CCUSAGE_VERSION, i, run(List.of(bin.toString(), "daily", "--json", "--offline"),
          Map.of("CLAUDE_CONFIG_DIR", claudeConfigDir.toString()), Optional.empty(), Optional.empty())));
    }
    return Optional.of(new Timed("ccusage " + CCUSAGE_VERSION + " daily --json --offline", done, Optional.empty()));
  }

  String rateCard() {
    return rateCard;
  }

  /** Where a run's flight recording goes, with {@code --profile}. */
  private Optional<Path> recording() {
    return profile ? Optional.of(scratch.resolve("run-" + System.nanoTime() + ".jfr")) : Optional.empty();
  }

  private static String recordingOption(Path recording) {
    return " -XX:StartFlightRecording=filename=" + recording + ",settings=profile,dumponexit=true";
  }

  private static String listenerOptions(Path work) {
    return "-Dspark.extraListeners=" + WorkFile.class.getName() + " -D" + WorkFile.FILE_PROPERTY + "=" + work;
  }

  private Run run(List<String> command, Map<String, String> env, Optional<Path> work, Optional<Path> recording)
      throws IOException, InterruptedException {
    Path stdout = scratch.resolve("stdout-" + System.nanoTime());
    Path stderr = scratch.resolve("stderr-" + System.nanoTime());
    ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile())
        .redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
    builder.environment().putAll(env);
    long start = System.nanoTime();
    int status = builder.start().waitFor();
    long nanos = System.nanoTime() - start;
    if (status != 0) {
      throw new IllegalStateException(String.join(" ", command) + " exited " + status + ": "
          + Files.readString(stderr).lines().filter(line -> !line.startsWith("Picked up")).limit(5).toList());
    }
    long jobs = -1;
    long cpu = -1;
    long peak = 0;
    if (work.isPresent()) {
      String[] figures = Files.readString(work.get()).trim().split(" ");
      jobs = Long.parseLong(figures[0]);
      cpu = Long.parseLong(figures[1]);
      peak = Long.parseLong(figures[2]);
    }
    Map<String, Integer> families = Map.of();
    if (recording.isPresent() && Files.exists(recording.get())) {
      families = FrameFamilies.ofTasks(recording.get());
      Files.delete(recording.get());
    }
    return new Run(nanos, jobs, cpu, peak, Files.readString(stdout), families);
  }

  private static Run report(String name, int i, Run run) {
    System.err.printf(Locale.ROOT, "bench: fresh process, %s, run %d: %s s%s%n", name, i + 1,
        Measurement.seconds(run.nanos()).toPlainString(), run.jobs() < 0 ? ""
            : ", " + run.jobs() + " Spark jobs, task CPU " + Measurement.seconds(run.taskCpuNanos()).toPlainString()
                + " s, peak memory " + run.peakKib() / 1024 + " MiB");
    return run;
  }

  /** The table: each comparison's two rows, the ratio, the target and whether it is met. */
  static String table(List<Comparison> comparisons) {
    StringBuilder text = new StringBuilder();
    text.append(String.format(Locale.ROOT, "| %-34s | %-58s | %8s | %6s | %10s | %-22s |%n", "comparison", "process",
        "median s", "jobs", "task CPU s", "job / contender"));
    text.append("|------------------------------------|------------------------------------------------------------"
        + "|---------:|-------:|-----------:|------------------------|\n");
    for (Comparison c : comparisons) {
      for (Timed timed : List.of(c.job(), c.contender())) {
        Run median = timed.median();
        String verdict = timed == c.job() ? "" : c.verdict();
        text.append(String.format(Locale.ROOT, "| %-34s | %-58s | %8s | %6s | %10s | %-22s |%n",
            timed == c.job() ? c.what() : "", timed.name(), Measurement.seconds(median.nanos()).toPlainString(),
            median.jobs() < 0 ? "-" : Long.toString(median.jobs()),
            median.jobs() < 0 ? "-" : Measurement.seconds(median.taskCpuNanos()).toPlainString(), verdict));
      }
    }
    return text.toString();
  }

  /** With {@code --profile}: what each comparison's tasks spent their samples on (its recorded run), job beside contender. */
  static String profiles(List<Comparison> comparisons) {
    StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "| %-34s | %-58s | %s |%n", "comparison", "process",
        "task samples by frame family (JFR, 3% or more)"));
    text.append("|------------------------------------|------------------------------------------------------------|---|\n");
    for (Comparison c : comparisons) {
      for (Timed timed : List.of(c.job(), c.contender())) {
        timed.profiled().filter(run -> !run.families().isEmpty()).ifPresent(run -> text.append(String.format(Locale.ROOT,
            "| %-34s | %-58s | %s |%n", timed == c.job() ? c.what() : "", timed.name(), FrameFamilies.cell(run.families()))));
      }
    }
    return text.toString();
  }

  /** The total cost ccusage's JSON reports (its "totals" object). */
  static Optional<BigDecimal> ccusageTotal(String json) {
    Matcher m = Pattern.compile("\"totals\"\\s*:\\s*\\{[^}]*\"totalCost\"\\s*:\\s*([0-9.Ee+-]+)").matcher(json);
    return m.find() ? Optional.of(new BigDecimal(m.group(1))) : Optional.empty();
  }

  private static boolean onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
