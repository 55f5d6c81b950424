package dev.tokenreprice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two runs publishing into the same tables at once, each with its own {@code --out}: over different days both land;
 * over the same day one wins and the other exits 1 with one line, nothing of it published. Both runs wait for each
 * other once everything is staged and before their first commit, so both have read the tables before either commits.
 */
class ConcurrentTableRunsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @Test
  void twoRunsOverDifferentDaysBothLand() throws Exception {
    TestTables tables = TestTables.in(dir.resolve("warehouse"));
    List<JobRun> runs = atOnce(
        args(tables, "first", "2026-11-01", RequestLogs.request("a", "2026-11-01", 1000)),
        args(tables, "second", "2026-11-02", RequestLogs.request("b", "2026-11-02", 2000)));
    assertEquals(0, runs.get(0).status(), runs.get(0).err());
    assertEquals(0, runs.get(1).status(), runs.get(1).err());
    assertEquals(Map.of("2026-11-01", "0.004500000000", "2026-11-02", "0.007500000000"), costByDay(tables.rollup()));
    assertEquals(List.of(runId("first"), runId("second")).stream().sorted().toList(), SharedSpark.session()
        .table(tables.runs()).select("run_id").collectAsList().stream().map(row -> row.getString(0)).sorted().toList());
    for (String table : tables.all()) {
      assertEquals(2, TestTables.summaries(table).size(), table + ": one snapshot of each run");
    }
  }

  @Test
  void twoRunsOverTheSameDayCannotBothWin() throws Exception {
    TestTables tables = TestTables.in(dir.resolve("warehouse"));
    List<JobRun> runs = atOnce(
        args(tables, "first", "2026-11-01", RequestLogs.request("a", "2026-11-01", 1000)),
        args(tables, "second", "2026-11-01", RequestLogs.request("b", "2026-11-01", 2000)));
    List<Integer> statuses = runs.stream().map(JobRun::status).sorted().toList();
    assertEquals(List.of(0, 1), statuses, runs.get(0).err() + runs.get(1).err());
    int winner = runs.get(0).status() == 0 ? 0 : 1;
    String won = winner == 0 ? "first" : "second";
    String lost = winner == 0 ? "second" : "first";
    String error = runs.get(1 - winner).err();
    assertEquals(1, error.strip().lines().count(), error);
    assertTrue(error.startsWith("reprice: Cannot publish run "), error);
    assertTrue(error.contains(" into " + tables.rollup() + ": another run committed some of its days (2026-11-01)"
        + " after this run found it empty (two runs cannot both replace a day; run it again once the other has"
        + " finished); nothing of this run is published"), error);

    assertEquals(Map.of("2026-11-01", winner == 0 ? "0.004500000000" : "0.007500000000"), costByDay(tables.rollup()));
    assertEquals(List.of(runId(won)), SharedSpark.session().table(tables.runs()).select("run_id").collectAsList()
        .stream().map(row -> row.getString(0)).toList());
    for (String table : tables.all()) {
      assertEquals(1, TestTables.summaries(table).size(), table + ": the losing run committed nothing");
    }
    assertFalse(Files.exists(dir.resolve(lost).resolve("out").resolve("manifest.json")), "nor published its files");
    assertFalse(Files.exists(dir.resolve(lost).resolve("out").resolve("_staging")));
  }

  /** Runs both at once, each waiting for the other before its commits. */
  private static List<JobRun> atOnce(String[] first, String[] second) throws Exception {
    CyclicBarrier bothStaged = new CyclicBarrier(2);
    RunOutputs.afterRollupStaged = () -> {
      try {
        bothStaged.await(5, TimeUnit.MINUTES);
      } catch (Exception e) {
        throw new IllegalStateException("the other run did not get there", e);
      }
    };
    try {
      CompletableFuture<JobRun> one = CompletableFuture.supplyAsync(() -> JobRun.of(first));
      CompletableFuture<JobRun> two = CompletableFuture.supplyAsync(() -> JobRun.of(second));
      return List.of(one.get(10, TimeUnit.MINUTES), two.get(10, TimeUnit.MINUTES));
    } finally {
      RunOutputs.afterRollupStaged = () -> { };
    }
  }

  private String[] args(TestTables tables, String name, String day, String request) throws IOException {
    Path card = Files.writeString(dir.resolve("card.yaml"), TestCards.SMALL_CARD);
    Path logs = RequestLogs.write(dir.resolve(name).resolve("logs"), "requests.jsonl", request).getParent();
    return new String[] {"--input", logs.toString(), "--rate-card", card.toString(),
        "--out", dir.resolve(name).resolve("out").toString(), "--table", tables.flag(), "--from", day, "--to", day,
        "--scenarios", "none", "--no-report", "--quiet"};
  }

  private String runId(String name) throws IOException {
    return JSON.readTree(dir.resolve(name).resolve("out").resolve("manifest.json").toFile()).get("run_id").asText();
  }

  private static Map<String, String> costByDay(String table) {
    return SharedSpark.session().sql("SELECT CAST(day AS STRING), SUM(total_cost) FROM " + table + " GROUP BY day")
        .collectAsList().stream().collect(Collectors.toMap(row -> row.getString(0),
            row -> row.getDecimal(1).toPlainString(), (a, b) -> a, TreeMap::new));
  }
}
