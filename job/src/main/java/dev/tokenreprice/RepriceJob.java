package dev.tokenreprice;

import dev.tokenreprice.cli.ArgumentParser;
import dev.tokenreprice.cli.ExitStatus;
import dev.tokenreprice.cli.JobConfig;
import dev.tokenreprice.cli.Period;
import dev.tokenreprice.cli.UsageException;
import dev.tokenreprice.counterfactual.Counterfactual;
import dev.tokenreprice.counterfactual.Scenario;
import dev.tokenreprice.counterfactual.ScenarioColumns;
import dev.tokenreprice.counterfactual.ScenarioParser;
import dev.tokenreprice.history.PreviousRun;
import dev.tokenreprice.history.SinceLastRun;
import dev.tokenreprice.input.InputFile;
import dev.tokenreprice.input.InputFiles;
import dev.tokenreprice.input.LogFormats;
import dev.tokenreprice.input.LogReader;
import dev.tokenreprice.output.ManifestWriter;
import dev.tokenreprice.output.OutputFiles;
import dev.tokenreprice.output.OutputPublisher;
import dev.tokenreprice.output.RunManifest;
import dev.tokenreprice.pricing.Pricer;
import dev.tokenreprice.ratecard.RateCard;
import dev.tokenreprice.ratecard.RateCardLoader;
import dev.tokenreprice.ratecard.RateCardTables;
import dev.tokenreprice.report.RunSummary;
import dev.tokenreprice.report.Savings;
import dev.tokenreprice.report.TopCosts;
import dev.tokenreprice.rollup.Rollup;
import dev.tokenreprice.rollup.Totals;
import dev.tokenreprice.rollup.UsageAggregation;
import dev.tokenreprice.validate.DaysSeen;
import dev.tokenreprice.validate.RowCounts;
import dev.tokenreprice.validate.Validation;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The job: read -> normalize -> validate -> aggregate usage -> price -> roll up (and price the
 * counterfactual scenarios) -> write -> publish.
 * Reading this class top to bottom tells the whole story; each step lives in its stage's package.
 */
public final class RepriceJob {
  private static final DateTimeFormatter RUN_ID_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  /**
   * Called once the rollup is staged, before anything is published: tests make it throw to check that a run
   * failing half-way leaves the previous output as it was.
   */
  static Runnable afterRollupStaged = () -> {};

  private RepriceJob() {}

  public static void main(String[] args) {
    int status = run(args, () -> SparkSession.builder().appName("reprice").getOrCreate(), System.out, System.err);
    System.exit(status);
  }

  /** Runs the job and returns its exit status; errors are reported on {@code err} in one line. */
  public static int run(String[] args, Supplier<SparkSession> sparkSession, PrintStream out, PrintStream err) {
    try {
      JobConfig config = ArgumentParser.parse(args);
      return reprice(config, sparkSession.get(), out).code();
    } catch (ArgumentParser.HelpRequested help) {
      out.println(ArgumentParser.USAGE);
      return ExitStatus.SUCCESS.code();
    } catch (UsageException e) {
      err.println("reprice: " + e.getMessage());
      return ExitStatus.USAGE.code();
    } catch (Exception e) {
      err.println("reprice: failed, nothing was published: " + e);
      e.printStackTrace(err);
      return ExitStatus.FAILURE.code();
    }
  }

  static ExitStatus reprice(JobConfig config, SparkSession spark, PrintStream out) throws IOException {
    Instant startedAt = Instant.now();
    String runId = RUN_ID_TIME.format(startedAt) + "-" + UUID.randomUUID().toString().substring(0, 8);
    // The day of a request is its UTC day, whatever zone the cluster's session defaults to.
    spark.conf().set("spark.sql.session.timeZone", "UTC");
    // OTLP attribute lists may repeat a key (a span attribute over a resource one): the last one wins.
    spark.conf().set("spark.sql.mapKeyDedupPolicy", "LAST_WIN");
    Configuration hadoopConf = spark.sparkContext().hadoopConfiguration();

    // Everything that can be wrong with the arguments is found before any data is read.
    RateCard card = RateCardLoader.load(config.rateCard(), hadoopConf);
    List<InputFile> files = InputFiles.resolve(config.inputs(), config.format(), hadoopConf,
        new LogFormats(hadoopConf), spark);
    // Building the reading plan reads no records, but resolves every mapping expression against its schema.
    Dataset<Row> logs = LogReader.read(spark, files);
    OutputPublisher publisher = OutputPublisher.prepare(config.outDir(), runId, hadoopConf);
    Period period = config.period();
    if (config.sinceLastRun()) {
      Optional<PreviousRun> previous = PreviousRun.lastPublished(publisher.outDir(), hadoopConf);
      if (previous.isPresent()) {
        describe(spark, "finding the days changed since run " + previous.get().runId());
        Optional<Period> changed = SinceLastRun.period(period, previous.get(), files, spark);
        if (changed.isEmpty()) {
          out.println("reprice: nothing changed since run " + previous.get().runId() + " in " + period.label()
              + "; nothing published");
          return ExitStatus.SUCCESS;
        }
        period = changed.get();
      }
    }
    List<Scenario> scenarios = ScenarioParser.forRun(config.scenarios(), card, period);
    RateCardTables tables = RateCardTables.of(card, spark);
    ScenarioColumns scenarioColumns = new ScenarioColumns(scenarios, tables);

    try {
      describe(spark, "reading and pricing " + period.label());
      Dataset<Row> classified = Validation.classify(logs, tables, period);
      // The usage groups are few (thousands, not millions): in a handful of partitions every later stage
      // runs a handful of tasks instead of one per shuffle partition.
      Dataset<Row> usage = UsageAggregation.byStatusAndPrice(classified, scenarioColumns.keys(), scenarioColumns.sums())
          .coalesce(spark.sparkContext().defaultParallelism())
          .persist();
      RowCounts counts = RowCounts.of(usage, UsageAggregation.REQUESTS);
      if (counts.rowsRead() + counts.rowsOutsidePeriod() + counts.recordsSkipped() == 0) {
        throw new UsageException("input " + String.join(", ", config.inputPaths()) + " holds no records (nothing to price)");
      }
      Dataset<Row> rollup = Rollup.of(Pricer.price(UsageAggregation.priced(usage), tables), tables.costScale()).persist();
      Dataset<Row> totals = Totals.of(rollup, tables.costScale()).persist();
      boolean withCounterfactual = !scenarios.isEmpty();
      Dataset<Row> counterfactualByDay = withCounterfactual
          ? Counterfactual.byDay(UsageAggregation.priced(usage), scenarioColumns, tables).persist() : null;
      Dataset<Row> sheet = withCounterfactual
          ? Counterfactual.sheet(counterfactualByDay, tables.costScale()).persist() : null;

      TopCosts.GrandTotal grandTotal = TopCosts.grandTotal(totals);
      counts.requireRolledUp(grandTotal.requests());
      DaysSeen daysSeen = DaysSeen.of(usage);
      // A bounded period covers each of its days, also one whose rows are all gone; an open one, the days it saw.
      List<LocalDate> days = period.bounded() ? period.days() : List.copyOf(daysSeen.inPeriod());

      describe(spark, "writing quarantine " + period.label());
      OutputFiles.writeQuarantine(UsageAggregation.quarantined(usage), counts.rowsQuarantined() > 0, publisher);
      boolean strictFailure = config.strict() && counts.rowsQuarantined() > 0;
      if (!strictFailure) {
        describe(spark, "writing rollups " + period.label());
        OutputFiles.writeRollup(rollup, publisher);
        afterRollupStaged.run();
        OutputFiles.writeRollupCsv(rollup, publisher, hadoopConf);
        OutputFiles.writeTotalsCsv(totals, publisher, hadoopConf);
        if (withCounterfactual) {
          describe(spark, "writing counterfactual " + period.label());
          OutputFiles.writeCounterfactual(counterfactualByDay, publisher);
          OutputFiles.writeCounterfactualCsv(sheet, publisher, hadoopConf);
        }
      }
      List<String> outputs = strictFailure ? OutputFiles.strictFailure() : OutputFiles.all(withCounterfactual);
      RunManifest manifest = new RunManifest(version(), runId, config.arguments(), startedAt, Instant.now(),
          strictFailure ? RunManifest.STATUS_STRICT_QUARANTINE : RunManifest.STATUS_PUBLISHED, period,
          files, card, tables.costScale(), counts, scenarios.stream().map(Scenario::name).toList(),
          grandTotal.cost(), outputs, days, daysSeen);
      ManifestWriter.write(manifest, publisher.staged(OutputFiles.MANIFEST), hadoopConf);
      ManifestWriter.write(manifest, publisher.staged(OutputFiles.runManifest(runId)), hadoopConf);
      publisher.publish(OutputFiles.publishing(outputs, runId),
          strictFailure ? List.of() : OutputFiles.staleUnless(withCounterfactual), OutputFiles.PARTITIONED_BY_DAY, days);

      out.print(RunSummary.render(manifest, TopCosts.features(totals), TopCosts.models(totals),
          withCounterfactual ? Savings.largest(sheet) : List.of(), publisher.outDir().toString()));
      for (Dataset<Row> cached : java.util.Arrays.asList(usage, rollup, totals, counterfactualByDay, sheet)) {
        if (cached != null) {
          cached.unpersist();
        }
      }
      return strictFailure ? ExitStatus.QUARANTINED_IN_STRICT_MODE : ExitStatus.SUCCESS;
    } catch (RuntimeException | IOException e) {
      publisher.discardStaging();
      throw e;
    }
  }

  /** Names the Spark jobs that follow, for the UI and the logs. */
  private static void describe(SparkSession spark, String what) {
    spark.sparkContext().setJobDescription(what);
  }

  private static String version() {
    String version = RepriceJob.class.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }
}
