package dev.tokenreprice.tables;

import static org.apache.spark.sql.functions.col;

import dev.tokenreprice.cli.ExitStatus;
import dev.tokenreprice.cli.JobConfig;
import dev.tokenreprice.cli.UsageException;
import dev.tokenreprice.counterfactual.Counterfactual;
import dev.tokenreprice.output.ManifestWriter;
import dev.tokenreprice.input.RunSize;
import dev.tokenreprice.output.OutputFiles;
import dev.tokenreprice.output.OutputPublisher;
import dev.tokenreprice.report.HtmlReport;
import dev.tokenreprice.report.PreviousPeriod;
import dev.tokenreprice.report.Progress;
import dev.tokenreprice.report.DailyCostsByModel;
import dev.tokenreprice.report.ReportFigures;
import dev.tokenreprice.report.ScenarioFigures;
import dev.tokenreprice.rollup.Rollup;
import dev.tokenreprice.rollup.Totals;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code --as-of RUN_ID}: shows a published run again exactly as it was, after later runs re-priced its days. Its
 * row in the runs table names the snapshots it committed; {@code rollup.csv}, {@code totals.csv},
 * {@code counterfactual.csv} and the report are rendered from those snapshots (time travel) by the writers the run
 * used, and its manifest is written from the row, into {@code DIR/as-of/RUN_ID/}: the same bytes the run wrote.
 */
public final class AsOfRun {
  /** {@code DIR/as-of/RUN_ID/} holds a run rendered again; the outputs of the latest run in DIR stay as they are. */
  public static final String AS_OF_DIR = "as-of";

  private AsOfRun() {}

  public static ExitStatus render(JobConfig config, SparkSession spark, PrintStream out, PrintStream err)
      throws IOException {
    TableName name = config.table().orElseThrow(() -> new IllegalStateException("--as-of is parsed with --table"));
    String runId = config.asOf().orElseThrow(() -> new IllegalStateException("render is called for --as-of"));
    Configuration hadoopConf = spark.sparkContext().hadoopConfiguration();
    OutputPublisher publisher = OutputPublisher.prepare(config.outDir() + "/" + AS_OF_DIR + "/" + runId,
        "as-of-" + UUID.randomUUID().toString().substring(0, 8), hadoopConf);
    IcebergTables tables = Catalogs.open(spark, name);
    Progress progress = Progress.of(spark, config.quiet(), err);
    Progress.Stage finding = progress.start("finding run " + runId + " in " + name.of(RunTable.RUNS));
    PublishedRun run = RunsTable.read(spark, name, runId);
    finding.done();
    long rollupSnapshot = run.rollupSnapshot().orElseThrow(() -> new UsageException("--as-of " + runId
        + ": the run published no rollup (its status is " + run.status() + "), there is nothing to show again"));
    requireSnapshot(tables, name, runId, RunTable.ROLLUP, rollupSnapshot);
    Optional<Long> counterfactualSnapshot = run.scenarios().isEmpty() ? Optional.empty() : run.counterfactualSnapshot();
    counterfactualSnapshot.ifPresent(snapshot -> requireSnapshot(tables, name, runId, RunTable.COUNTERFACTUAL, snapshot));

    Progress.Stage rendering = progress.start("rendering run " + runId + " " + run.period().label()
        + " as of its snapshots");
    Dataset<Row> rollup = readAt(spark, name, RunTable.ROLLUP, rollupSnapshot).filter(TableWrites.inDays(run.days()))
        .select(columns(Rollup.COLUMNS)).persist();
    Optional<Dataset<Row>> sheet = counterfactualSnapshot.map(snapshot -> Counterfactual.sheet(
        readAt(spark, name, RunTable.COUNTERFACTUAL, snapshot).filter(TableWrites.inDays(run.days()))
            .select(columns(Counterfactual.DAY_COLUMNS)), run.costScale()).persist());
    try {
      Totals totalsOfRun = new Totals(rollup.schema(), run.costScale());
      DailyCostsByModel dailyByModel = new DailyCostsByModel();
      ScenarioFigures scenarioFigures = new ScenarioFigures();
      OutputFiles.writeRollupCsv(rollup, publisher, hadoopConf, RunSize.LARGE, totalsOfRun.andThen(dailyByModel));
      List<Row> totals = totalsOfRun.inOrder();
      OutputFiles.writeTotalsCsv(totals, publisher, hadoopConf);
      if (sheet.isPresent()) {
        OutputFiles.writeCounterfactualCsv(sheet.get(), publisher, hadoopConf, RunSize.LARGE, scenarioFigures);
      }
      if (config.report()) {
        ReportFigures figures = ReportFigures.collect(run.reportRun(), dailyByModel.costs(), totals,
            scenarioFigures.scenarios());
        // The run compared with the rollup as it found it, which its row names.
        figures = figures.withPrevious(PreviousPeriod.before(figures,
            run.rollupBase().map(snapshot -> readAt(spark, name, RunTable.ROLLUP, snapshot))));
        OutputFiles.writeReport(HtmlReport.render(figures), publisher, hadoopConf);
      }
      ManifestWriter.write(run.manifestJson(), publisher.staged(OutputFiles.MANIFEST), hadoopConf);
      publisher.publish(outputs(sheet.isPresent(), config.report()),
          OutputFiles.staleUnless(sheet.isPresent(), config.report(), false), Set.of(), List.of());
    } catch (RuntimeException | IOException e) {
      publisher.discardStaging();
      throw e;
    } finally {
      rollup.unpersist();
      sheet.ifPresent(Dataset::unpersist);
    }
    rendering.done();
    out.println("reprice: run " + runId + " (" + run.period().label() + ") as it was published, from " + name
        + "_* at rollup snapshot " + rollupSnapshot + ": " + publisher.outDir());
    return ExitStatus.SUCCESS;
  }

  private static List<String> outputs(boolean withCounterfactual, boolean withReport) {
    List<String> outputs = new ArrayList<>(List.of(OutputFiles.ROLLUP_CSV, OutputFiles.TOTALS_CSV));
    if (withCounterfactual) {
      outputs.add(OutputFiles.COUNTERFACTUAL_CSV);
    }
    if (withReport) {
      outputs.add(OutputFiles.REPORT);
    }
    outputs.add(OutputFiles.MANIFEST);
    return List.copyOf(outputs);
  }

  private static void requireSnapshot(IcebergTables tables, TableName name, String runId, RunTable table,
      long snapshot) {
    if (!tables.hasSnapshot(table, snapshot)) {
      throw new UsageException("--as-of " + runId + ": snapshot " + snapshot + " of " + name.of(table) + " is expired"
          + " (expire_snapshots removed it), so the run cannot be shown again (keep the snapshots of closed months:"
          + " see docs/tables.md)");
    }
  }

  private static Dataset<Row> readAt(SparkSession spark, TableName name, RunTable table, long snapshot) {
    return TableWrites.readAt(spark, name.of(table), snapshot);
  }

  private static Column[] columns(List<String> names) {
    return names.stream().map(column -> col(column)).toArray(Column[]::new);
  }
}
