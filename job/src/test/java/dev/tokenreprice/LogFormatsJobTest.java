package dev.tokenreprice;

import static dev.tokenreprice.testing.FormatRun.sample;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenreprice.testing.FormatRun;
import dev.tokenreprice.testing.JobRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole job on logs of several formats: one run, per-file counts, detection and the format errors. */
class LogFormatsJobTest {
  private static final String CARD = FormatRun.REPO + "/conf/rate-card.yaml";

  @TempDir
  Path dir;

  @Test
  void formatsMixInOneRunAndTheManifestCountsEveryFilesRecords() throws IOException {
    Path out = dir.resolve("out");
    JobRun run = JobRun.of("--rate-card", CARD, "--out", out.toString(), "--scenarios", "none",
        "--log-format", "anthropic", "--input", sample("anthropic"),
        "--log-format", "claude-code", "--input", sample("claude-code"),
        "--log-format", "bedrock", "--input", sample("bedrock"));
    assertEquals(0, run.status(), run.err());
    JsonNode manifest = new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
    // 0.0525 (anthropic) + 0.046965 (claude-code) + 0.010216 (bedrock), each checked in BuiltInFormatsTest
    assertEquals("0.109681000000", manifest.get("total_cost").asText());
    Map<String, String> fileCounts = new HashMap<>();
    for (JsonNode file : manifest.get("input_files")) {
      fileCounts.put(file.get("path").asText().replaceAll(".*/formats/", ""), file.get("log_format").asText() + " "
          + file.get("records").asLong() + " = " + file.get("rows_priced").asLong() + " priced + "
          + file.get("rows_quarantined").asLong() + " quarantined + " + file.get("records_skipped").asLong() + " skipped");
    }
    assertEquals(Map.of(
        "anthropic/messages.jsonl", "anthropic 7 = 3 priced + 3 quarantined + 1 skipped",
        "claude-code/-home-dev-billing-api/6f1c2d9e-session.jsonl", "claude-code 7 = 2 priced + 0 quarantined + 5 skipped",
        "claude-code/search-service/0a9b8c7d-session.jsonl", "claude-code 2 = 1 priced + 0 quarantined + 1 skipped",
        "bedrock/invocations.jsonl", "bedrock 4 = 3 priced + 1 quarantined + 0 skipped"), fileCounts);
    JsonNode counts = manifest.get("counts");
    assertEquals(List.of(9L, 4L, 1L), List.of(counts.get("rows_priced").asLong() + 0, counts.get("rows_quarantined")
        .asLong(), counts.get("skipped").get("REPEATED_LINE").asLong()));
    assertEquals(6, counts.get("skipped").get("NOT_A_REQUEST").asLong());
    String rollup = Files.readString(out.resolve("rollup.csv"));
    assertTrue(rollup.contains(",bedrock,claude-haiku-4-5,") && rollup.contains(",anthropic,claude-haiku-4-5,"),
        "the rollup keeps each cost's provider apart:\n" + rollup);
  }

  @Test
  void aFeatureKeyAppliesToTheInputsAfterIt() throws IOException {
    Path out = dir.resolve("keys");
    JobRun run = JobRun.of("--rate-card", CARD, "--out", out.toString(), "--scenarios", "none",
        "--log-format", "otel", "--input", sample("otel"),
        "--feature-key", "team", "--log-format", "bedrock", "--input", sample("bedrock"));
    assertEquals(0, run.status(), run.err());
    String rollup = Files.readString(out.resolve("rollup.csv"));
    // OTel keeps its own key (service.name); Bedrock reads requestMetadata['team'], which only r-2 has.
    assertTrue(rollup.contains(",chat-api,anthropic,claude-sonnet-4-6,") && rollup.contains(",risk,bedrock,claude-opus-4-6,")
        && rollup.contains(",unattributed,bedrock,claude-haiku-4-5,"), rollup);
  }

  @Test
  void autoTellsEveryBuiltInFormatFromItsFirstRecordsAndPricesThemAsNamed() throws IOException {
    Path out = dir.resolve("auto");
    JobRun run = JobRun.of("--rate-card", CARD, "--out", out.toString(), "--scenarios", "none", "--log-format", "auto",
        "--input", sample("{anthropic,claude-code,openai,bedrock,otel,gemini}"),
        "--input", FormatRun.REPO + "/sample-data/logs/parquet");
    assertEquals(0, run.status(), run.err());
    JsonNode manifest = new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
    Map<String, String> detected = new HashMap<>();
    for (JsonNode file : manifest.get("input_files")) {
      detected.put(file.get("path").asText().replaceAll(".*/sample-data/", ""), file.get("log_format").asText());
    }
    assertEquals(Map.of(
        "formats/anthropic/messages.jsonl", "anthropic",
        "formats/claude-code/-home-dev-billing-api/6f1c2d9e-session.jsonl", "claude-code",
        "formats/claude-code/search-service/0a9b8c7d-session.jsonl", "claude-code",
        "formats/openai/responses.jsonl", "openai",
        "formats/bedrock/invocations.jsonl", "bedrock",
        "formats/otel/otlp-export.jsonl", "otel",
        "formats/otel/flat-spans.jsonl", "otel",
        "formats/gemini/generate-content.jsonl", "gemini",
        "logs/parquet/logs-2026-11.parquet", "canonical"), detected);
    // The sample month (85.641134290250) plus the six formats' hand-checked totals (gemini: 0.94395).
    assertEquals("86.760765290250", manifest.get("total_cost").asText());
  }

  @Test
  void aFileAutoCannotTellExitsTwoNamingItAndWritesNothing() {
    Path out = dir.resolve("unknown");
    JobRun run = JobRun.of("--rate-card", CARD, "--out", out.toString(), "--log-format", "auto",
        "--input", sample("custom/gateway.jsonl"));
    assertEquals(2, run.status());
    assertTrue(run.err().contains("gateway.jsonl: cannot tell its log format"), run.err());
    assertFalse(Files.exists(out));
  }

  @Test
  void anUnknownFormatNameIsAUsageError() {
    JobRun run = JobRun.of("--log-format", "splunk", "--input", sample("anthropic"), "--out", dir.resolve("x").toString());
    assertEquals(2, run.status());
    assertEquals("reprice: --log-format must be canonical, auto, otel, claude-code, codex, gemini-cli, opencode,"
        + " bedrock, openai, anthropic, gemini or mapping:FILE, cannot be: splunk", run.err().strip());
  }

  @Test
  void mappingErrorsNameTheFileAndTheFieldAndExitTwoBeforeWritingAnything() throws IOException {
    Map<String, String> expected = Map.of(
        "fields:\n  input_tokens: \"llm.tokens.prompt\"\n  cost_usd: \"1\"\n",
        "field 'cost_usd' is not a canonical field",
        "fields:\n  input_tokens: \"llm.tokens.prompt +\"\n",
        "field 'input_tokens': Spark cannot parse \"llm.tokens.prompt +\"",
        "schema: \"llm STRUCT<tokens: STRUCT<prompt: BIGINT>>\"\nfields:\n  input_tokens: \"llm.tokens.promt\"\n",
        "field 'input_tokens': \"llm.tokens.promt\" does not fit the record",
        "fieldz:\n  model: \"m\"\n",
        "'fieldz' is not a key of a log format",
        "schema: \"ts BIGINT,\"\nfields:\n  model: \"m\"\n",
        "'schema' is not a Spark DDL schema",
        "steps: [explode-everything]\nfields:\n  model: \"m\"\n",
        "step 'explode-everything' is not a known step",
        "steps:\n  - json-documents: [\"*.json\", \"messages[0]\"]\nfields:\n  model: \"m\"\n",
        "step 'json-documents' needs a file name glob, and the top-level array field",
        "steps:\n  - sqlite-query: [\"SELECT 1\", \"SELECT 2\"]\nfields:\n  model: \"m\"\n",
        "step 'sqlite-query' needs one query whose column 'record' is a record's JSON text");
    int i = 0;
    for (Map.Entry<String, String> mapping : expected.entrySet()) {
      Path file = dir.resolve("mapping" + i++ + ".yaml");
      Files.writeString(file, mapping.getKey());
      Path out = dir.resolve("out" + i);
      JobRun run = JobRun.of("--rate-card", CARD, "--out", out.toString(), "--log-format", "mapping:" + file,
          "--input", sample("custom/gateway.jsonl"));
      assertEquals(2, run.status(), mapping.getKey() + run.err());
      assertTrue(run.err().startsWith("reprice: log format " + file + ": " + mapping.getValue()), run.err());
      assertEquals(1, run.err().strip().lines().count(), run.err());
      assertFalse(Files.exists(out), "nothing written for " + mapping.getKey());
    }
  }
}
