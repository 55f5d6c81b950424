package dev.tokenreprice.report;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A sign of life for whoever waits on a run: one line per stage (reading and pricing, writing ...) with its
 * rows and elapsed time. A local run prints the lines on standard error, between Spark's progress bars; a
 * cluster run logs them through Spark's logger, where the driver's log is read; {@code --quiet} drops them.
 * Each stage also names the Spark jobs that follow it, for the UI and the logs.
 */
public final class Progress {
  private static final Logger LOG = LoggerFactory.getLogger(Progress.class);
  /** Spark's console progress bar; read once, when the SparkContext starts. */
  public static final String CONSOLE_PROGRESS = "spark.ui.showConsoleProgress";

  private enum Sink { QUIET, STDERR, LOG }

  private final SparkSession spark;
  private final Sink sink;
  private final PrintStream err;

  private Progress(SparkSession spark, Sink sink, PrintStream err) {
    this.spark = spark;
    this.sink = sink;
    this.err = err;
  }

  public static Progress of(SparkSession spark, boolean quiet, PrintStream err) {
    if (quiet) {
      // Only errors: Spark's warnings are for whoever reads the log, not for a quiet run.
      spark.sparkContext().setLogLevel("ERROR");
    }
    Sink sink = quiet ? Sink.QUIET : spark.sparkContext().isLocal() ? Sink.STDERR : Sink.LOG;
    return new Progress(spark, sink, err);
  }

  /**
   * Whether a run started from {@code main} should draw Spark's progress bar: only for a person at a
   * terminal (a scheduler's log would fill with carriage returns) and never with {@code --quiet}.
   * {@code System.console()} is null when standard input or output is not a terminal; scripts/reprice
   * checks standard error itself.
   */
  public static boolean consoleBarWanted(boolean quiet) {
    return !quiet && System.console() != null;
  }

  /** One stage of the run, from its start until {@link Stage#done}. */
  public final class Stage {
    private final String name;
    private final long startedAt = System.nanoTime();

    private Stage(String name) {
      this.name = name;
    }

    /** Reports the stage as done, with what it handled ("3000 rows") when that says something. */
    public void done(String detail) {
      double seconds = Duration.ofNanos(System.nanoTime() - startedAt).toMillis() / 1000.0;
      String line = name + ": " + (detail.isEmpty() ? "" : detail + ", ")
          + String.format(Locale.ROOT, "%.1f s", seconds);
      switch (sink) {
        case STDERR -> err.println("reprice: " + line);
        case LOG -> LOG.info(line);
        case QUIET -> { }
      }
    }

    public void done() {
      done("");
    }

    /** Names the Spark jobs that follow within the stage ("writing rollups 2026-11-01..2026-11-30: rollup.csv"). */
    public void describe(String what) {
      spark.sparkContext().setJobDescription(name + ": " + what);
    }
  }

  /** {@code 1 row}, {@code 3000 rows}: what a stage handled, for {@link Stage#done(String)}. */
  public static String count(long count, String singular, String plural) {
    return count + " " + (count == 1 ? singular : plural);
  }

  /** Names the Spark jobs that follow, outside any stage ("listing the input"). */
  public void describe(String what) {
    spark.sparkContext().setJobDescription(what);
  }

  /** Starts a stage and names the Spark jobs that follow ("writing rollups 2026-11-01..2026-11-30"). */
  public Stage start(String name) {
    spark.sparkContext().setJobDescription(name);
    return new Stage(name);
  }
}
