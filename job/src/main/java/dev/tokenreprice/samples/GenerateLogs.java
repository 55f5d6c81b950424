package dev.tokenreprice.samples;

import static org.apache.spark.sql.functions.col;

import dev.tokenreprice.cli.ExitStatus;
import dev.tokenreprice.cli.UsageException;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Writes synthetic token logs for testing and benchmarking the job: canonical requests with realistic skew
 * and a planted share of bad rows of every quarantine kind, as JSONL or Parquet, or the checked-in sample set.
 */
public final class GenerateLogs {
  /** Session settings the generator needs, each with the reason. */
  private static final Map<String, String> SESSION_SETTINGS = sessionSettings();

  private GenerateLogs() {}

  private static Map<String, String> sessionSettings() {
    Map<String, String> settings = new LinkedHashMap<>();
    // Days and ISO times are UTC days and times, whatever zone the machine is in.
    settings.put("spark.sql.session.timeZone", "UTC");
    // The standard Parquet timestamp type, rather than Spark's legacy INT96, so any reader sees a TIMESTAMP.
    settings.put("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS");
    // The plans of these wide CASE expressions are long; printing them whole saves a warning per run.
    settings.put("spark.sql.debug.maxToStringFields", "1000");
    // Whole-stage codegen fuses the generator's projections into one method far above 8,000 bytes of
    // bytecode, which HotSpot never compiles: interpreted, 10M rows took 75 s instead of 19 s. Above this
    // limit Spark falls back to per-expression code, whose small methods are compiled (Spark's own advice).
    settings.put("spark.sql.codegen.hugeMethodLimit", "8000");
    return Map.copyOf(settings);
  }

  public static void main(String[] args) {
    int status = run(args, () -> SparkSession.builder().appName("generate-logs").getOrCreate(), System.out, System.err);
    System.exit(status);
  }

  /** Generates and returns the exit status; errors are reported on {@code err} in one line. */
  public static int run(String[] args, Supplier<SparkSession> sparkSession, PrintStream out, PrintStream err) {
    try {
      GeneratorConfig config = GeneratorArguments.parse(args);
      generate(config, sparkSession.get(), out);
      return ExitStatus.SUCCESS.code();
    } catch (GeneratorArguments.HelpRequested help) {
      out.println(GeneratorArguments.USAGE);
      return ExitStatus.SUCCESS.code();
    } catch (UsageException e) {
      err.println("gen-logs: " + e.getMessage());
      return ExitStatus.USAGE.code();
    } catch (Exception e) {
      err.println("gen-logs: failed: " + e);
      e.printStackTrace(err);
      return ExitStatus.FAILURE.code();
    }
  }

  static void generate(GeneratorConfig config, SparkSession spark, PrintStream out) throws IOException {
    // The session may be shared (scripts/bench prices the logs in it next): set for this run, then restored.
    Map<String, Optional<String>> previous = new LinkedHashMap<>();
    for (Map.Entry<String, String> setting : SESSION_SETTINGS.entrySet()) {
      previous.put(setting.getKey(), Optional.ofNullable(spark.conf().get(setting.getKey(), null)));
      spark.conf().set(setting.getKey(), setting.getValue());
    }
    try {
      write(config, spark, out);
    } finally {
      previous.forEach((key, value) -> value.ifPresentOrElse(v -> spark.conf().set(key, v), () -> spark.conf().unset(key)));
      describe(spark, null);
    }
  }

  private static void write(GeneratorConfig config, SparkSession spark, PrintStream out) throws IOException {
    Configuration hadoopConf = spark.sparkContext().hadoopConfiguration();
    List<LogFileWriter> writers = new ArrayList<>();
    for (LogOutput output : config.outputs()) {
      writers.add(LogFileWriter.prepare(output, hadoopConf));
    }

    Dataset<Row> requests = SyntheticRequests.generate(spark, config);
    List<String> written = new ArrayList<>();
    for (LogFileWriter writer : writers) {
      LogOutput output = writer.output();
      describe(spark, "generating " + config.rows() + " requests of " + config.month() + " as "
          + output.format().flagValue() + " into " + output.directory());
      List<String> files = writer.write(LogRecords.of(requests, output.format()));
      written.add(output.format().flagValue() + " " + (files.size() == 1 ? new Path(output.directory(), files.get(0))
          : output.directory() + " (" + files.size() + " files)"));
    }
    describe(spark, "counting the planted bad rows");
    long badRows = requests.filter(col(SyntheticRequests.BAD_KIND).isNotNull()).count();
    out.println("gen-logs: wrote " + config.rows() + " rows, " + badRows + " bad, as " + String.join(" and ", written));
  }

  /** Names the Spark jobs that follow, for the UI and the logs. */
  private static void describe(SparkSession spark, String what) {
    spark.sparkContext().setJobDescription(what);
  }
}
