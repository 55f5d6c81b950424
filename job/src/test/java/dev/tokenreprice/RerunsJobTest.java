package dev.tokenreprice;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenreprice.testing.JobRun;
import dev.tokenreprice.testing.SharedSpark;
import dev.tokenreprice.testing.TestCards;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Re-runs replace exactly the days they cover, fail without touching what was published, and repeat byte for byte. */
class RerunsJobTest {
  // 1000 input x 3/M + 100 output x 15/M = 0.0045 per request on claude-sonnet-4-5
  private static final String REQUEST =
      "{\"request_id\":\"%s\",\"timestamp\":\"%sT10:00:00Z\",\"feature\":\"chat\",\"model\":\"claude-sonnet-4-5\",\"input_tokens\":%d,\"output_tokens\":100}";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;
  private Path card;
  private Path logs;
  private Path out;

  @BeforeEach
  void files() throws IOException {
    card = Files.writeString(dir.resolve("card.yaml"), TestCards.SMALL_CARD);
    logs = Files.createDirectories(dir.resolve("logs"));
    out = dir.resolve("out");
    writeLog("nov01.jsonl", request("a", "2026-11-01", 1000));
    writeLog("nov02.jsonl", request("b", "2026-11-02", 1000), request("c", "2026-11-02", 1000));
    writeLog("nov03.jsonl", request("d", "2026-11-03", 1000));
  }

  @Test
  void reRunningOneDayReplacesThatDayAndLeavesEveryOtherDayByteForByte() throws IOException {
    assertEquals(0, run().status());
    Map<String, byte[]> before = files(out, "rollup", "counterfactual");
    // The day's logs arrive late: a second request on 2026-11-03.
    writeLog("nov03.jsonl", request("d", "2026-11-03", 1000), request("e", "2026-11-03", 2000));
    JobRun rerun = run("--from", "2026-11-03", "--to", "2026-11-03");
    assertEquals(0, rerun.status(), rerun.err());

    Map<String, byte[]> after = files(out, "rollup", "counterfactual");
    assertEquals(before.keySet(), after.keySet(), "same day folders and file names");
    for (String file : before.keySet()) {
      if (file.contains("day=2026-11-03")) {
        assertFalse(java.util.Arrays.equals(before.get(file), after.get(file)), file + " is replaced");
      } else {
        assertArrayEquals(before.get(file), after.get(file), file + " is untouched");
      }
    }
    // 0.0045 + (2000 x 3/M + 100 x 15/M = 0.0075) = 0.012 on the re-run day
    List<Row> day3 = SharedSpark.session().read().parquet(out.resolve("rollup/day=2026-11-03").toString()).collectAsList();
    assertEquals(1, day3.size());
    assertEquals("0.012000000000", day3.get(0).getAs("total_cost").toString());
    assertEquals(3, SharedSpark.session().read().parquet(out.resolve("rollup").toString()).count(), "one row per day");

    // The CSV files and the manifest describe the run's own day.
    List<String> rollupCsv = Files.readAllLines(out.resolve("rollup.csv"));
    assertEquals(2, rollupCsv.size());
    assertTrue(rollupCsv.get(1).startsWith("2026-11-03,chat,anthropic,claude-sonnet-4-5,2,3000,"), rollupCsv.get(1));
    JsonNode manifest = JSON.readTree(out.resolve("manifest.json").toFile());
    assertEquals("[\"2026-11-03\"]", manifest.get("days").toString());
    assertEquals("0.012000000000", manifest.get("total_cost").asText());

    // Every run's manifest is kept; the latest is also DIR/manifest.json.
    List<Path> runs = runManifests();
    assertEquals(2, runs.size());
    assertTrue(runs.stream().anyMatch(path -> path.getParent().getFileName().toString()
        .equals(manifest.get("run_id").asText())));
    assertArrayEquals(Files.readAllBytes(out.resolve("manifest.json")),
        Files.readAllBytes(out.resolve("runs").resolve(manifest.get("run_id").asText()).resolve("manifest.json")));
  }

  @Test
  void twoRunsOnTheSameInputWriteTheSameBytes() throws IOException {
    JobRun first = run();
    assertEquals(0, first.status(), first.err());
    Map<String, byte[]> firstFiles = files(out, "rollup", "counterfactual", "rollup.csv", "totals.csv",
        "counterfactual.csv", "quarantine");
    JsonNode firstManifest = JSON.readTree(out.resolve("manifest.json").toFile());
    assertEquals(0, run().status());
    Map<String, byte[]> secondFiles = files(out, "rollup", "counterfactual", "rollup.csv", "totals.csv",
        "counterfactual.csv", "quarantine");

    assertEquals(firstFiles.keySet(), secondFiles.keySet());
    assertTrue(firstFiles.keySet().contains("rollup/day=2026-11-01/part-00000.snappy.parquet"), firstFiles.keySet()::toString);
    // Parquet included: the writer of this Spark version stores the same rows as the same bytes.
    firstFiles.forEach((file, bytes) -> assertArrayEquals(bytes, secondFiles.get(file), file));
    JsonNode secondManifest = JSON.readTree(out.resolve("manifest.json").toFile());
    assertNotEquals(firstManifest.get("run_id"), secondManifest.get("run_id"));
    assertEquals(withoutRunFacts(firstManifest), withoutRunFacts(secondManifest));
  }

  @Test
  void aRunFailingAfterItsFirstStageOrOnBadArgumentsLeavesThePublishedOutputAsItWas() throws IOException {
    assertEquals(0, run().status());
    Map<String, byte[]> before = files(out, "");
    writeLog("nov03.jsonl", request("d", "2026-11-03", 5000));
    RunOutputs.afterRollupStaged = () -> {
      throw new IllegalStateException("executor lost (injected)");
    };
    JobRun failed;
    try {
      failed = run();
    } finally {
      RunOutputs.afterRollupStaged = () -> {};
    }
    assertEquals(1, failed.status());
    // Stage lines that ended before the failure come first on stderr.
    assertTrue(failed.err().lines().anyMatch(line -> line.startsWith("reprice: failed, nothing was published: ")),
        failed.err());
    Map<String, byte[]> after = files(out, "");
    assertEquals(before.keySet(), after.keySet(), "no file added or removed, staging cleaned up");
    before.forEach((file, bytes) -> assertArrayEquals(bytes, after.get(file), file));
    assertEquals(1, runManifests().size(), "a failed run records no manifest");
    assertFalse(Files.exists(out.resolve("_staging")), "a failing run removes its staging");

    // Bad arguments: one line on stderr, status 2, and the published output still as it was.
    Map<String, String[]> cases = new TreeMap<>(Map.of(
        "--from must be on or before --to",
        args("--from", "2026-11-03", "--to", "2026-11-01"),
        "--days-back must be a whole number of days, 1 or more, cannot be: 0",
        args("--days-back", "0"),
        "--days-back sets the period itself, cannot be given with --from or --to",
        args("--days-back", "3", "--from", "2026-11-01"),
        "rate card " + dir.resolve("missing.yaml"),
        new String[] {"--input", logs.toString(), "--rate-card", dir.resolve("missing.yaml").toString(),
            "--out", out.toString()},
        "input " + dir.resolve("no-logs"),
        new String[] {"--input", dir.resolve("no-logs").toString(), "--rate-card", card.toString(),
            "--out", out.toString()}));
    cases.forEach((message, args) -> {
      JobRun bad = JobRun.of(args);
      assertEquals(2, bad.status(), message + ": " + bad.err());
      assertTrue(bad.err().startsWith("reprice: ") && bad.err().contains(message), message + ": " + bad.err());
      assertEquals(1, bad.err().strip().lines().count(), bad.err());
    });
    Map<String, byte[]> afterBadArguments = files(out, "");
    assertEquals(before.keySet(), afterBadArguments.keySet());
    before.forEach((file, bytes) -> assertArrayEquals(bytes, afterBadArguments.get(file), file));
  }

  @Test
  void sinceLastRunPricesOnlyTheDaysOfChangedFiles() throws IOException {
    JobRun first = run("--since-last-run");
    assertEquals(0, first.status(), first.err());
    assertEquals("[\"2026-11-01\",\"2026-11-02\",\"2026-11-03\"]",
        JSON.readTree(out.resolve("manifest.json").toFile()).get("days").toString(), "no earlier run: every day");
    String firstRunId = JSON.readTree(out.resolve("manifest.json").toFile()).get("run_id").asText();
    Map<String, byte[]> published = files(out, "");

    JobRun unchanged = run("--since-last-run");
    assertEquals(0, unchanged.status(), unchanged.err());
    assertTrue(unchanged.out().contains("nothing changed since run " + firstRunId), unchanged.out());
    assertEquals(published.keySet(), files(out, "").keySet(), "nothing published, no run recorded");

    // A late request lands in the file of 2026-11-02; its size and time change.
    writeLog("nov02.jsonl", request("b", "2026-11-02", 1000), request("c", "2026-11-02", 1000),
        request("f", "2026-11-02", 1000));
    Files.setLastModifiedTime(logs.resolve("nov02.jsonl"), FileTime.from(Instant.parse("2026-11-25T03:00:00Z")));
    JobRun nightly = run("--since-last-run");
    assertEquals(0, nightly.status(), nightly.err());
    JsonNode manifest = JSON.readTree(out.resolve("manifest.json").toFile());
    assertEquals("[\"2026-11-02\"]", manifest.get("days").toString());
    assertEquals("2026-11-02", manifest.at("/period/from").asText());
    assertEquals(3, manifest.at("/counts/rows_priced").asLong());
    assertEquals(2, manifest.at("/counts/rows_outside_period").asLong());
    assertEquals(List.of("day,feature,provider,model,requests", "2026-11-02,chat,anthropic,claude-sonnet-4-5,3"),
        Files.readAllLines(out.resolve("rollup.csv")).stream().map(line -> String.join(",",
            List.of(line.split(",")).subList(0, 5))).toList());
    assertArrayEquals(published.get("rollup/day=2026-11-01/part-00000.snappy.parquet"),
        Files.readAllBytes(out.resolve("rollup/day=2026-11-01/part-00000.snappy.parquet")));
  }

  @Test
  void sinceLastRunAlsoPricesTheDaysAFileLeftAgain() throws IOException {
    assertEquals(0, run().status());
    // The file of 2026-11-03 is re-delivered with its request moved to 2026-11-04.
    writeLog("nov03.jsonl", request("d", "2026-11-04", 1000));
    Files.setLastModifiedTime(logs.resolve("nov03.jsonl"), FileTime.from(Instant.parse("2026-11-25T03:00:00Z")));
    JobRun nightly = run("--since-last-run");
    assertEquals(0, nightly.status(), nightly.err());
    assertEquals("[\"2026-11-03\",\"2026-11-04\"]",
        JSON.readTree(out.resolve("manifest.json").toFile()).get("days").toString());
    // A covered day whose rows are all gone loses its old partition.
    assertFalse(Files.exists(out.resolve("rollup/day=2026-11-03")));
    assertFalse(Files.exists(out.resolve("counterfactual/day=2026-11-03")));
    assertTrue(Files.exists(out.resolve("rollup/day=2026-11-04")));
    assertTrue(Files.exists(out.resolve("rollup/day=2026-11-01")));
  }

  private JobRun run(String... more) {
    return JobRun.of(args(more));
  }

  private String[] args(String... more) {
    // One scenario keeps the counterfactual/ folder in play at a small cost.
    return Stream.concat(Stream.of("--input", logs.toString(), "--rate-card", card.toString(), "--out", out.toString(),
        "--scenarios", "batch"), Stream.of(more)).toArray(String[]::new);
  }

  private static String request(String id, String day, int inputTokens) {
    return REQUEST.formatted(id, day, inputTokens);
  }

  private void writeLog(String name, String... lines) throws IOException {
    Files.write(logs.resolve(name), List.of(lines), StandardCharsets.UTF_8);
  }

  private List<Path> runManifests() throws IOException {
    try (Stream<Path> files = Files.walk(out.resolve("runs"))) {
      return files.filter(path -> path.getFileName().toString().equals("manifest.json")).toList();
    }
  }

  /** Every file under the named entries of {@code root} ("" for all), by path relative to {@code root}. */
  private static Map<String, byte[]> files(Path root, String... names) throws IOException {
    Map<String, byte[]> contents = new TreeMap<>();
    for (String name : names) {
      Path start = root.resolve(name);
      if (!Files.exists(start)) {
        continue;
      }
      try (Stream<Path> walk = Files.walk(start)) {
        for (Path file : walk.filter(Files::isRegularFile).toList()) {
          contents.put(root.relativize(file).toString(), Files.readAllBytes(file));
        }
      }
    }
    return contents;
  }

  /** The manifest without what differs between two runs of the same input: ids, times, arguments. */
  private static JsonNode withoutRunFacts(JsonNode manifest) {
    ObjectNode copy = manifest.deepCopy();
    copy.remove(List.of("run_id", "started_at", "finished_at", "arguments"));
    return copy;
  }
}
