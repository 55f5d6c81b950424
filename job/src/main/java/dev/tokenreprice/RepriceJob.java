package dev.tokenreprice;

import dev.tokenreprice.cardcheck.CardCheckRun;
import dev.tokenreprice.cli.ArgumentParser;
import dev.tokenreprice.cli.ExitStatus;
import dev.tokenreprice.cli.JobConfig;
import dev.tokenreprice.cli.Period;
import dev.tokenreprice.cli.UsageException;
import dev.tokenreprice.counterfactual.RequestFacts;
import dev.tokenreprice.counterfactual.Scenario;
import dev.tokenreprice.counterfactual.ScenarioParser;
import dev.tokenreprice.counterfactual.ScenarioPrices;
import dev.tokenreprice.history.PreviousRun;
import dev.tokenreprice.history.SinceLastRun;
import dev.tokenreprice.input.InputFile;
import dev.tokenreprice.input.InputFiles;
import dev.tokenreprice.input.LogFormats;
import dev.tokenreprice.input.LogReader;
import dev.tokenreprice.input.RunSize;
import dev.tokenreprice.output.ManifestWriter;
import dev.tokenreprice.output.Outcome;
import dev.tokenreprice.output.OutputFiles;
import dev.tokenreprice.output.OutputLock;
import dev.tokenreprice.output.OutputLockedException;
import dev.tokenreprice.output.OutputPublisher;
import dev.tokenreprice.output.RunManifest;
import dev.tokenreprice.ratecard.RateCard;
import dev.tokenreprice.ratecard.RateCardLoader;
import dev.tokenreprice.ratecard.RateCardTables;
import dev.tokenreprice.reconcile.Bill;
import dev.tokenreprice.reconcile.BillReader;
import dev.tokenreprice.reconcile.JobCosts;
import dev.tokenreprice.reconcile.Reconciliation;
import dev.tokenreprice.report.DailyCostsByModel;
import dev.tokenreprice.report.HtmlReport;
import dev.tokenreprice.report.PreviousPeriod;
import dev.tokenreprice.report.Progress;
import dev.tokenreprice.report.PromotionsPastEnd;
import dev.tokenreprice.report.ReconciliationSummary;
import dev.tokenreprice.report.ReportFigures;
import dev.tokenreprice.report.RunSummary;
import dev.tokenreprice.report.Savings;
import dev.tokenreprice.report.ScenarioFigures;
import dev.tokenreprice.report.TopCosts;
import dev.tokenreprice.rollup.MaterializedUsage;
import dev.tokenreprice.rollup.Totals;
import dev.tokenreprice.rollup.UsageAggregation;
import dev.tokenreprice.tables.AsOfRun;
import dev.tokenreprice.tables.CommitConflictException;
import dev.tokenreprice.tables.TableCommits;
import dev.tokenreprice.tables.TablePublication;
import dev.tokenreprice.tables.TableRows;
import dev.tokenreprice.validate.DaysSeen;
import dev.tokenreprice.validate.Deduplication;
import dev.tokenreprice.validate.RowCounts;
import dev.tokenreprice.validate.UsageFacts;
import dev.tokenreprice.validate.Validation;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The job: read -> normalize -> validate -> aggregate usage (the one pass over the logs, kept) -> price -> roll up
 * (and price the counterfactual scenarios, and compare with the bill) -> decide the outcome -> write -> publish.
 * Reading this class top to bottom tells the whole story; each step lives in its stage's package.
 */
public final class RepriceJob {
  private static final DateTimeFormatter RUN_ID_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private static final String LISTING_PARALLELISM = "spark.sql.sources.parallelPartitionDiscovery.parallelism";
  private static final String ADAPTIVE_EXECUTION = "spark.sql.adaptive.enabled";
  private static final String ICU_CASE_MAPPINGS = "spark.sql.icu.caseMappings.enabled";
  private static final String MAX_SINGLE_PARTITION_BYTES = "spark.sql.maxSinglePartitionBytes";
  private static final String HUGE_METHOD_LIMIT = "spark.sql.codegen.hugeMethodLimit";
  /** The JVM compiles no method of more bytecode than this (HotSpot's HugeMethodLimit): it runs interpreted. */
  private static final int JIT_METHOD_LIMIT = 8000;

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
      if (config.checkCard().isPresent()) {
        return CardCheckRun.run(config, spark.sparkContext().hadoopConfiguration(), out).code();
      }
      return (config.asOf().isPresent() ? AsOfRun.render(config, spark, out, err) : reprice(config, spark, out, err))
          .code();
    } catch (ArgumentParser.HelpRequested help) {
      out.println(ArgumentParser.USAGE);
      return ExitStatus.SUCCESS.code();
    } catch (UsageException e) {
      err.println("reprice: " + e.getMessage());
      return ExitStatus.USAGE.code();
    } catch (CommitConflictException | OutputLockedException e) {
      err.println("reprice: " + e.getMessage());
      return ExitStatus.FAILURE.code();
    } catch (Exception e) {
      err.println("reprice: failed, nothing was published: " + e);
      e.printStackTrace(err);
      return ExitStatus.FAILURE.code();
    }
  }

  /** The session settings the job runs with; tests that compile its plans apply them too. */
  static void configure(SparkSession spark) {
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
    // Adaptive execution runs every shuffle of a query as a Spark job of its own. The job's shuffles are of partial
    // aggregates and of the small usage groups, where it has nothing to adapt, and a small run is mostly the fixed
    // cost of its jobs: off, unless the session's configuration says otherwise (docs/benchmarks.md).
    if (!spark.conf().contains(ADAPTIVE_EXECUTION)) {
      spark.conf().set(ADAPTIVE_EXECUTION, "false");
    }
    // Model names, providers and option values are compared lower-cased, as the rate card's are on the driver
    // (ModelNames.key: the JVM's mapping in the root locale). Spark's ICU mapping of lower() builds a table of every
    // code point the first time a JVM uses it, seconds of each executor's time (docs/benchmarks.md).
    if (!spark.conf().contains(ICU_CASE_MAPPINGS)) {
      spark.conf().set(ICU_CASE_MAPPINGS, "false");
    }
    // A small run keeps its usage groups in one partition on purpose (input.RunSize), and joins them with the card's
    // small tables there. The planner estimates a join's size as the product of its sides' and, above this many
    // bytes, would shuffle both sides of every later join to spread an estimate that is not real.
    if (!spark.conf().contains(MAX_SINGLE_PARTITION_BYTES)) {
      spark.conf().set(MAX_SINGLE_PARTITION_BYTES, Long.toString(Long.MAX_VALUE));
    }
    // A stage whose generated code has a method the JVM will not compile runs it interpreted, several times as slow
    // (the pass once took 89 s of 142 so): Spark then runs the stage without whole-stage code generation instead. A
    // test keeps the pass of every built-in format below the limit; this is the net under it.
    if (!spark.conf().contains(HUGE_METHOD_LIMIT)) {
      spark.conf().set(HUGE_METHOD_LIMIT, Integer.toString(JIT_METHOD_LIMIT));
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
    OutputPublisher publisher = OutputPublisher.prepare(config.outDir(), runId, hadoopConf);
    // One run at a time per --out: the lock is taken before anything is read (--since-last-run reads DIR/runs/ too).
    try (OutputLock lock = publisher.lock(Duration.ofSeconds(config.waitForLockSeconds()))) {
      // What an earlier run left: a lock taken over from it, a publish it began and did not finish.
      List<String> recovered = new ArrayList<>(lock.takeoverNote().stream().toList());
      recovered.addAll(publisher.recoverEarlierRuns());
      return repriceUnderLock(config, card, bill, publisher, lock, recovered, runId, startedAt, spark, out, err);
    }
  }

  private static ExitStatus repriceUnderLock(JobConfig config, RateCard card, Optional<Bill> bill,
      OutputPublisher publisher, OutputLock lock, List<String> recovered, String runId, Instant startedAt,
      SparkSession spark, PrintStream out, PrintStream err) throws IOException {
    Configuration hadoopConf = spark.sparkContext().hadoopConfiguration();
    Progress progress = Progress.of(spark, config.quiet(), err);
    progress.describe("listing the input");
    InputFiles.Listing listing = InputFiles.list(config.inputs(), config.format(), hadoopConf,
        new LogFormats(hadoopConf), spark);
    List<InputFile> files = listing.read();
    // Building the reading plan reads no records, but resolves every mapping expression against its schema.
    Dataset<Row> logs = LogReader.read(spark, files);
    Optional<Period> toPrice = periodToPrice(config, publisher, files, spark, progress, out);
    if (toPrice.isEmpty()) {
      // No manifest is written: what the run recovered of an earlier one is said here.
      recovered.forEach(line -> out.println("reprice: recovered: " + line));
      return ExitStatus.SUCCESS;
    }
    Period period = toPrice.get();
    List<Scenario> scenarios = ScenarioParser.forRun(config.scenarios(), card, period);
    RunSize size = RunSize.of(files);
    RateCardTables tables = RateCardTables.of(card, spark, size);
    RequestFacts requestFacts = RequestFacts.of(scenarios, tables);
    boolean withCounterfactual = !scenarios.isEmpty();

    try {
      Progress.Stage reading = progress.start("reading and pricing " + period.label());
      reading.describe("finding repeated request ids");
      Dataset<Row> usage = UsageAggregation.byStatusAndPrice(Validation.statusOfEachRow(size.forThePass(logs), tables, period,
          Deduplication.Plan.forInput(config.dedupe(), size)), requestFacts.rowValues(), requestFacts.keys(), requestFacts.sums());
      // The tables are checked (or created) from the plans' schemas, before the logs are read and priced.
      Optional<TablePublication> publication = config.table().map(name -> {
        Dataset<Row> noGroups = spark.createDataFrame(List.of(), usage.schema());
        return TablePublication.prepare(spark, name, runId, version(), card.sha256(),
            RunResults.schemas(UsageAggregation.explained(noGroups, tables),
                UsageAggregation.priced(noGroups, requestFacts.sums().keySet()), ScenarioPrices.none(tables, spark),
                requestFacts, tables));
      });
      reading.describe("the pass over the logs");
      try (MaterializedUsage pass = MaterializedUsage.of(usage, requestFacts.sums().keySet(), tables, size, spark)) {
        RowCounts counts = pass.facts().counts();
        if (counts.rowsRead() + counts.rowsOutsidePeriod() + counts.recordsSkipped() == 0) {
          throw new UsageException("input " + String.join(", ", config.inputPaths()) + " holds no records (nothing to price)");
        }
        reading.done(Progress.count(counts.rowsRead(), "row", "rows"));
        RunResults results = RunResults.of(pass.groups(), pass.priced(), () -> withCounterfactual
            ? ScenarioPrices.of(scenarios, pass.facts().priceIds(), requestFacts, tables, spark)
            : ScenarioPrices.none(tables, spark), requestFacts, tables);
        return publish(config, card, tables, bill, period, scenarios, pass.facts(), listing, files, size, results,
            publication, publisher, lock, recovered, progress, runId, startedAt, out, spark);
      }
    } catch (RuntimeException | IOException e) {
      publisher.discardStaging();
      throw e;
    }
  }

  /**
   * Writes the run's outputs from the materialized usage groups (a handful of Spark jobs over a small aggregate),
   * decides its {@link Outcome} and publishes what it says.
   */
  private static ExitStatus publish(JobConfig config, RateCard card, RateCardTables tables, Optional<Bill> bill,
      Period period, List<Scenario> scenarios, UsageFacts facts, InputFiles.Listing listing, List<InputFile> files,
      RunSize size, RunResults results, Optional<TablePublication> publication, OutputPublisher publisher,
      OutputLock lock, List<String> recovered, Progress progress, String runId, Instant startedAt, PrintStream out,
      SparkSession spark)
      throws IOException {
    Configuration hadoopConf = spark.sparkContext().hadoopConfiguration();
    RowCounts counts = facts.counts();
    DaysSeen daysSeen = facts.days();
    // A bounded period covers each of its days, also one whose rows are all gone; an open one, the days it saw.
    List<LocalDate> days = period.bounded() ? period.days() : List.copyOf(daysSeen.inPeriod());
    // Under --strict a damaged input file is a quarantine of its own: its rows are not in the rollups.
    long setAside = counts.rowsQuarantined() + listing.damaged().size();
    boolean rollupsPublished = Outcome.publishesRollups(config.strict(), setAside);

    RunOutputs written = RunOutputs.write(results, rollupsPublished, !scenarios.isEmpty(), config.focus(),
        counts.rowsQuarantined(), card, bill, period, size, publisher, progress, hadoopConf);
    TopCosts.GrandTotal grandTotal = TopCosts.grandTotal(written.totals());
    counts.requireRolledUp(grandTotal.requests());
    Optional<Reconciliation> reconciliation = bill.map(b -> Reconciliation.of(written.jobCosts().sums().costs(),
        written.jobCosts().sums().tokens(), b, period, config.tolerancePercent()));
    Outcome outcome = Outcome.decide(config.strict(), setAside, !scenarios.isEmpty(), config.report(),
        reconciliation, config.focus());
    if (outcome.reconciliation().isPresent()) {
      OutputFiles.writeReconciliationCsv(outcome.reconciliation().get(), publisher, hadoopConf);
    }

    RunManifest manifest = new RunManifest(version(), runId, config.arguments(), startedAt, Instant.now(),
        outcome.manifestStatus(), period, files, listing.notRead(), card, tables.costScale(), counts,
        scenarios.stream().map(Scenario::name).toList(), grandTotal.cost(), outcome.outputs(), outcome.reconciliation(),
        config.dedupe(), days, daysSeen, warnings(written, card, scenarios, period),
        recovered);
    if (outcome.withReport()) {
      Progress.Stage writingReport = progress.start("writing report " + period.label());
      ReportFigures figures = ReportFigures.collect(manifest, written.dailyByModel().costs(), written.totals(),
          written.scenarioFigures().scenarios());
      // Read before this run publishes its rollup over the earlier one; with tables, the rollup table as the run found it.
      figures = figures.withPrevious(publication.isPresent()
          ? PreviousPeriod.before(figures, publication.get().rollupAtStart())
          : PreviousPeriod.publishedBefore(figures, spark, publisher.published(OutputFiles.ROLLUP)));
      OutputFiles.writeReport(HtmlReport.render(figures), publisher, hadoopConf);
      writingReport.done();
    }
    ManifestWriter.write(manifest, publisher.staged(OutputFiles.MANIFEST), hadoopConf);
    ManifestWriter.write(manifest, publisher.staged(OutputFiles.runManifest(runId)), hadoopConf);
    // The tables are committed before the files are moved in: a refused commit leaves --out as it was too.
    Optional<TableCommits> commits = publication.map(tablesOfRun -> {
      Progress.Stage committing = progress.start("committing tables " + config.table().get() + " " + period.label());
      TableCommits committed = tablesOfRun.commit(TableRows.of(outcome.rollupsPublished(), outcome.withCounterfactual(),
          results.rollup(), results.counterfactualByDay(), results.quarantined()), days, manifest);
      committing.done(Progress.count(committed.snapshotIds().size(), "table", "tables"));
      return committed;
    });
    lock.requireHeld();
    publisher.publish(OutputFiles.publishing(outcome.outputs(), runId), outcome.stale(), OutputFiles.PARTITIONED_BY_DAY,
        days);

    out.print(RunSummary.render(manifest, grandTotal, TopCosts.features(written.totals()),
        TopCosts.models(written.totals()), Savings.largest(written.scenarioFigures().scenarios()),
        publisher.outDir().toString()));
    outcome.reconciliation().ifPresent(compared -> out.print(ReconciliationSummary.render(compared, card.currency())));
    commits.ifPresent(committed -> out.println(committed.summaryLine()));
    results.unpersist();
    return outcome.exitStatus();
  }

  /** The manifest's warnings: prices past a promotion's end, then scenarios of retired models. */
  private static List<String> warnings(RunOutputs written, RateCard card, List<Scenario> scenarios, Period period) {
    List<String> warnings = new java.util.ArrayList<>();
    written.promotions().past().forEach(past -> warnings.add(past.warning(card.currency())));
    warnings.addAll(ScenarioParser.retiredTargets(scenarios, period));
    return List.copyOf(warnings);
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
