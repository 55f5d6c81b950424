package dev.tokenreprice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenreprice.tables.RunTable;
import dev.tokenreprice.tables.TestTables;
import dev.tokenreprice.testing.JobRun;
import dev.tokenreprice.testing.RequestLogs;
import dev.tokenreprice.testing.SharedSpark;
import dev.tokenreprice.testing.TestCards;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.iceberg.BaseTable;
import org.apache.iceberg.Table;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --table}: the run's four Iceberg tables, created on the first run, one snapshot per table per run that
 * replaces exactly the run's days and names the run; a run that fails publishes nothing into them.
 */
class TablesJobTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;
  private Path card;
  private Path logs;
  private Path out;
  private TestTables tables;

  @BeforeEach
  void files() throws IOException {
    card = Files.writeString(dir.resolve("card.yaml"), TestCards.SMALL_CARD);
    logs = dir.resolve("logs");
    out = dir.resolve("out");
    tables = TestTables.in(dir.resolve("warehouse"));
    RequestLogs.write(logs, "nov01.jsonl", RequestLogs.request("a", "2026-11-01", 1000));
    RequestLogs.write(logs, "nov02.jsonl", RequestLogs.request("b", "2026-11-02", 1000),
        RequestLogs.unknownModel("q", "2026-11-02"));
    RequestLogs.write(logs, "nov03.jsonl", RequestLogs.request("d", "2026-11-03", 1000));
  }

  @Test
  void theFirstRunCreatesTheTablesAndAReRunOfOneDayReplacesThatDaysPartitionOnly() throws IOException {
    JobRun first = run("--from", "2026-11-01", "--to", "2026-11-03");
    assertEquals(0, first.status(), first.err());
    JsonNode manifest = JSON.readTree(out.resolve("manifest.json").toFile());
    String firstRun = manifest.get("run_id").asText();
    assertTrue(first.out().contains("tables " + tables.flag() + "_*: rollup snapshot "), first.out());

    for (String name : tables.all()) {
      Table table = TestTables.load(name);
      assertEquals(2, ((BaseTable) table).operations().current().formatVersion(), name);
      assertEquals("zstd", table.properties().get("write.parquet.compression-codec"), name);
      assertEquals(name.endsWith("_runs") ? "[]" : "[1000: day: identity(1)]",
          table.spec().fields().toString().replaceAll("\\(\\d+\\)", "(1)"), name);
      List<Map<String, String>> summaries = TestTables.summaries(name);
      assertEquals(1, summaries.size(), name + ": one snapshot per run");
      assertEquals(firstRun, summaries.get(0).get("reprice.run-id"), name);
      assertEquals(manifest.at("/rate_card/sha256").asText(), summaries.get(0).get("reprice.rate-card-sha256"), name);
      assertEquals("dev", summaries.get(0).get("reprice.job-version"), name);
    }
    // 0.0045 on each day: the rollup table holds what rollup.csv says.
    assertEquals(Map.of("2026-11-01", "0.004500000000", "2026-11-02", "0.004500000000", "2026-11-03", "0.004500000000"),
        costByDay(tables.rollup()));
    assertEquals(Files.readAllLines(out.resolve("rollup.csv")).size() - 1, spark().table(tables.rollup()).count());
    Row quarantined = spark().table(tables.quarantine()).first();
    assertEquals(List.of("UNKNOWN_MODEL", "2026-11-02", firstRun), List.of(quarantined.getAs("reason"),
        quarantined.getAs("day").toString(), quarantined.getAs("run_id")));
    Row runRow = spark().table(tables.runs()).first();
    assertEquals(firstRun, runRow.getAs("run_id"));
    assertEquals(Files.readString(out.resolve("manifest.json")), runRow.getAs("manifest"), "the manifest, as written");
    assertEquals(TestTables.currentSnapshotId(tables.rollup()), runRow.getAs("rollup_snapshot_id"));
    assertEquals(TestTables.currentSnapshotId(tables.counterfactual()), runRow.getAs("counterfactual_snapshot_id"));
    assertEquals(TestTables.currentSnapshotId(tables.quarantine()), runRow.getAs("quarantine_snapshot_id"));
    assertTrue(runRow.isNullAt(runRow.fieldIndex("rollup_base_snapshot_id")), "the rollup was empty when the run started");
    assertEquals("0.013500000000", runRow.getAs("total_cost").toString());

    Map<String, List<String>> filesBefore = dataFilesByDay(tables.rollup());
    Map<String, List<String>> counterfactualBefore = dataFilesByDay(tables.counterfactual());
    Long rollupBefore = TestTables.currentSnapshotId(tables.rollup());
    // The day's logs arrive late: a second request on 2026-11-03, and the unknown model's row is gone.
    RequestLogs.write(logs, "nov03.jsonl", RequestLogs.request("d", "2026-11-03", 1000),
        RequestLogs.request("e", "2026-11-03", 2000));
    JobRun rerun = run("--from", "2026-11-03", "--to", "2026-11-03");
    assertEquals(0, rerun.status(), rerun.err());
    String secondRun = JSON.readTree(out.resolve("manifest.json").toFile()).get("run_id").asText();

    for (String name : tables.all()) {
      List<Map<String, String>> summaries = TestTables.summaries(name);
      assertEquals(2, summaries.size(), name + ": one more snapshot");
      assertEquals(secondRun, summaries.get(1).get("reprice.run-id"), name);
    }
    assertEquals("1", TestTables.summaries(tables.rollup()).get(1).get("changed-partition-count"));
    assertEquals(rollupBefore, TestTables.load(tables.rollup()).currentSnapshot().parentId());
    // 0.0045 + (2000 x 3/M + 100 x 15/M = 0.0075) = 0.012 on the re-run day; the other days as they were.
    assertEquals(Map.of("2026-11-01", "0.004500000000", "2026-11-02", "0.004500000000", "2026-11-03", "0.012000000000"),
        costByDay(tables.rollup()));
    Map<String, List<String>> filesAfter = dataFilesByDay(tables.rollup());
    assertEquals(filesBefore.get("2026-11-01"), filesAfter.get("2026-11-01"), "same data files");
    assertEquals(filesBefore.get("2026-11-02"), filesAfter.get("2026-11-02"), "same data files");
    assertNotEquals(filesBefore.get("2026-11-03"), filesAfter.get("2026-11-03"));
    assertEquals(counterfactualBefore.get("2026-11-02"), dataFilesByDay(tables.counterfactual()).get("2026-11-02"));
    assertEquals(1, spark().table(tables.quarantine()).count(), "2026-11-02's quarantined row stays");
    assertEquals(2, spark().table(tables.runs()).count());
    assertEquals(rollupBefore, spark().table(tables.runs()).filter("run_id = '" + secondRun + "'").first()
        .getAs("rollup_base_snapshot_id"));
  }

  @Test
  void aRunFailingBeforeOrBetweenItsCommitsLeavesEveryTableAsItWas() {
    assertEquals(0, run().status());
    Map<String, Long> snapshots = currentSnapshots();
    Map<String, String> costs = costByDay(tables.rollup());
    RequestLogs.write(logs, "nov03.jsonl", RequestLogs.request("d", "2026-11-03", 5000));

    RunOutputs.afterRollupStaged = () -> {
      throw new IllegalStateException("executor lost (injected)");
    };
    JobRun beforeCommits;
    try {
      beforeCommits = run();
    } finally {
      RunOutputs.afterRollupStaged = () -> { };
    }
    assertEquals(1, beforeCommits.status(), beforeCommits.err());
    assertEquals(snapshots, currentSnapshots(), "every table at its previous snapshot");

    TestTables.failBeforeCommitting(RunTable.QUARANTINE);
    JobRun betweenCommits;
    try {
      betweenCommits = run();
    } finally {
      TestTables.commitNormally();
    }
    assertEquals(1, betweenCommits.status(), betweenCommits.err());
    assertTrue(betweenCommits.err().startsWith("reprice: failed, nothing was published: "), betweenCommits.err());
    // The rollup and the counterfactual had their days replaced, then put back by one more commit each.
    assertEquals(costs, costByDay(tables.rollup()));
    assertEquals(snapshots.get(tables.quarantine()), TestTables.currentSnapshotId(tables.quarantine()));
    assertEquals(snapshots.get(tables.runs()), TestTables.currentSnapshotId(tables.runs()));
    List<Map<String, String>> rollupSnapshots = TestTables.summaries(tables.rollup());
    assertEquals(3, rollupSnapshots.size());
    assertEquals(rollupSnapshots.get(1).get("reprice.run-id"), rollupSnapshots.get(2).get("reprice.run-id"));
    assertTrue(rollupSnapshots.get(2).containsKey("reprice.undoes-snapshot-id"), rollupSnapshots.get(2)::toString);
    assertEquals(1, spark().table(tables.runs()).count(), "a failed run records no row");
  }

  @Test
  void aTableOfOtherColumnsOrACatalogNobodyConfiguredIsAUsageErrorBeforeAnythingIsRead() {
    spark().sql("CREATE TABLE " + tables.rollup() + " (day date, total_cost decimal(38,6)) USING iceberg"
        + " PARTITIONED BY (day)");
    JobRun mismatch = run();
    assertEquals(2, mismatch.status(), mismatch.err());
    assertEquals(1, mismatch.err().strip().lines().count(), mismatch.err());
    String error = mismatch.err();
    assertEquals("reprice: Cannot publish into " + tables.rollup() + ": its columns differ from this run's (total_cost"
        + " is decimal(38,6) in the table, decimal(38,12) in this run; not in the table: feature string, provider string,"
        + " model string, requests bigint and 11 more) (writing would fail or change the table; give another --table,"
        + " or migrate the table)", error.strip());
    assertFalse(spark().catalog().tableExists(tables.counterfactual()), "no table is created when one differs");
    assertFalse(Files.exists(out.resolve("manifest.json")));

    JobRun noCatalog = JobRun.of(args("--table", "nowhere.finance.llm_costs"));
    assertEquals(2, noCatalog.status(), noCatalog.err());
    assertTrue(noCatalog.err().startsWith("reprice: --table nowhere.finance.llm_costs: no catalog 'nowhere' is"
        + " configured (set spark.sql.catalog.nowhere=org.apache.iceberg.spark.SparkCatalog"), noCatalog.err());
  }

  private JobRun run(String... more) {
    return JobRun.of(args(Stream.concat(Stream.of("--table", tables.flag()), Stream.of(more)).toArray(String[]::new)));
  }

  private String[] args(String... more) {
    // One scenario keeps the counterfactual in play at a small cost.
    return Stream.concat(Stream.of("--input", logs.toString(), "--rate-card", card.toString(), "--out", out.toString(),
        "--scenarios", "batch", "--no-report", "--quiet"), Stream.of(more)).toArray(String[]::new);
  }

  private static SparkSession spark() {
    return SharedSpark.session();
  }

  private Map<String, Long> currentSnapshots() {
    Map<String, Long> snapshots = new TreeMap<>();
    tables.all().forEach(name -> snapshots.put(name, TestTables.currentSnapshotId(name)));
    return snapshots;
  }

  private static Map<String, String> costByDay(String table) {
    Map<String, String> costs = new TreeMap<>();
    for (Row row : spark().sql("SELECT CAST(day AS STRING), SUM(total_cost) FROM " + table + " GROUP BY day")
        .collectAsList()) {
      costs.put(row.getString(0), row.getDecimal(1).toPlainString());
    }
    return costs;
  }

  /** The table's current data files, by day. */
  private static Map<String, List<String>> dataFilesByDay(String table) {
    Map<String, List<String>> files = new TreeMap<>();
    for (Row row : spark().sql("SELECT CAST(partition.day AS STRING), file_path FROM " + table + ".files"
        + " ORDER BY file_path").collectAsList()) {
      files.computeIfAbsent(row.getString(0), day -> new java.util.ArrayList<>()).add(row.getString(1));
    }
    return files;
  }
}
