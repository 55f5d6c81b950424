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
import dev.tokenreprice.reconcile.Bill;
import dev.tokenreprice.reconcile.BillReader;
import dev.tokenreprice.reconcile.JobCosts;
import dev.tokenreprice.reconcile.Reconciliation;
import dev.tokenreprice.report.ReconciliationSummary;
import dev.tokenreprice.report.DailyCostsByModel;
import dev.tokenreprice.report.HtmlReport;
import dev.tokenreprice.report.PreviousPeriod;
import dev.tokenreprice.report.Progress;
import dev.tokenreprice.report.PromotionsPastEnd;
import dev.tokenreprice.report.ReportFigures;
import dev.tokenreprice.report.RunSummary;
import dev.tokenreprice.report.ScenarioFigures;
import dev.tokenreprice.report.Savings;
import dev.tokenreprice.report.TopCosts;
import dev.tokenreprice.rollup.Rollup;
import dev.tokenreprice.rollup.Totals;
import dev.tokenreprice.rollup.UsageAggregation;
import dev.tokenreprice.tables.AsOfRun;
import dev.tokenreprice.tables.CommitConflictException;
import dev.tokenreprice.tables.TableCommits;
import dev.tokenreprice.tables.TablePublication;
import dev.tokenreprice.tables.TableRows;
import dev.tokenreprice.tables.TableSchemas;
import dev.tokenreprice.validate.DaysSeen;
import dev.tokenreprice.validate.RowCounts;
import dev.tokenreprice.validate.UsageFacts;
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
 * counterfactual scenarios, and compare with the bill) -> write -> publish.
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

  private static final String LISTING_PARALLELISM = "spark.sql.sources.parallelPartitionDiscovery.parallelism";

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
      SparkSession spark = sparkSession.get();
      configure(spark);
      return (config.asOf().isPresent() ? AsOfRun.render(config, spark, out, err) : reprice(config, spark, out, err))
          .code();
    } catch (ArgumentParser.HelpRequested help) {
      out.println(ArgumentParser.USAGE);
      return ExitStatus.SUCCESS.code();
    } catch (UsageException e) {
      err.println("reprice: " + e.getMessage());
      return ExitStatus.USAGE.code();
    } catch (CommitConflictException e) {
      err.println("reprice: " + e.getMessage());
      return ExitStatus.FAILURE.code();
    } catch (Exception e) {
      err.println("reprice: failed, nothing was published: " + e);
      e.printStackTrace(err);
      return ExitStatus.FAILURE.code();
    }
  }

  private static void configure(SparkSession spark) {
    // The day of a request is its UTC day, whatever zone the cluster's session defaults to.
    spark.conf().set("spark.sql.session.timeZone", "UTC");
    // OTLP attribute lists may repeat a key (a span attribute over a resource one): the last one wins.
    spark.conf().set("spark.sql.mapKeyDedupPolicy", "LAST_WIN");
    // The job lists its input files itself and hands Spark each file. Above 32 paths Spark checks them in a
    // listing job of one task per path (up to 10,000): 1,300 Claude Code session files took 9.7 s in local
    // mode. A few tasks per core still list in parallel on a cluster's object store.
    if (!spark.conf().contains(LISTING_PARALLELISM)) {
      spark.conf().set(LISTING_PARALLELISM, Integer.toString(4 * spark.sparkContext().defaultParallelism()));
    }
  }

  static ExitStatus reprice(JobConfig config, SparkSession spark, PrintStream out, PrintStream err) throws IOException {
    Instant startedAt = Instant.now();
    String runId = RUN_ID_TIME.format(startedAt) + "-" + UUID.randomUUID().toString().substring(0, 8);
    Configuration hadoopConf = spark.sparkContext().hadoopConfiguration();

    // Everything that can be wrong with the arguments is found before any data is read.
    RateCard card = RateCardLoader.load(config.rateCard(), hadoopConf);
    Optional<Bill> bill = config.reconciles()
        ? Optional.of(BillReader.read(config.reconcile(), card, hadoopConf)) : Optional.empty();
    if (config.strict()) {
      bill.ifPresent(RepriceJob::requireEveryBillFileCounts);
    }
    InputFiles.Listing listing = InputFiles.list(config.inputs(), config.format(), hadoopConf,
        new LogFormats(hadoopConf), spark);
    List<InputFile> files = listing.read();
    // Building the reading plan reads no records, but resolves every mapping expression against its schema.
    Dataset<Row> logs = LogReader.read(spark, files);
    OutputPublisher publisher = OutputPublisher.prepare(config.outDir(), runId, hadoopConf);
    Progress progress = Progress.of(spark, config.quiet(), err);
    Optional<Period> toPrice = periodToPrice(config, publisher, files, spark, progress, out);
    if (toPrice.isEmpty()) {
      return ExitStatus.SUCCESS;
    }
    Period period = toPrice.get();
    List<Scenario> scenarios = ScenarioParser.forRun(config.scenarios(), card, period);
    RateCardTables tables = RateCardTables.of(card, spark);
    ScenarioColumns scenarioColumns = new ScenarioColumns(scenarios, tables);

    try {
      Progress.Stage reading = progress.start("reading and pricing " + period.label());
      Dataset<Row> classified = Validation.classify(logs, tables, period, config.dedupe());
      // The usage groups are few (thousands, not millions): in a handful of partitions every later stage
      // runs a handful of tasks instead of one per shuffle partition.
      Dataset<Row> usage = UsageAggregation.byStatusAndPrice(classified, scenarioColumns.keys(), scenarioColumns.sums())
          .coalesce(spark.sparkContext().defaultParallelism())
          .persist();
      boolean withCounterfactual = !scenarios.isEmpty();
      Dataset<Row> rollup = Rollup.of(Pricer.price(UsageAggregation.priced(usage), tables), tables.costScale()).persist();
      Dataset<Row> counterfactualByDay = Counterfactual.byDay(UsageAggregation.priced(usage), scenarioColumns, tables);
      if (withCounterfactual) {
        counterfactualByDay.persist();
      }
      // The tables are checked (or created) from the plans' schemas, before the logs are read and priced.
      Optional<TablePublication> publication = config.table().map(name -> TablePublication.prepare(spark, name, runId,
          version(), card.sha256(), TableSchemas.of(rollup.schema(), counterfactualByDay.schema(),
              UsageAggregation.quarantined(usage).schema(), tables.costScale())));
      UsageFacts facts = UsageFacts.of(usage, UsageAggregation.ROWS, UsageAggregation.REQUESTS);
      RowCounts counts = facts.counts();
      if (counts.rowsRead() + counts.rowsOutsidePeriod() + counts.recordsSkipped() == 0) {
        throw new UsageException("input " + String.join(", ", config.inputPaths()) + " holds no records (nothing to price)");
      }
      List<Row> totals = Totals.collectInOrder(Totals.of(rollup, tables.costScale()));
      Dataset<Row> sheet = withCounterfactual
          ? Counterfactual.sheet(counterfactualByDay, tables.costScale()).persist() : null;

      TopCosts.GrandTotal grandTotal = TopCosts.grandTotal(totals);
      List<PromotionsPastEnd.PastPromotion> pastPromotions = PromotionsPastEnd.in(rollup, totals, card, period);
      counts.requireRolledUp(grandTotal.requests());
      reading.done(Progress.count(counts.rowsRead(), "row", "rows"));
      Optional<Reconciliation> reconciliation = bill.map(b -> {
        Progress.Stage reconciling = progress.start("reconciling with the bill " + period.label());
        JobCosts.Sums sums = JobCosts.of(rollup, b.toolFeesApart(), b.hasUsageReport());
        Reconciliation compared = Reconciliation.of(sums.costs(), sums.tokens(), b, period, config.tolerancePercent());
        reconciling.done();
        return compared;
      });

      DaysSeen daysSeen = facts.days();
      // A bounded period covers each of its days, also one whose rows are all gone; an open one, the days it saw.
      List<LocalDate> days = period.bounded() ? period.days() : List.copyOf(daysSeen.inPeriod());

      Progress.Stage writingQuarantine = progress.start("writing quarantine " + period.label());
      OutputFiles.writeQuarantine(UsageAggregation.quarantined(usage), counts.rowsQuarantined() > 0, publisher);
      writingQuarantine.done(Progress.count(counts.rowsQuarantined(), "row", "rows"));
      boolean strictFailure = config.strict() && counts.rowsQuarantined() > 0;
      // The report's chart and scenario figures are added up as rollup.csv and counterfactual.csv stream by.
      DailyCostsByModel dailyByModel = new DailyCostsByModel();
      ScenarioFigures scenarioFigures = new ScenarioFigures();
      if (!strictFailure) {
        Progress.Stage writingRollups = progress.start("writing rollups " + period.label());
        OutputFiles.writeRollup(rollup, publisher);
        afterRollupStaged.run();
        OutputFiles.writeRollupCsv(rollup, publisher, hadoopConf, dailyByModel);
        OutputFiles.writeTotalsCsv(totals, publisher, hadoopConf);
        writingRollups.done();
        if (withCounterfactual) {
          Progress.Stage writingCounterfactual = progress.start("writing counterfactual " + period.label());
          OutputFiles.writeCounterfactual(counterfactualByDay, publisher);
          OutputFiles.writeCounterfactualCsv(sheet, publisher, hadoopConf, scenarioFigures);
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
              : strictGaps ? RunManifest.STATUS_STRICT_RECONCILIATION : RunManifest.STATUS_PUBLISHED, period,
          files, listing.notRead(), card, tables.costScale(), counts, scenarios.stream().map(Scenario::name).toList(),
          grandTotal.cost(), outputs, strictFailure ? Optional.empty() : reconciliation, config.dedupe(), days, daysSeen,
          pastPromotions.stream().map(past -> past.warning(card.currency())).toList());
      if (withReport) {
        Progress.Stage writingReport = progress.start("writing report " + period.label());
        ReportFigures figures = ReportFigures.collect(manifest, dailyByModel.costs(), totals, scenarioFigures.scenarios());
        // Read before this run publishes its rollup over the earlier one; with tables, the rollup table as the run found it.
        Optional<Dataset<Row>> earlierRollup = publication.isPresent() ? publication.get().rollupAtStart()
            : PreviousPeriod.publishedRollup(spark, publisher.published(OutputFiles.ROLLUP));
        figures = figures.withPrevious(PreviousPeriod.before(figures, earlierRollup));
        OutputFiles.writeReport(HtmlReport.render(figures), publisher, hadoopConf);
        writingReport.done();
      }
      ManifestWriter.write(manifest, publisher.staged(OutputFiles.MANIFEST), hadoopConf);
      ManifestWriter.write(manifest, publisher.staged(OutputFiles.runManifest(runId)), hadoopConf);
      // The tables are committed before the files are moved in: a refused commit leaves --out as it was too.
      Optional<TableCommits> commits = publication.map(tablesOfRun -> {
        Progress.Stage committing = progress.start("committing tables " + config.table().get() + " " + period.label());
        TableCommits committed = tablesOfRun.commit(TableRows.of(!strictFailure, withCounterfactual, rollup,
            counterfactualByDay, UsageAggregation.quarantined(usage)), days, manifest);
        committing.done(Progress.count(committed.snapshotIds().size(), "table", "tables"));
        return committed;
      });
      publisher.publish(OutputFiles.publishing(outputs, runId), strictFailure ? List.of()
          : OutputFiles.staleUnless(withCounterfactual, withReport, reconciliation.isPresent()),
          OutputFiles.PARTITIONED_BY_DAY, days);

      if (withCounterfactual && strictFailure) {
        // No counterfactual.csv streamed the sheet by; the summary still names the largest savings.
        OutputFiles.sheetInOrder(sheet).forEachRemaining(scenarioFigures);
      }
      out.print(RunSummary.render(manifest, grandTotal, TopCosts.features(totals), TopCosts.models(totals),
          Savings.largest(scenarioFigures.scenarios()), publisher.outDir().toString()));
      if (reconciliation.isPresent() && !strictFailure) {
        out.print(ReconciliationSummary.render(reconciliation.get(), card.currency()));
      }
      commits.ifPresent(committed -> out.println(committed.summaryLine()));
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

  /**
   * The period asked for; with {@code --since-last-run}, narrowed to the days whose input files changed since
   * the last published run, or empty when nothing changed (the run then publishes nothing).
   */
  private static Optional<Period> periodToPrice(JobConfig config, OutputPublisher publisher, List<InputFile> files,
      SparkSession spark, Progress progress, PrintStream out) throws IOException {
    Optional<PreviousRun> previous = config.sinceLastRun()
        ? PreviousRun.lastPublished(publisher.outDir(), spark.sparkContext().hadoopConfiguration()) : Optional.empty();
    if (previous.isEmpty()) {
      return Optional.of(config.period());
    }
    Progress.Stage finding = progress.start("finding the days changed since run " + previous.get().runId());
    Optional<Period> changed = SinceLastRun.period(config.period(), previous.get(), files, spark);
    finding.done();
    if (changed.isEmpty()) {
      out.println("reprice: nothing changed since run " + previous.get().runId() + " in " + config.period().label()
          + "; nothing published");
    }
    return changed;
  }

  /** With {@code --strict}, a bill file that contributes no cost line is a mistake to stop on, not a pass. */
  private static void requireEveryBillFileCounts(Bill bill) {
    bill.filesContributingNothing().stream().findFirst().ifPresent(file -> {
      throw new UsageException("reconcile file " + file.path() + " contributes no cost line (" + file.linesSkipped()
          + " lines left out as no model's token cost): with --strict every bill file must bill some model of the"
          + " rate card (give the right file, or leave it out)");
    });
  }

  private static String version() {
    String version = RepriceJob.class.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }
}
