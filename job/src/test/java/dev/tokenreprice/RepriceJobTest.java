package dev.tokenreprice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenreprice.testing.JobRun;
import dev.tokenreprice.testing.TestCards;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole job through its entry point: outputs, exit statuses, and nothing written on a usage error. */
class RepriceJobTest {
  private static final String GOOD =
      "{\"request_id\":\"%s\",\"timestamp\":\"2026-11-03T10:00:00Z\",\"feature\":\"chat\",\"model\":\"claude-sonnet-4-5\",\"input_tokens\":1000,\"output_tokens\":100}";

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
  }

  @Test
  void aRunPublishesRollupsTotalsQuarantineAndAManifestThatAddsUp() throws IOException {
    writeLogs("day1.jsonl", GOOD.formatted("a"), GOOD.formatted("b").replace("chat", "search, \\\"beta\\\""), "{oops");
    JobRun run = JobRun.of(args());
    assertEquals(0, run.status(), run.err());
    assertEquals(List.of(
        "day,feature,provider,model,requests,input_tokens,output_tokens,cache_write_5m_tokens,cache_write_1h_tokens,"
            + "cache_read_tokens,web_search_requests,input_cost,output_cost,cache_write_cost,cache_read_cost,tool_cost,"
            + "total_cost",
        "2026-11-03,chat,anthropic,claude-sonnet-4-5,1,1000,100,0,0,0,0,0.003000000000,0.001500000000,0.000000000000,"
            + "0.000000000000,0.000000000000,0.004500000000",
        "2026-11-03,\"search, \"\"beta\"\"\",anthropic,claude-sonnet-4-5,1,1000,100,0,0,0,0,0.003000000000,"
            + "0.001500000000,0.000000000000,0.000000000000,0.000000000000,0.004500000000"),
        Files.readAllLines(out.resolve("rollup.csv")));
    List<String> totals = Files.readAllLines(out.resolve("totals.csv"));
    assertEquals("total,,,,,2,2000,200,0,0,0,0,0.006000000000,0.003000000000,0.000000000000,0.000000000000,"
        + "0.000000000000,0.009000000000",
        totals.get(totals.size() - 1));
    JsonNode manifest = new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
    assertEquals(3, manifest.at("/counts/rows_read").asLong());
    assertEquals(2, manifest.at("/counts/rows_priced").asLong());
    assertEquals(1, manifest.at("/counts/quarantined/MALFORMED_RECORD").asLong());
    assertEquals("0.009000000000", manifest.get("total_cost").asText());
    assertEquals(64, manifest.at("/rate_card/sha256").asText().length());
    assertTrue(manifest.at("/input_files/0/path").asText().endsWith("day1.jsonl"));
    assertTrue(Files.isDirectory(out.resolve("rollup/day=2026-11-03")));
    assertEquals(List.of("MALFORMED_RECORD"), quarantineReasons());
    assertFalse(Files.exists(out.resolve("_staging")), "staging is removed after publishing");
    assertTrue(run.out().contains("2 priced, 1 quarantined"), run.out());
    List<String> sheet = Files.readAllLines(out.resolve("counterfactual.csv"));
    assertEquals("feature,provider,model,scenario,requests,actual_cost,scenario_cost,delta,delta_pct,rows_unpriced,"
        + "token_ratio,actual_tool_cost,scenario_tool_cost",
        sheet.get(0));
    // batch halves both requests: 0.009 -> 0.0045
    assertTrue(sheet.contains("*,*,*,batch,2,0.009000000000,0.004500000000,-0.004500000000,-50.00,0,1.0000,"
        + "0.000000000000,0.000000000000"), sheet.toString());
    assertTrue(Files.isDirectory(out.resolve("counterfactual/day=2026-11-03")));
    assertEquals("batch", manifest.at("/scenarios/0").asText());
    assertTrue(run.out().contains("largest savings"), run.out());
  }

  @Test
  void anUnknownScenarioExitsTwoBeforeReadingAnything() throws IOException {
    writeLogs("day1.jsonl", GOOD.formatted("a"));
    JobRun run = JobRun.of(args("--scenarios", "batch,model:claude-imaginary-9"));
    assertEquals(2, run.status());
    assertTrue(run.err().contains("unknown scenario 'model:claude-imaginary-9'"), run.err());
    assertTrue(run.err().contains("anthropic/claude-opus-4-6"), run.err());
    assertFalse(Files.exists(out));
  }

  @Test
  void aScenarioOfARetiredModelIsPricedAndTheManifestAndSummarySayTheModelIsRetired() throws IOException {
    Files.writeString(card, TestCards.SMALL_CARD.replace("    model: claude-opus-4-6\n",
        "    model: claude-opus-4-6\n    retired_on: 2026-11-02\n"));
    writeLogs("day1.jsonl", GOOD.formatted("a"));
    JobRun run = JobRun.of(args("--scenarios", "model:claude-opus-4-6"));
    assertEquals(0, run.status(), run.err());
    String note = "scenario model:claude-opus-4-6: anthropic/claude-opus-4-6 is retired since 2026-11-02";
    assertTrue(run.out().contains(note), run.out());
    assertTrue(Files.readString(out.resolve("manifest.json")).contains(note));
    assertTrue(Files.readString(out.resolve("counterfactual.csv")).contains("model:claude-opus-4-6"));
  }

  @Test
  void checkCardWritesTheComparisonAndItsCountsWithoutReadingLogs() throws IOException {
    Path table = Files.writeString(dir.resolve("prices.json"), """
        {"claude-sonnet-4-5": {"litellm_provider": "anthropic", "mode": "chat",
                               "input_cost_per_token": 3e-06, "output_cost_per_token": 1.6e-05}}
        """);
    JobRun run = JobRun.of("--check-card", table.toString(), "--rate-card", card.toString(), "--out", out.toString(),
        "--on", "2026-11-03");
    assertEquals(0, run.status(), run.err());
    List<String> lines = Files.readAllLines(out.resolve("card-check.csv"));
    assertEquals("table,provider,model,table_key,kind,card_value,table_value,status", lines.get(0));
    assertTrue(lines.contains(table + ",anthropic,claude-sonnet-4-5,claude-sonnet-4-5,input,3,3,AGREE"), lines.toString());
    assertTrue(lines.contains(table + ",anthropic,claude-sonnet-4-5,claude-sonnet-4-5,output,15,16,DIFFER"), lines.toString());
    assertTrue(run.out().contains("all: 1 AGREE, 1 DIFFER, "), run.out());
  }

  @Test
  void checkCardOfAFileInNoKnownShapeExitsTwoNamingItAndWritesNothing() throws IOException {
    Path table = Files.writeString(dir.resolve("prices.csv"), "model,input\nclaude-sonnet-4-5,3\n");
    JobRun run = JobRun.of("--check-card", table.toString(), "--rate-card", card.toString(), "--out", out.toString());
    assertEquals(2, run.status());
    assertTrue(run.err().startsWith("reprice: --check-card " + table + ": is neither LiteLLM's"), run.err());
    assertEquals(1, run.err().lines().count(), run.err());
    assertFalse(Files.exists(out));
  }

  @Test
  void scenariosNoneSkipsTheSheetAndRemovesAnEarlierOne() throws IOException {
    writeLogs("day1.jsonl", GOOD.formatted("a"));
    assertEquals(0, JobRun.of(args("--scenarios", "batch")).status());
    assertTrue(Files.exists(out.resolve("counterfactual.csv")));
    assertEquals(0, JobRun.of(args("--scenarios", "none")).status());
    assertFalse(Files.exists(out.resolve("counterfactual.csv")));
    assertTrue(Files.exists(out.resolve("rollup.csv")));
  }

  @Test
  void strictModeExitsThreeAndPublishesQuarantineAndManifestButNoRollups() throws IOException {
    writeLogs("day1.jsonl", GOOD.formatted("a"), "{oops");
    JobRun run = JobRun.of(args("--strict"));
    assertEquals(3, run.status(), run.err());
    assertTrue(Files.exists(out.resolve("manifest.json")));
    assertEquals(List.of("MALFORMED_RECORD"), quarantineReasons());
    assertFalse(Files.exists(out.resolve("rollup")));
    assertFalse(Files.exists(out.resolve("rollup.csv")));
  }

  @Test
  void strictModeWithCleanLogsPublishesEverything() throws IOException {
    writeLogs("day1.jsonl", GOOD.formatted("a"));
    assertEquals(0, JobRun.of(args("--strict")).status());
    assertTrue(Files.exists(out.resolve("rollup.csv")));
  }

  @Test
  void aBadRateCardExitsTwoWithOneLineNamingTheFieldAndWritesNothing() throws IOException {
    writeLogs("day1.jsonl", GOOD.formatted("a"));
    Files.writeString(card, TestCards.SMALL_CARD.replace("output: 25", "output: -25"));
    JobRun run = JobRun.of(args());
    assertEquals(2, run.status());
    assertTrue(run.err().startsWith("reprice: rate card " + card + ": model claude-opus-4-6, rate 2026-02-05: 'output'"),
        run.err());
    assertEquals(1, run.err().strip().lines().count());
    assertFalse(Files.exists(out));
  }

  @Test
  void missingInputsAnOutputThatIsAFileAndAnEmptyInputExitTwo() throws IOException {
    JobRun missing = JobRun.of("--input", dir.resolve("nothing-here").toString(), "--rate-card", card.toString(),
        "--out", out.toString());
    assertEquals(2, missing.status());
    assertOneLine(missing, "reprice: input " + dir.resolve("nothing-here"));
    writeLogs("day1.jsonl", GOOD.formatted("a"));
    Path file = Files.writeString(dir.resolve("a-file"), "x");
    JobRun run = JobRun.of("--input", logs.toString(), "--rate-card", card.toString(), "--out", file.toString());
    assertEquals(2, run.status());
    assertOneLine(run, "reprice: ");
    assertTrue(run.err().contains("is a file, not a directory"), run.err());
    Path empty = Files.createDirectories(dir.resolve("empty"));
    Files.writeString(empty.resolve("none.jsonl"), "\n");
    JobRun emptyRun = JobRun.of("--input", empty.toString(), "--rate-card", card.toString(), "--out", out.toString());
    assertEquals(2, emptyRun.status(), emptyRun.err());
    assertOneLine(emptyRun, "reprice: input " + empty);
    assertTrue(emptyRun.err().contains("holds no records"), emptyRun.err());
    assertFalse(Files.exists(out.resolve("manifest.json")));
    assertFalse(Files.exists(out.resolve("_staging")), "an empty input leaves no staging behind");
  }

  private static void assertOneLine(JobRun run, String start) {
    assertTrue(run.err().startsWith(start), run.err());
    assertEquals(1, run.err().strip().lines().count(), run.err());
  }

  @Test
  void fromAndToLimitTheRunToTheirDays() throws IOException {
    writeLogs("days.jsonl", GOOD.formatted("a"), GOOD.formatted("b").replace("2026-11-03", "2026-11-04"));
    JobRun run = JobRun.of(args("--from", "2026-11-04", "--to", "2026-11-04"));
    assertEquals(0, run.status(), run.err());
    List<String> rollup = Files.readAllLines(out.resolve("rollup.csv"));
    assertEquals(2, rollup.size());
    assertTrue(rollup.get(1).startsWith("2026-11-04,"));
  }

  @Test
  void parquetAndGzippedJsonLinesAreReadToo() throws IOException {
    writeLogs("day1.jsonl", GOOD.formatted("a"));
    Path parquet = dir.resolve("parquet");
    dev.tokenreprice.testing.SharedSpark.session().read().json(logs.toString())
        .write().parquet(parquet.toString());
    JobRun fromParquet = JobRun.of("--input", parquet.toString(), "--rate-card", card.toString(), "--out", out.toString());
    assertEquals(0, fromParquet.status(), fromParquet.err());
    String parquetCsv = Files.readString(out.resolve("rollup.csv"));

    Path gz = dir.resolve("gz");
    Files.createDirectories(gz);
    try (var zip = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz.resolve("day1.jsonl.gz")))) {
      zip.write(GOOD.formatted("a").getBytes(StandardCharsets.UTF_8));
    }
    Path out2 = dir.resolve("out2");
    assertEquals(0, JobRun.of("--input", gz.toString(), "--rate-card", card.toString(), "--out", out2.toString()).status());
    assertEquals(parquetCsv, Files.readString(out2.resolve("rollup.csv")));
  }

  /** The reason of every quarantined line, read from the JSON files as a person would. */
  private List<String> quarantineReasons() throws IOException {
    ObjectMapper json = new ObjectMapper();
    try (Stream<Path> files = Files.list(out.resolve("quarantine"))) {
      List<String> reasons = new java.util.ArrayList<>();
      for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json")).toList()) {
        for (String line : Files.readAllLines(file)) {
          JsonNode record = json.readTree(line);
          assertTrue(record.get("raw_record").asText().length() > 0, line);
          assertTrue(record.get("source_file").asText().endsWith(".jsonl"), line);
          reasons.add(record.get("reason").asText());
        }
      }
      return reasons;
    }
  }

  @Test
  void identicalBadRecordsAreEachWrittenToTheQuarantine() throws IOException {
    writeLogs("day1.jsonl", GOOD.formatted("a"), "{oops", "{oops", "{oops", GOOD.formatted("b").replace("claude-sonnet-4-5", "nope"));
    JobRun run = JobRun.of(args("--scenarios", "none"));
    assertEquals(0, run.status(), run.err());
    // The quarantine is written from grouped records: the same bad line read three times is three lines.
    assertEquals(List.of("MALFORMED_RECORD", "MALFORMED_RECORD", "MALFORMED_RECORD", "UNKNOWN_MODEL"), quarantineReasons());
  }

  private String[] args(String... more) {
    return Stream.concat(Stream.of("--input", logs.toString(), "--rate-card", card.toString(), "--out", out.toString()),
        Stream.of(more)).toArray(String[]::new);
  }

  private void writeLogs(String name, String... lines) throws IOException {
    Files.write(logs.resolve(name), List.of(lines), StandardCharsets.UTF_8);
  }
}
