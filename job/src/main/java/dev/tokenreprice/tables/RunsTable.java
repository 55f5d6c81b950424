package dev.tokenreprice.tables;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.tokenreprice.cli.Period;
import dev.tokenreprice.cli.UsageException;
import dev.tokenreprice.output.ManifestWriter;
import dev.tokenreprice.output.RunManifest;
import dev.tokenreprice.rollup.Rollup;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The runs table: one row per run, with its manifest's fields as columns, the manifest itself as it was written,
 * and the snapshot the run committed to each other table. It is committed last, so a row says the run's
 * commits are all in; a reader who wants the tables as one run left them reads them at these snapshots.
 */
public final class RunsTable {
  public static final String RUN_ID = TableLayout.Columns.RUN_ID;
  public static final String JOB_VERSION = "job_version";
  public static final String STATUS = "status";
  public static final String STARTED_AT = "started_at";
  public static final String FINISHED_AT = "finished_at";
  public static final String ARGUMENTS = "arguments";
  public static final String PERIOD_FROM = "period_from";
  public static final String PERIOD_TO = "period_to";
  public static final String DAYS = "days";
  public static final String DEDUPE = "dedupe";
  public static final String RATE_CARD_PATH = "rate_card_path";
  public static final String RATE_CARD_SHA256 = "rate_card_sha256";
  public static final String CURRENCY = "currency";
  public static final String COST_SCALE = "cost_scale";
  public static final String ROWS_READ = "rows_read";
  public static final String ROWS_PRICED = "rows_priced";
  public static final String ROWS_QUARANTINED = "rows_quarantined";
  public static final String ROWS_OUTSIDE_PERIOD = "rows_outside_period";
  public static final String RECORDS_SKIPPED = "records_skipped";
  /** Rows quarantined per reason. */
  public static final String QUARANTINED = "quarantined";
  public static final String TOTAL_COST = "total_cost";
  public static final String SCENARIOS = "scenarios";
  public static final String OUTPUTS = "outputs";
  public static final String WARNINGS = "warnings";
  /** The run's manifest.json, byte for byte. */
  public static final String MANIFEST = "manifest";
  public static final String ROLLUP_SNAPSHOT_ID = "rollup_snapshot_id";
  public static final String COUNTERFACTUAL_SNAPSHOT_ID = "counterfactual_snapshot_id";
  public static final String QUARANTINE_SNAPSHOT_ID = "quarantine_snapshot_id";
  /** The rollup's snapshot when the run started: its commits were checked against it, its report compared with it. */
  public static final String ROLLUP_BASE_SNAPSHOT_ID = "rollup_base_snapshot_id";

  private RunsTable() {}

  /** The table's columns; the total cost has the scale of the run's costs, as the rollup's do. */
  public static StructType schema(int costScale) {
    return new StructType()
        .add(RUN_ID, DataTypes.StringType)
        .add(JOB_VERSION, DataTypes.StringType)
        .add(STATUS, DataTypes.StringType)
        .add(STARTED_AT, DataTypes.TimestampType)
        .add(FINISHED_AT, DataTypes.TimestampType)
        .add(ARGUMENTS, DataTypes.createArrayType(DataTypes.StringType))
        .add(PERIOD_FROM, DataTypes.DateType)
        .add(PERIOD_TO, DataTypes.DateType)
        .add(DAYS, DataTypes.createArrayType(DataTypes.DateType))
        .add(DEDUPE, DataTypes.BooleanType)
        .add(RATE_CARD_PATH, DataTypes.StringType)
        .add(RATE_CARD_SHA256, DataTypes.StringType)
        .add(CURRENCY, DataTypes.StringType)
        .add(COST_SCALE, DataTypes.IntegerType)
        .add(ROWS_READ, DataTypes.LongType)
        .add(ROWS_PRICED, DataTypes.LongType)
        .add(ROWS_QUARANTINED, DataTypes.LongType)
        .add(ROWS_OUTSIDE_PERIOD, DataTypes.LongType)
        .add(RECORDS_SKIPPED, DataTypes.LongType)
        .add(QUARANTINED, DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType))
        .add(TOTAL_COST, Rollup.outputCostType(costScale))
        .add(SCENARIOS, DataTypes.createArrayType(DataTypes.StringType))
        .add(OUTPUTS, DataTypes.createArrayType(DataTypes.StringType))
        .add(WARNINGS, DataTypes.createArrayType(DataTypes.StringType))
        .add(MANIFEST, DataTypes.StringType)
        .add(ROLLUP_SNAPSHOT_ID, DataTypes.LongType)
        .add(COUNTERFACTUAL_SNAPSHOT_ID, DataTypes.LongType)
        .add(QUARANTINE_SNAPSHOT_ID, DataTypes.LongType)
        .add(ROLLUP_BASE_SNAPSHOT_ID, DataTypes.LongType)
        .asNullable();
  }

  /** The run's row: its manifest, the snapshots it committed and the rollup snapshot it started from. */
  static Row row(RunManifest manifest, Map<RunTable, Long> committed, Optional<Long> rollupBase) {
    Map<String, Long> quarantined = new TreeMap<>();
    manifest.counts().quarantined().forEach((reason, count) -> quarantined.put(reason.name(), count));
    return RowFactory.create(
        manifest.runId(),
        manifest.jobVersion(),
        manifest.status(),
        Timestamp.from(manifest.startedAt()),
        Timestamp.from(manifest.finishedAt()),
        manifest.arguments(),
        manifest.period().from().map(Date::valueOf).orElse(null),
        manifest.period().to().map(Date::valueOf).orElse(null),
        manifest.days().stream().map(Date::valueOf).toList(),
        manifest.dedupe(),
        manifest.rateCard().source(),
        manifest.rateCard().sha256(),
        manifest.rateCard().currency(),
        manifest.costScale(),
        manifest.counts().rowsRead(),
        manifest.counts().rowsPriced(),
        manifest.counts().rowsQuarantined(),
        manifest.counts().rowsOutsidePeriod(),
        manifest.counts().recordsSkipped(),
        quarantined,
        manifest.totalCost(),
        manifest.scenarios(),
        manifest.outputs(),
        manifest.warnings(),
        ManifestWriter.json(manifest),
        committed.get(RunTable.ROLLUP),
        committed.get(RunTable.COUNTERFACTUAL),
        committed.get(RunTable.QUARANTINE),
        rollupBase.orElse(null));
  }

  /** The row of run {@code runId}; a usage error when the table has none. */
  static PublishedRun read(SparkSession spark, TableName name, String runId) {
    String runs = name.of(RunTable.RUNS);
    List<Row> rows = spark.table(runs).filter(col(RUN_ID).equalTo(lit(runId))).collectAsList();
    if (rows.isEmpty()) {
      throw new UsageException("--as-of " + runId + ": no run of that id in " + runs + " (a run records its row there"
          + " once its commits are in; a failed run, or one without --table, has none)");
    }
    Row row = rows.get(0);
    Map<String, Long> quarantined = new TreeMap<>(row.getJavaMap(row.fieldIndex(QUARANTINED)));
    List<LocalDate> days = new ArrayList<>();
    row.<Date>getList(row.fieldIndex(DAYS)).forEach(day -> days.add(day.toLocalDate()));
    return new PublishedRun(row.getAs(RUN_ID), row.getAs(STATUS),
        new Period(localDate(row, PERIOD_FROM), localDate(row, PERIOD_TO)), List.copyOf(days),
        row.getAs(RATE_CARD_PATH), row.getAs(RATE_CARD_SHA256), row.getAs(CURRENCY), row.<Integer>getAs(COST_SCALE),
        row.<Long>getAs(ROWS_READ), quarantined, row.getList(row.fieldIndex(SCENARIOS)), row.getAs(MANIFEST),
        snapshot(row, ROLLUP_SNAPSHOT_ID), snapshot(row, COUNTERFACTUAL_SNAPSHOT_ID),
        snapshot(row, QUARANTINE_SNAPSHOT_ID), snapshot(row, ROLLUP_BASE_SNAPSHOT_ID));
  }

  private static Optional<LocalDate> localDate(Row row, String column) {
    return Optional.ofNullable(row.<Date>getAs(column)).map(Date::toLocalDate);
  }

  private static Optional<Long> snapshot(Row row, String column) {
    return Optional.ofNullable(row.<Long>getAs(column));
  }
}
