package dev.tokenreprice.tables;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.tokenreprice.cli.UsageException;
import dev.tokenreprice.input.CanonicalSchema;
import dev.tokenreprice.output.RunManifest;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.DataFrameWriterV2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * Publishes a run into its four Iceberg tables: one commit per table, each replacing exactly the run's days (an
 * overwrite by {@code day IN (...)}, so a covered day without rows loses its old rows) with the run id, rate card
 * hash and job version in the snapshot summary; the runs table last, with the snapshot ids of the others.
 *
 * <p>Each commit is validated with serializable isolation from the snapshot the run read when it started: a run that
 * committed any of the same days in between makes Iceberg refuse the commit, and this run fails with a
 * {@link CommitConflictException} instead of silently replacing the other's days; runs over other days commit on
 * top of each other (Iceberg retries those). Iceberg commits one table at a time, so a run refused at its second
 * or third table puts back, by a new commit, the days it had replaced in the tables before.
 */
public final class TablePublication {
  /** Called before each commit: tests make it throw to check what a run failing between its commits leaves. */
  static Consumer<RunTable> beforeCommit = table -> { };

  private final SparkSession spark;
  private final TableName name;
  private final IcebergTables tables;
  private final String runId;
  private final Map<String, String> snapshotProperties;
  private final TableSchemas schemas;
  private final Map<RunTable, Optional<Long>> startedFrom;

  private TablePublication(SparkSession spark, TableName name, IcebergTables tables, String runId,
      Map<String, String> snapshotProperties, TableSchemas schemas, Map<RunTable, Optional<Long>> startedFrom) {
    this.spark = spark;
    this.name = name;
    this.tables = tables;
    this.runId = runId;
    this.snapshotProperties = snapshotProperties;
    this.schemas = schemas;
    this.startedFrom = startedFrom;
  }

  /**
   * Checks every table that exists against the run's schemas (a usage error says what differs), then creates the
   * missing ones, and notes each table's current snapshot; before any data is read.
   */
  public static TablePublication prepare(SparkSession spark, TableName name, String runId, String jobVersion,
      String rateCardSha256, TableSchemas schemas) {
    IcebergTables tables = Catalogs.open(spark, name);
    // Every existing table is checked before any is created: a mismatch leaves the catalog as it was.
    for (RunTable table : RunTable.values()) {
      tables.columns(table).ifPresent(columns -> requireCompatible(name, table, columns, schemas.of(table), tables));
    }
    Map<RunTable, Optional<Long>> startedFrom = new EnumMap<>(RunTable.class);
    for (RunTable table : RunTable.values()) {
      if (tables.columns(table).isEmpty()) {
        tables.create(table, schemas.of(table), TableLayout.properties(table));
      }
      startedFrom.put(table, tables.currentSnapshotId(table));
    }
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put(TableLayout.SUMMARY_RUN_ID, runId);
    properties.put(TableLayout.SUMMARY_RATE_CARD_SHA256, rateCardSha256);
    properties.put(TableLayout.SUMMARY_JOB_VERSION, jobVersion);
    return new TablePublication(spark, name, tables, runId, Collections.unmodifiableMap(properties), schemas,
        Collections.unmodifiableMap(startedFrom));
  }

  private static void requireCompatible(TableName name, RunTable table, StructType columns, StructType run,
      IcebergTables tables) {
    SchemaDifference.between(columns, IcebergTables.asStored(run)).ifPresent(difference -> {
      throw new UsageException("Cannot publish into " + name.of(table) + ": its columns differ from this run's ("
          + difference + ") (writing would fail or change the table; give another --table, or migrate the table)");
    });
    if (table.partitionedByDay() && !tables.partitioning(table).equals(List.of(CanonicalSchema.DAY))) {
      throw new UsageException("Cannot publish into " + name.of(table) + ": it is partitioned by "
          + tables.partitioning(table) + ", not by day alone (a run replaces whole days; give another --table)");
    }
  }

  /**
   * The rollup as the run found it, for the report's comparison with the period before; empty when the table had
   * nothing yet.
   */
  public Optional<Dataset<Row>> rollupAtStart() {
    return startedFrom.get(RunTable.ROLLUP).map(snapshot -> readAt(RunTable.ROLLUP, snapshot));
  }

  private Dataset<Row> readAt(RunTable table, long snapshotId) {
    return TableWrites.readAt(spark, name.of(table), snapshotId);
  }

  /**
   * Commits the run: its rows to each data table, replacing {@code days}, then its row in the runs table. A refused
   * or failed commit puts back what the run had already committed and is thrown again; a refusal as a
   * {@link CommitConflictException}.
   */
  public TableCommits commit(TableRows rows, List<LocalDate> days, RunManifest manifest) {
    Map<RunTable, Long> committed = new EnumMap<>(RunTable.class);
    try {
      for (Map.Entry<RunTable, Dataset<Row>> table : rows.inCommitOrder(runId).entrySet()) {
        beforeCommit.accept(table.getKey());
        committed.put(table.getKey(), replaceDays(table.getKey(), table.getValue(), days));
      }
      beforeCommit.accept(RunTable.RUNS);
      Row row = RunsTable.row(manifest, committed, startedFrom.get(RunTable.ROLLUP));
      spark.sparkContext().setJobDescription("committing run " + runId + " to " + name.of(RunTable.RUNS));
      TableWrites.append(withSummary(spark.createDataFrame(List.of(row), schemas.runs()).writeTo(name.of(RunTable.RUNS))),
          name.of(RunTable.RUNS));
    } catch (RuntimeException failure) {
      List<String> putBack = undo(committed, days, failure);
      Optional<String> conflict = IcebergTables.conflict(failure);
      if (conflict.isPresent()) {
        throw new CommitConflictException(conflictMessage(failingTable(rows, committed), days, putBack), failure);
      }
      throw failure;
    }
    committed.put(RunTable.RUNS, tables.snapshotCommittedWith(RunTable.RUNS, TableLayout.SUMMARY_RUN_ID, runId));
    return new TableCommits(name, committed);
  }

  private long replaceDays(RunTable table, Dataset<Row> rows, List<LocalDate> days) {
    spark.sparkContext().setJobDescription("committing run " + runId + " to " + name.of(table) + " " + label(days));
    DataFrameWriterV2<Row> writer = validatedFrom(withSummary(rows.writeTo(name.of(table))), startedFrom.get(table));
    if (days.isEmpty()) {
      // Nothing to replace (only rows without a day): an append, which no other run can conflict with.
      TableWrites.append(writer, name.of(table));
    } else {
      TableWrites.overwrite(writer, TableWrites.inDays(days), name.of(table));
    }
    return tables.snapshotCommittedWith(table, TableLayout.SUMMARY_RUN_ID, runId);
  }

  private DataFrameWriterV2<Row> withSummary(DataFrameWriterV2<Row> writer) {
    snapshotProperties.forEach((key, value) -> writer.option(TableLayout.SNAPSHOT_PROPERTY + key, value));
    return writer;
  }

  /** Serializable isolation: the commit is refused if another committed rows of the same days since {@code from}. */
  private static DataFrameWriterV2<Row> validatedFrom(DataFrameWriterV2<Row> writer, Optional<Long> from) {
    writer.option(TableLayout.ISOLATION_LEVEL, TableLayout.SERIALIZABLE);
    // Without a snapshot to start from (an empty table), Iceberg validates against every commit there is.
    from.ifPresent(snapshot -> writer.option(TableLayout.VALIDATE_FROM_SNAPSHOT_ID, String.valueOf(snapshot)));
    return writer;
  }

  /**
   * Puts back, newest first, the days the run had replaced in each table it committed to: the rows the table held
   * at the run's start, committed over the run's own and validated from them. Where another run has replaced those
   * days since, its rows stay (the commit is refused, and nothing of this run is left there). Returns the tables
   * put back.
   */
  private List<String> undo(Map<RunTable, Long> committed, List<LocalDate> days, RuntimeException failure) {
    List<RunTable> inOrder = new ArrayList<>(committed.keySet());
    Collections.reverse(inOrder);
    List<String> putBack = new ArrayList<>();
    for (RunTable table : inOrder) {
      try {
        spark.sparkContext().setJobDescription("putting back " + name.of(table) + " " + label(days)
            + " after run " + runId + " failed");
        Dataset<Row> before = startedFrom.get(table)
            .map(snapshot -> readAt(table, snapshot).filter(days.isEmpty() ? lit(false) : TableWrites.inDays(days)))
            .orElseGet(() -> spark.createDataFrame(List.of(), schemas.of(table)));
        DataFrameWriterV2<Row> writer = validatedFrom(withSummary(before.writeTo(name.of(table))),
            Optional.of(committed.get(table)));
        writer.option(TableLayout.SNAPSHOT_PROPERTY + TableLayout.SUMMARY_UNDOES_SNAPSHOT,
            String.valueOf(committed.get(table)));
        TableWrites.overwrite(writer, undoFilter(table, days), name.of(table));
        putBack.add(name.of(table));
      } catch (RuntimeException undoFailure) {
        if (IcebergTables.conflict(undoFailure).isEmpty()) {
          failure.addSuppressed(undoFailure);
        }
      }
    }
    return putBack;
  }

  /** The run's own rows of a table: those of its days, and in the quarantine its rows without a day. */
  private Column undoFilter(RunTable table, List<LocalDate> days) {
    Column ownDays = days.isEmpty() ? lit(false) : TableWrites.inDays(days);
    return table == RunTable.QUARANTINE
        ? ownDays.or(col(CanonicalSchema.DAY).isNull().and(col(TableLayout.Columns.RUN_ID).equalTo(lit(runId))))
        : ownDays;
  }

  private RunTable failingTable(TableRows rows, Map<RunTable, Long> committed) {
    return rows.inCommitOrder(runId).keySet().stream().filter(table -> !committed.containsKey(table)).findFirst()
        .orElse(RunTable.RUNS);
  }

  private String conflictMessage(RunTable table, List<LocalDate> days, List<String> putBack) {
    String started = startedFrom.get(table).map(snapshot -> "read it at snapshot " + snapshot)
        .orElse("found it empty");
    return "Cannot publish run " + runId + " into " + name.of(table) + ": another run committed some of its days ("
        + label(days) + ") after this run " + started + " (two runs cannot both replace a day; run it again once the"
        + " other has finished); nothing of this run is published"
        + (putBack.isEmpty() ? "" : " (the days it had replaced in " + String.join(", ", putBack) + " are put back)");
  }

  /** The days for a message or a job's name: a few listed, more as a range. */
  private static String label(List<LocalDate> days) {
    if (days.size() <= 3) {
      return days.stream().map(LocalDate::toString).reduce((a, b) -> a + ", " + b).orElse("no days");
    }
    return days.get(0) + ".." + days.get(days.size() - 1) + ", " + days.size() + " days";
  }
}
