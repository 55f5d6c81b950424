package dev.tokenreprice.output;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.tokenreprice.counterfactual.Counterfactual;
import dev.tokenreprice.input.CanonicalSchema;
import dev.tokenreprice.input.RunSize;
import dev.tokenreprice.reconcile.Reconciliation;
import dev.tokenreprice.rollup.Rollup;
import dev.tokenreprice.rollup.Totals;
import dev.tokenreprice.rollup.UsageAggregation;
import dev.tokenreprice.validate.Validation;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/** The files a run writes into its output directory, each written to staging by one method here. */
public final class OutputFiles {
  public static final String ROLLUP = "rollup";
  public static final String ROLLUP_CSV = "rollup.csv";
  public static final String TOTALS_CSV = "totals.csv";
  public static final String QUARANTINE = "quarantine";
  public static final String COUNTERFACTUAL = "counterfactual";
  public static final String COUNTERFACTUAL_CSV = "counterfactual.csv";
  public static final String MANIFEST = ManifestWriter.FILE_NAME;
  /** {@code runs/RUN_ID/manifest.json} keeps every run's manifest; {@code manifest.json} is the latest. */
  public static final String RUNS = "runs";
  /** Outputs partitioned by day: a run replaces only the day folders it covers. */
  public static final java.util.Set<String> PARTITIONED_BY_DAY = java.util.Set.of(ROLLUP, COUNTERFACTUAL);
  public static final String RECONCILIATION_CSV = "reconciliation.csv";
  public static final String REPORT = "report.html";
  /** The run's costs as a FOCUS dataset ({@code --focus}): one CSV and one Parquet folder of the same rows. */
  public static final String FOCUS_CSV = "focus.csv";
  public static final String FOCUS = "focus";

  private OutputFiles() {}

  /** Parquet partitioned by day, one sorted file per day, for analysts and for re-reading. */
  public static void writeRollup(Dataset<Row> rollup, OutputPublisher publisher, RunSize size) {
    oneFilePerDay(rollup, Rollup.KEY_COLUMNS, size).write().mode(SaveMode.Overwrite).partitionBy(CanonicalSchema.DAY)
        .parquet(publisher.staged(ROLLUP).toString());
  }

  /**
   * Every day's rows in one task, in key order: a day becomes one file, not one small file per task (each
   * costs a Parquet writer), and the same rows always make the same file.
   */
  private static Dataset<Row> oneFilePerDay(Dataset<Row> rows, List<String> order, RunSize size) {
    return size.byDay(rows, CanonicalSchema.DAY)
        .sortWithinPartitions(order.stream().map(name -> col(name)).toArray(Column[]::new));
  }

  /** The rollup as one spreadsheet-ready CSV, sorted by day, feature, provider, model. */
  public static void writeRollupCsv(Dataset<Row> rollup, OutputPublisher publisher, Configuration hadoopConf,
      RunSize size, Consumer<Row> alsoTo) throws IOException {
    streamRollup(rollup, Optional.of(publisher), hadoopConf, size, alsoTo);
  }

  /**
   * The rollup's rows streamed to the driver in the order of rollup.csv (one Spark job), each shown to {@code alsoTo};
   * written to rollup.csv when there is a {@code publisher} to stage it with.
   */
  public static void streamRollup(Dataset<Row> rollup, Optional<OutputPublisher> publisher, Configuration hadoopConf,
      RunSize size, Consumer<Row> alsoTo) throws IOException {
    Column[] order = Rollup.KEY_COLUMNS.stream().map(name -> col(name)).toArray(Column[]::new);
    Iterator<Row> rows = passing(oneOrderedPartition(rollup, size, order), alsoTo);
    if (publisher.isPresent()) {
      CsvFile.write(publisher.get().staged(ROLLUP_CSV), hadoopConf, Rollup.COLUMNS, rows);
    } else {
      rows.forEachRemaining(row -> { });
    }
  }

  /** Subtotals by day, feature and model, then the grand total, as {@link Totals#collectInOrder} gives them. */
  public static void writeTotalsCsv(List<Row> totalsInOrder, OutputPublisher publisher, Configuration hadoopConf)
      throws IOException {
    CsvFile.write(publisher.staged(TOTALS_CSV), hadoopConf, Totals.COLUMNS, totalsInOrder.iterator());
  }

  /**
   * Quarantined rows as JSON lines, each with its reason, detail, source file, day and original record; an
   * empty folder when nothing was quarantined. Not partitioned by reason, so every line names its reason
   * for whoever reads the files without Spark.
   */
  public static void writeQuarantine(Dataset<Row> quarantined, boolean anyQuarantined, OutputPublisher publisher,
      RunSize size) throws IOException {
    if (!anyQuarantined) {
      publisher.stageEmptyDirectory(QUARANTINE);
      return;
    }
    // Quarantined records are few; one file sorted by reason is what a person opens.
    size.onePartition(quarantined)
        .sortWithinPartitions(col(Validation.REASON), col(CanonicalSchema.SOURCE_FILE), col(CanonicalSchema.RAW_RECORD))
        .write().mode(SaveMode.Overwrite).json(publisher.staged(QUARANTINE).toString());
    publisher.giveFixedFileNames(QUARANTINE);
  }

  /** The counterfactual at day grain, Parquet partitioned by day, for analysts. */
  public static void writeCounterfactual(Dataset<Row> byDay, OutputPublisher publisher, RunSize size) {
    oneFilePerDay(byDay, List.of(CanonicalSchema.DAY, CanonicalSchema.FEATURE, CanonicalSchema.PROVIDER,
        UsageAggregation.MODEL, Counterfactual.SCENARIO), size).write().mode(SaveMode.Overwrite)
        .partitionBy(CanonicalSchema.DAY).parquet(publisher.staged(COUNTERFACTUAL).toString());
  }

  /** The counterfactual sheet: feature rows first, then one total row per scenario. */
  public static void writeCounterfactualCsv(Dataset<Row> sheet, OutputPublisher publisher, Configuration hadoopConf,
      RunSize size, Consumer<Row> alsoTo) throws IOException {
    CsvFile.write(publisher.staged(COUNTERFACTUAL_CSV), hadoopConf, Counterfactual.SHEET_COLUMNS,
        passing(sheetInOrder(sheet, size), alsoTo));
  }

  /**
   * The sheet's rows streamed to the driver in the CSV's order (one Spark job), each shown to {@code alsoTo};
   * written to counterfactual.csv when there is a {@code publisher} to stage it with.
   */
  public static void streamSheet(Dataset<Row> sheet, Optional<OutputPublisher> publisher, Configuration hadoopConf,
      RunSize size, Consumer<Row> alsoTo) throws IOException {
    if (publisher.isPresent()) {
      writeCounterfactualCsv(sheet, publisher.get(), hadoopConf, size, alsoTo);
    } else {
      sheetInOrder(sheet, size).forEachRemaining(alsoTo);
    }
  }

  /** The sheet's rows in the CSV's order, streamed to the driver: feature rows first, then the totals. */
  public static Iterator<Row> sheetInOrder(Dataset<Row> sheet, RunSize size) {
    return oneOrderedPartition(sheet, size, col(CanonicalSchema.FEATURE).equalTo(lit(Counterfactual.ALL)),
        col(CanonicalSchema.FEATURE), col(CanonicalSchema.PROVIDER), col(UsageAggregation.MODEL),
        col(Counterfactual.SCENARIO));
  }

  /** The rows as they are, each also shown to {@code alsoTo} on its way: one stream serves a file and a figure. */
  private static Iterator<Row> passing(Iterator<Row> rows, Consumer<Row> alsoTo) {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return rows.hasNext();
      }

      @Override
      public Row next() {
        Row row = rows.next();
        alsoTo.accept(row);
        return row;
      }
    };
  }

  /**
   * A small aggregate streamed to the driver in order. Sorting it in one partition costs at most one shuffle of
   * the aggregate (none in a small run); a global sort would first run a job to sample its range, and streaming
   * several partitions would run a job for each.
   */
  private static Iterator<Row> oneOrderedPartition(Dataset<Row> rows, RunSize size, Column... order) {
    return size.onePartition(rows).sortWithinPartitions(order).toLocalIterator();
  }

  /** The run's costs against the bill, one line per day, provider and model, in that order. */
  public static void writeReconciliationCsv(Reconciliation reconciliation, OutputPublisher publisher,
      Configuration hadoopConf) throws IOException {
    CsvFile.write(publisher.staged(RECONCILIATION_CSV), hadoopConf, reconciliation.columns(), reconciliation.rows());
  }

  /**
   * The FOCUS dataset as focus.csv and as one Parquet file in focus/, both from the rows the export made on the
   * driver out of the rollup's stream: one single-stage Spark job, no pass over the logs.
   */
  public static void writeFocus(FocusExport export, SparkSession spark, OutputPublisher publisher,
      Configuration hadoopConf) throws IOException {
    List<Row> rows = export.rows();
    CsvFile.write(publisher.staged(FOCUS_CSV), hadoopConf, export.columns(), rows.iterator());
    spark.createDataFrame(rows, export.schema()).coalesce(1).write().mode(SaveMode.Overwrite)
        .parquet(publisher.staged(FOCUS).toString());
    publisher.giveFixedFileNames(FOCUS);
  }

  /** Where this run's own copy of the manifest is kept, beside every earlier run's. */
  public static String runManifest(String runId) {
    return RUNS + "/" + runId + "/" + MANIFEST;
  }

  /** What is published, in order: the outputs, then this run's copy of the manifest, then the latest manifest. */
  public static List<String> publishing(List<String> outputs, String runId) {
    List<String> names = new java.util.ArrayList<>(outputs.subList(0, outputs.size() - 1));
    names.add(runManifest(runId));
    names.add(MANIFEST);
    return names;
  }

  /** The report page, UTF-8, written by the driver (it is a few hundred kilobytes at most). */
  public static void writeReport(String html, OutputPublisher publisher, Configuration hadoopConf) throws IOException {
    Path staged = publisher.staged(REPORT);
    try (OutputStream stream = staged.getFileSystem(hadoopConf).create(staged, true)) {
      stream.write(html.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** Every output a fully published run has, in the order they are published (manifest last). */
  public static List<String> all(boolean withCounterfactual, boolean withReport, boolean withReconciliation,
      boolean withFocus) {
    List<String> outputs = new ArrayList<>(List.of(QUARANTINE, ROLLUP, ROLLUP_CSV, TOTALS_CSV));
    if (withFocus) {
      outputs.addAll(List.of(FOCUS, FOCUS_CSV));
    }
    if (withCounterfactual) {
      outputs.addAll(List.of(COUNTERFACTUAL, COUNTERFACTUAL_CSV));
    }
    if (withReconciliation) {
      outputs.add(RECONCILIATION_CSV);
    }
    if (withReport) {
      outputs.add(REPORT);
    }
    outputs.add(MANIFEST);
    return List.copyOf(outputs);
  }

  /**
   * Outputs of an earlier run that this run does not write and that would describe other data beside it (an
   * old reconciliation.csv would compare another run's costs).
   */
  public static List<String> staleUnless(boolean withCounterfactual, boolean withReport, boolean withReconciliation) {
    return staleUnless(withCounterfactual, withReport, withReconciliation, false);
  }

  /** As above; an earlier run's FOCUS dataset is stale unless this run writes one. */
  public static List<String> staleUnless(boolean withCounterfactual, boolean withReport, boolean withReconciliation,
      boolean withFocus) {
    List<String> stale = new ArrayList<>();
    if (!withFocus) {
      stale.addAll(List.of(FOCUS, FOCUS_CSV));
    }
    if (!withCounterfactual) {
      stale.addAll(List.of(COUNTERFACTUAL, COUNTERFACTUAL_CSV));
    }
    if (!withReconciliation) {
      stale.add(RECONCILIATION_CSV);
    }
    if (!withReport) {
      stale.add(REPORT);
    }
    return List.copyOf(stale);
  }

  /** What a strict run that found quarantined rows publishes. */
  public static List<String> strictFailure() {
    return List.of(QUARANTINE, MANIFEST);
  }
}
