package dev.tokenreprice.tables;

import dev.tokenreprice.cli.UsageException;
import dev.tokenreprice.input.CanonicalSchema;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.spark.Spark3Util;
import org.apache.iceberg.spark.SparkSchemaUtil;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * The run's tables in their Iceberg catalog, through Iceberg's own API (catalog, table metadata, snapshots); the
 * data itself is read and written through Spark. The only class that names an Iceberg class (JarContentsIT checks
 * it), opened only through {@link Catalogs} for {@code --table}, so a run without a table needs no Iceberg.
 */
final class IcebergTables {
  /** How far back from the current snapshot a run looks for the one it committed (other runs may commit on top). */
  private static final int SNAPSHOTS_SEARCHED = 1000;

  private final Catalog catalog;
  private final TableName name;
  private final Map<RunTable, Table> loaded = new EnumMap<>(RunTable.class);

  private IcebergTables(Catalog catalog, TableName name) {
    this.catalog = catalog;
    this.name = name;
  }

  /** The Iceberg catalog of {@code name}, which the user configured in Spark ({@link Catalogs#open} checks that). */
  static IcebergTables of(SparkSession spark, TableName name) {
    String key = "spark.sql.catalog." + name.catalog();
    try {
      return new IcebergTables(Spark3Util.loadIcebergCatalog(spark, name.catalog()), name);
    } catch (IllegalArgumentException | ClassCastException e) {
      throw new UsageException("--table " + name + ": catalog '" + name.catalog() + "' is not an Iceberg catalog ("
          + key + " is " + spark.conf().get(key) + "; give org.apache.iceberg.spark.SparkCatalog)", e);
    }
  }

  private Namespace namespace() {
    return Namespace.of(name.namespace().toArray(String[]::new));
  }

  private TableIdentifier identifier(RunTable table) {
    return TableIdentifier.of(namespace(), name.tableName(table));
  }

  private Optional<Table> table(RunTable table) {
    if (!loaded.containsKey(table)) {
      try {
        loaded.put(table, catalog.loadTable(identifier(table)));
      } catch (NoSuchTableException e) {
        return Optional.empty();
      }
    }
    return Optional.of(loaded.get(table));
  }

  private Table existing(RunTable table) {
    return table(table).orElseThrow(() -> new IllegalStateException("table " + name.of(table) + " must exist by now"));
  }

  /** The table's columns as Spark reads them, or empty when the table does not exist yet. */
  Optional<StructType> columns(RunTable table) {
    return table(table).map(existing -> SparkSchemaUtil.convert(existing.schema()));
  }

  /** What Spark reads back from these columns once Iceberg has stored them, every one optional. */
  static StructType asStored(StructType columns) {
    return SparkSchemaUtil.convert(SparkSchemaUtil.convert(columns.asNullable()));
  }

  /** The table's partitioning, as text ({@code day}, {@code bucket[16](request_id)}), for a message. */
  List<String> partitioning(RunTable table) {
    Table existing = existing(table);
    return existing.spec().fields().stream().map(field -> describe(existing, field)).toList();
  }

  private static String describe(Table table, PartitionField field) {
    String source = table.schema().findColumnName(field.sourceId());
    return field.transform().isIdentity() ? source : field.transform() + "(" + source + ")";
  }

  /**
   * Creates the table (and its namespace where the catalog keeps namespaces) with every column optional,
   * partitioned by {@code day} where the table is; another run creating it at the same moment is no error.
   */
  void create(RunTable table, StructType columns, Map<String, String> properties) {
    if (catalog instanceof SupportsNamespaces namespaces && !namespaces.namespaceExists(namespace())) {
      try {
        namespaces.createNamespace(namespace());
      } catch (AlreadyExistsException e) {
        // created by a run starting at the same moment
      }
    }
    Schema schema = SparkSchemaUtil.convert(columns.asNullable());
    PartitionSpec spec = table.partitionedByDay()
        ? PartitionSpec.builderFor(schema).identity(CanonicalSchema.DAY).build() : PartitionSpec.unpartitioned();
    try {
      loaded.put(table, catalog.createTable(identifier(table), schema, spec, properties));
    } catch (AlreadyExistsException e) {
      loaded.put(table, catalog.loadTable(identifier(table)));
    }
  }

  /** The current snapshot, read from the catalog now; empty for a table nothing has been committed to. */
  Optional<Long> currentSnapshotId(RunTable table) {
    Table existing = existing(table);
    existing.refresh();
    return Optional.ofNullable(existing.currentSnapshot()).map(Snapshot::snapshotId);
  }

  /**
   * The latest snapshot whose summary has {@code key} = {@code value}: the one a run just committed, found among the
   * current snapshot and its ancestors, since runs over other days may have committed on top of it.
   */
  long snapshotCommittedWith(RunTable table, String key, String value) {
    Table existing = existing(table);
    existing.refresh();
    Snapshot snapshot = existing.currentSnapshot();
    for (int i = 0; snapshot != null && i < SNAPSHOTS_SEARCHED; i++) {
      if (value.equals(snapshot.summary().get(key))) {
        return snapshot.snapshotId();
      }
      snapshot = snapshot.parentId() == null ? null : existing.snapshot(snapshot.parentId());
    }
    throw new IllegalStateException("table " + name.of(table) + " has no snapshot with " + key + "=" + value
        + " among its last " + SNAPSHOTS_SEARCHED + " (the commit just made must be there)");
  }

  /** Whether the table still has this snapshot ({@code expire_snapshots} removes old ones). */
  boolean hasSnapshot(RunTable table, long snapshotId) {
    Table existing = existing(table);
    existing.refresh();
    return existing.snapshot(snapshotId) != null;
  }

  /** Iceberg's refusal of a commit that conflicts with one made since the run read the table, if that is the cause. */
  static Optional<String> conflict(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof ValidationException) {
        return Optional.of(String.valueOf(cause.getMessage()));
      }
    }
    return Optional.empty();
  }
}
