package dev.tokenreprice;

import dev.tokenreprice.cli.ArgumentParser;
import dev.tokenreprice.cli.ExitStatus;
import dev.tokenreprice.cli.JobConfig;
import dev.tokenreprice.cli.UsageException;
import dev.tokenreprice.counterfactual.Counterfactual;
import dev.tokenreprice.counterfactual.Scenario;
import dev.tokenreprice.counterfactual.ScenarioColumns;
import dev.tokenreprice.counterfactual.ScenarioParser;
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
import dev.tokenreprice.reconcile.Bill;
import dev.tokenreprice.reconcile.BillReader;
import dev.tokenreprice.reconcile.JobCosts;
import dev.tokenreprice.reconcile.Reconciliation;
import dev.tokenreprice.report.ReconciliationSummary;
import dev.tokenreprice.report.HtmlReport;
import dev.tokenreprice.report.PreviousPeriod;
import dev.tokenreprice.report.Progress;
import dev.tokenreprice.report.ReportFigures;
import dev.tokenreprice.report.RunSummary;
import dev.tokenreprice.report.Savings;
import dev.tokenreprice.report.TopCosts;
import dev.tokenreprice.rollup.Rollup;
import dev.tokenreprice.rollup.Totals;
import dev.tokenreprice.rollup.UsageAggregation;
import dev.tokenreprice.validate.RowCounts;
import dev.tokenreprice.validate.Validation;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
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
 * counterfactual scenarios, and compare with the bill) -> write -> publish.
 * Reading this class top to bottom tells the whole story; each step lives in its stage's package.
 */
public final class RepriceJob {
  private static final DateTimeFormatter RUN_ID_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private RepriceJob() {}

  public static void main(String[] args) {
    // Spark reads its progress-bar setting once, when the session starts: before the flags are parsed.
    boolean quiet = java.util.Arrays.asList(args).contains(ArgumentParser.QUIET);
    int status = run(args, () -> SparkSession.builder().appName("reprice")
        .config(Progress.CONSOLE_PROGRESS, Progress.consoleBarWanted(quiet)
            && Boolean.parseBoolean(System.getProperty(Progress.CONSOLE_PROGRESS, "true")))
        .getOrCreate(), System.out, System.err);
    System.exit(status);
  }

  /** Runs the job and returns its exit status; errors are reported on {@code err} in one line. */
  public static int run(String[] args, Supplier<SparkSession> sparkSession, PrintStream out, PrintStream err) {
    try {
      JobConfig config = ArgumentParser.parse(args);
      return reprice(config, sparkSession.get(), out, err).code();
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

  static ExitStatus reprice(JobConfig config, SparkSession spark, PrintStream out, PrintStream err) throws IOException {
    Instant startedAt = Instant.now();
    String runId = RUN_ID_TIME.format(startedAt) + "-" + UUID.randomUUID().toString().substring(0, 8);
    // The day of a request is its UTC day, whatever zone the cluster's session defaults to.
    spark.conf().set("spark.sql.session.timeZone", "UTC");
    // OTLP attribute lists may repeat a key (a span attribute over a resource one): the last one wins.
    spark.conf().set("spark.sql.mapKeyDedupPolicy", "LAST_WIN");
    Configuration hadoopConf = spark.sparkContext().hadoopConfiguration();

    // Everything that can be wrong with the arguments is found before any data is read.
    RateCard card = RateCardLoader.load(config.rateCard(), hadoopConf);
    Optional<Bill> bill = config.reconciles()
        ? Optional.of(BillReader.read(config.reconcile(), card, hadoopConf)) : Optional.empty();
    List<InputFile> files = InputFiles.resolve(config.inputs(), config.format(), hadoopConf,
        new LogFormats(hadoopConf), spark);
    // Building the reading plan reads no records, but resolves every mapping expression against its schema.
    Dataset<Row> logs = LogReader.read(spark, files);
    OutputPublisher publisher = OutputPublisher.prepare(config.outDir(), runId, hadoopConf);
    List<Scenario> scenarios = ScenarioParser.forRun(config.scenarios(), card, config.period());
    RateCardTables tables = RateCardTables.of(card, spark);
    ScenarioColumns scenarioColumns = new ScenarioColumns(scenarios, tables);

    Progress progress = Progress.of(spark, config.quiet(), err);
    try {
      Progress.Stage reading = progress.start("reading and pricing " + config.period().label());
      Dataset<Row> classified = Validation.classify(logs, tables, config.period(), config.dedupe());
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
      List<Row> totals = Totals.collectInOrder(Totals.of(rollup, tables.costScale()));
      boolean withCounterfactual = !scenarios.isEmpty();
      Dataset<Row> counterfactualByDay = withCounterfactual
          ? Counterfactual.byDay(UsageAggregation.priced(usage), scenarioColumns, tables).persist() : null;
      Dataset<Row> sheet = withCounterfactual
          ? Counterfactual.sheet(counterfactualByDay, tables.costScale()).persist() : null;

      TopCosts.GrandTotal grandTotal = TopCosts.grandTotal(totals);
      counts.requireRolledUp(grandTotal.requests());
      reading.done(Progress.count(counts.rowsRead(), "row", "rows"));
      Optional<Reconciliation> reconciliation = bill.map(b -> {
        Progress.Stage reconciling = progress.start("reconciling with the bill " + config.period().label());
        Reconciliation compared = Reconciliation.of(JobCosts.byDayAndModel(rollup), b, config.period(),
            config.tolerancePercent());
        reconciling.done();
        return compared;
      });

      Progress.Stage writingQuarantine = progress.start("writing quarantine " + config.period().label());
      OutputFiles.writeQuarantine(UsageAggregation.quarantined(usage), counts.rowsQuarantined() > 0, publisher);
      writingQuarantine.done(Progress.count(counts.rowsQuarantined(), "row", "rows"));
      boolean strictFailure = config.strict() && counts.rowsQuarantined() > 0;
      if (!strictFailure) {
        Progress.Stage writingRollups = progress.start("writing rollups " + config.period().label());
        OutputFiles.writeRollup(rollup, publisher);
        OutputFiles.writeRollupCsv(rollup, publisher, hadoopConf);
        OutputFiles.writeTotalsCsv(totals, publisher, hadoopConf);
        writingRollups.done();
        if (withCounterfactual) {
          Progress.Stage writingCounterfactual = progress.start("writing counterfactual " + config.period().label());
          OutputFiles.writeCounterfactual(counterfactualByDay, publisher);
          OutputFiles.writeCounterfactualCsv(sheet, publisher, hadoopConf);
          writingCounterfactual.done(Progress.count(scenarios.size(), "scenario", "scenarios"));
        }
        if (reconciliation.isPresent()) {
          OutputFiles.writeReconciliationCsv(reconciliation.get(), publisher, hadoopConf);
        }
      }
      // Quarantined rows in strict mode come first: the rollups a bill is compared with are then not published.
      boolean strictGaps = config.strict() && !strictFailure && reconciliation.map(r -> !r.allMatch()).orElse(false);
      boolean withReport = config.report() && !strictFailure;
      List<String> outputs = strictFailure ? OutputFiles.strictFailure()
          : OutputFiles.all(withCounterfactual, withReport, reconciliation.isPresent());
      RunManifest manifest = new RunManifest(version(), runId, config.arguments(), startedAt, Instant.now(),
          strictFailure ? RunManifest.STATUS_STRICT_QUARANTINE
              : strictGaps ? RunManifest.STATUS_STRICT_RECONCILIATION : RunManifest.STATUS_PUBLISHED, config.period(),
          files, card, tables.costScale(), counts, scenarios.stream().map(Scenario::name).toList(),
          grandTotal.cost(), outputs, strictFailure ? Optional.empty() : reconciliation, config.dedupe());
      if (withReport) {
        Progress.Stage writingReport = progress.start("writing report " + config.period().label());
        ReportFigures figures = ReportFigures.collect(manifest, rollup, totals, Optional.ofNullable(sheet));
        // Read before this run publishes its rollup over the earlier one.
        figures = figures.withPrevious(PreviousPeriod.before(figures, spark, publisher.published(OutputFiles.ROLLUP)));
        OutputFiles.writeReport(HtmlReport.render(figures), publisher, hadoopConf);
        writingReport.done();
      }
      ManifestWriter.write(manifest, publisher.staged(OutputFiles.MANIFEST), hadoopConf);
      publisher.publish(outputs, strictFailure ? List.of()
          : OutputFiles.staleUnless(withCounterfactual, withReport, reconciliation.isPresent()));

      out.print(RunSummary.render(manifest, TopCosts.features(totals), TopCosts.models(totals),
          withCounterfactual ? Savings.largest(sheet) : List.of(), publisher.outDir().toString()));
      if (reconciliation.isPresent() && !strictFailure) {
        out.print(ReconciliationSummary.render(reconciliation.get(), card.currency()));
      }
      for (Dataset<Row> cached : java.util.Arrays.asList(usage, rollup, counterfactualByDay, sheet)) {
        if (cached != null) {
          cached.unpersist();
        }
      }
      return strictFailure ? ExitStatus.QUARANTINED_IN_STRICT_MODE
          : strictGaps ? ExitStatus.RECONCILIATION_GAPS_IN_STRICT_MODE : ExitStatus.SUCCESS;
    } catch (RuntimeException | IOException e) {
      publisher.discardStaging();
      throw e;
    }
  }

  private static String version() {
    String version = RepriceJob.class.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }
}
