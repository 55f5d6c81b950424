package dev.tokenreprice.tables;

import static org.apache.spark.sql.functions.col;

import dev.tokenreprice.input.CanonicalSchema;
import java.sql.Date;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.DataFrameWriterV2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.analysis.NoSuchTableException;

/** Reads of a table at a snapshot, and the writes of a run into tables it has made sure exist. */
final class TableWrites {
  private TableWrites() {}

  /** The table as it was at {@code snapshotId} (Spark's time travel, {@code VERSION AS OF}). */
  static Dataset<Row> readAt(SparkSession spark, String table, long snapshotId) {
    return spark.read().option("versionAsOf", snapshotId).table(table);
  }

  /** The rows of these days; every day's rows are whole files, since the tables are partitioned by day. */
  static Column inDays(List<LocalDate> days) {
    return col(CanonicalSchema.DAY).isin(days.stream().map(Date::valueOf).toArray());
  }

  static void append(DataFrameWriterV2<Row> writer, String table) {
    try {
      writer.append();
    } catch (NoSuchTableException e) {
      throw dropped(table, e);
    }
  }

  /** Replaces the rows matching {@code filter} with the writer's, in one commit. */
  static void overwrite(DataFrameWriterV2<Row> writer, Column filter, String table) {
    try {
      writer.overwrite(filter);
    } catch (NoSuchTableException e) {
      throw dropped(table, e);
    }
  }

  private static IllegalStateException dropped(String table, NoSuchTableException e) {
    return new IllegalStateException("table " + table + " was dropped while the run was publishing into it", e);
  }
}
