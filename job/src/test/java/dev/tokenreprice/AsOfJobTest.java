package dev.tokenreprice;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenreprice.tables.TestTables;
import dev.tokenreprice.testing.JobRun;
import dev.tokenreprice.testing.RequestLogs;
import dev.tokenreprice.testing.TestCards;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --as-of RUN_ID}: a month as it was closed, shown again after one of its days was re-priced: the files the
 * run wrote, rendered from the snapshots it committed, byte for byte.
 */
class AsOfJobTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> RENDERED = List.of("rollup.csv", "totals.csv", "counterfactual.csv", "report.html",
      "manifest.json");

  @TempDir
  Path dir;

  @Test
  void aMonthAsOfTheRunThatClosedItHasItsOldNumbersByteForByteAfterADayIsRepriced() throws IOException {
    Path card = Files.writeString(dir.resolve("card.yaml"), TestCards.SMALL_CARD);
    Path logs = dir.resolve("logs");
    Path out = dir.resolve("out");
    TestTables tables = TestTables.in(dir.resolve("warehouse"));
    RequestLogs.write(logs, "nov01.jsonl", RequestLogs.request("a", "2026-11-01", 1000));
    RequestLogs.write(logs, "nov02.jsonl", RequestLogs.request("b", "2026-11-02", 2000),
        RequestLogs.unknownModel("q", "2026-11-02"));
    RequestLogs.write(logs, "nov03.jsonl", RequestLogs.request("c", "2026-11-03", 3000));
    String[] month = {"--input", logs.toString(), "--rate-card", card.toString(), "--out", out.toString(),
        "--scenarios", "batch", "--table", tables.flag(), "--quiet", "--from", "2026-11-01", "--to", "2026-11-03"};
    JobRun closing = JobRun.of(month);
    assertEquals(0, closing.status(), closing.err());
    String closingRun = runId(out);
    Map<String, byte[]> closed = files(out);

    // A late file re-prices 2026-11-03 after the month was closed.
    RequestLogs.write(logs, "nov03-late.jsonl", RequestLogs.request("d", "2026-11-03", 9000));
    String[] lastDay = month.clone();
    lastDay[lastDay.length - 3] = "2026-11-03";
    JobRun repricing = JobRun.of(lastDay);
    assertEquals(0, repricing.status(), repricing.err());
    String repricingRun = runId(out);
    Map<String, byte[]> repriced = files(out);

    JobRun asClosed = JobRun.of("--as-of", closingRun, "--table", tables.flag(), "--out", out.toString(), "--quiet");
    assertEquals(0, asClosed.status(), asClosed.err());
    Path rendered = out.resolve("as-of").resolve(closingRun);
    assertTrue(asClosed.out().contains(rendered.toString()), asClosed.out());
    Map<String, byte[]> asOf = files(rendered);
    assertEquals(closed.keySet(), asOf.keySet());
    closed.forEach((file, bytes) -> assertArrayEquals(bytes, asOf.get(file), file + " as the month was closed"));
    String closedRollup = new String(closed.get("rollup.csv"), java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(closedRollup.contains("\n2026-11-03,chat,anthropic,claude-sonnet-4-5,1,3000,"), closedRollup);
    assertFalse(Files.readString(out.resolve("rollup.csv")).contains("2026-11-01"), "the latest run is of one day");

    // The re-pricing run compared its day with 2026-11-02 as the table held it then; shown again, the same.
    JobRun asRepriced = JobRun.of("--as-of", repricingRun, "--table", tables.flag(), "--out", out.toString(), "--quiet");
    assertEquals(0, asRepriced.status(), asRepriced.err());
    Map<String, byte[]> asOfRepricing = files(out.resolve("as-of").resolve(repricingRun));
    repriced.forEach((file, bytes) -> assertArrayEquals(bytes, asOfRepricing.get(file), file + " of the re-pricing"));
    assertTrue(new String(repriced.get("report.html"), java.nio.charset.StandardCharsets.UTF_8).contains("2026-11-02"),
        "its report compares with the day before");

    JobRun unknown = JobRun.of("--as-of", "20261130T000000Z-00000000", "--table", tables.flag(), "--out", out.toString());
    assertEquals(2, unknown.status(), unknown.err());
    assertTrue(unknown.err().startsWith("reprice: --as-of 20261130T000000Z-00000000: no run of that id in "
        + tables.runs()), unknown.err());
    JobRun withInput = JobRun.of("--as-of", closingRun, "--table", tables.flag(), "--input", logs.toString());
    assertEquals(2, withInput.status(), withInput.err());
    assertTrue(withInput.err().startsWith("reprice: --as-of renders a published run again and prices nothing, cannot be"
        + " given with --input"), withInput.err());
  }

  private static String runId(Path out) throws IOException {
    return JSON.readTree(out.resolve("manifest.json").toFile()).get("run_id").asText();
  }

  private static Map<String, byte[]> files(Path dir) throws IOException {
    Map<String, byte[]> contents = new TreeMap<>();
    for (String name : RENDERED) {
      contents.put(name, Files.readAllBytes(dir.resolve(name)));
    }
    return contents;
  }
}
