package dev.tokenreprice.tables;

import dev.tokenreprice.testing.SharedSpark;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.spark.Spark3Util;
import org.apache.spark.sql.SparkSession;

/**
 * An Iceberg catalog of the shared session for one test, and what tests read of its tables. Each call registers a
 * catalog of its own name (Spark keeps a catalog once it is loaded), a Hadoop catalog in the test's directory.
 */
public final class TestTables {
  private static final AtomicInteger CATALOGS = new AtomicInteger();

  private final TableName name;

  private TestTables(TableName name) {
    this.name = name;
  }

  /** A new catalog with its warehouse in {@code warehouse}; the tables are {@code CATALOG.finance.llm_costs_*}. */
  public static TestTables in(Path warehouse) {
    String catalog = "test_lake_" + CATALOGS.incrementAndGet();
    SparkSession spark = SharedSpark.session();
    spark.conf().set("spark.sql.catalog." + catalog, "org.apache.iceberg.spark.SparkCatalog");
    spark.conf().set("spark.sql.catalog." + catalog + ".type", "hadoop");
    spark.conf().set("spark.sql.catalog." + catalog + ".warehouse", warehouse.toUri().toString());
    return new TestTables(TableName.parse("--table", catalog + ".finance.llm_costs"));
  }

  /** The value of {@code --table}. */
  public String flag() {
    return name.toString();
  }

  public String rollup() {
    return name.of(RunTable.ROLLUP);
  }

  public String counterfactual() {
    return name.of(RunTable.COUNTERFACTUAL);
  }

  public String quarantine() {
    return name.of(RunTable.QUARANTINE);
  }

  public String runs() {
    return name.of(RunTable.RUNS);
  }

  /** The four table names, in commit order. */
  public List<String> all() {
    return List.of(rollup(), counterfactual(), quarantine(), runs());
  }

  /** The table as the catalog has it now. */
  public static Table load(String table) {
    try {
      Table loaded = Spark3Util.loadIcebergTable(SharedSpark.session(), table);
      loaded.refresh();
      return loaded;
    } catch (Exception e) {
      throw new IllegalStateException("cannot load " + table, e);
    }
  }

  /** The current snapshot id, or null for a table without one. */
  public static Long currentSnapshotId(String table) {
    Snapshot current = load(table).currentSnapshot();
    return current == null ? null : current.snapshotId();
  }

  /** The summaries of the table's snapshots, oldest first. */
  public static List<Map<String, String>> summaries(String table) {
    List<Map<String, String>> summaries = new ArrayList<>();
    load(table).snapshots().forEach(snapshot -> summaries.add(snapshot.summary()));
    return summaries;
  }

  /** Makes the next commit into {@code table} throw, as a lost executor or a full disk would; once. */
  public static void failBeforeCommitting(RunTable table) {
    TablePublication.beforeCommit = committing -> {
      if (committing == table) {
        TablePublication.beforeCommit = any -> { };
        throw new IllegalStateException("commit into " + committing + " failed (injected)");
      }
    };
  }

  /** Every commit goes through again. */
  public static void commitNormally() {
    TablePublication.beforeCommit = table -> { };
  }
}
