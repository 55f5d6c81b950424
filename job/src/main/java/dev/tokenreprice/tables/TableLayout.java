package dev.tokenreprice.tables;

import java.util.LinkedHashMap;
import java.util.Map;

/** How the run's tables are made and written: table properties, write options and snapshot summary keys. */
public final class TableLayout {
  /** Table properties every table is created with: Iceberg format version 2, data files as zstd Parquet. */
  public static final Map<String, String> PROPERTIES = Map.of(
      "format-version", "2",
      "write.format.default", "parquet",
      "write.parquet.compression-codec", "zstd");
  /**
   * The quarantine's run id keeps full bounds in the file metrics, so the rows of one run without a day can be
   * told apart by metadata alone (a run that fails half-way removes its own).
   */
  public static final Map<String, String> QUARANTINE_PROPERTIES = Map.of(
      "write.metadata.metrics.column." + Columns.RUN_ID, "full");

  /** Snapshot summary keys: every snapshot a run commits names the run, its rate card and the job's version. */
  public static final String SUMMARY_RUN_ID = "reprice.run-id";
  public static final String SUMMARY_RATE_CARD_SHA256 = "reprice.rate-card-sha256";
  public static final String SUMMARY_JOB_VERSION = "reprice.job-version";
  /** On a snapshot that puts a table's days back after a later commit of the same run failed: the snapshot undone. */
  public static final String SUMMARY_UNDOES_SNAPSHOT = "reprice.undoes-snapshot-id";

  /** Iceberg's Spark write options (SparkWriteOptions): serializable isolation validated from a given snapshot. */
  static final String ISOLATION_LEVEL = "isolation-level";
  static final String SERIALIZABLE = "serializable";
  static final String VALIDATE_FROM_SNAPSHOT_ID = "validate-from-snapshot-id";
  static final String SNAPSHOT_PROPERTY = "snapshot-property.";

  private TableLayout() {}

  /** The properties {@code table} is created with. */
  static Map<String, String> properties(RunTable table) {
    Map<String, String> properties = new LinkedHashMap<>(PROPERTIES);
    if (table == RunTable.QUARANTINE) {
      properties.putAll(QUARANTINE_PROPERTIES);
    }
    return Map.copyOf(properties);
  }

  /** The column names the tables add to the run's own rows. */
  public static final class Columns {
    public static final String RUN_ID = "run_id";

    private Columns() {}
  }
}
