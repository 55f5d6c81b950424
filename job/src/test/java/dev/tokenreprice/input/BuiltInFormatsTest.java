package dev.tokenreprice.input;

import static dev.tokenreprice.testing.FormatRun.sample;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tokenreprice.testing.FormatRun;
import java.math.BigDecimal;
import java.util.Map;
import dev.tokenreprice.testing.SharedSpark;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each built-in log format on its files in {@code sample-data/formats/}, priced with the shipped rate card.
 * Every expected cost is worked out by hand from the card's USD-per-million prices in the comment beside it.
 */
class BuiltInFormatsTest {
  private static BigDecimal usd(String amount) {
    return new BigDecimal(amount).setScale(12);
  }

  @Test
  void anthropicResponsesBatchResultsAndCacheWriteSplits() {
    FormatRun run = FormatRun.of("anthropic", sample("anthropic"));
    // Sonnet 4.6 (3 / 15, 5m write 3.75, read 0.30): 1000 x 3 + 500 x 15 + 2000 (no split: 5m) x 3.75 + 10000 x 0.30
    assertEquals(usd("0.021"), run.costs().get("msg_01A"));
    // Haiku 4.5 by its dated id (1 / 5, 1h write 2): 200 x 1 + 100 x 5 + 400 (the 1h split) x 2
    assertEquals(usd("0.0015"), run.costs().get("req_02"));
    // A batch result is the batch tier, half of (10000 x 3 + 2000 x 15)
    assertEquals(usd("0.03"), run.costs().get("msg_01C"));
    assertEquals(usd("0.0525"), run.total());
    assertEquals("NOT_A_REQUEST", run.statuses().get("doc-18"), "an errored batch result is billed nothing");
    assertEquals("MALFORMED_RECORD", run.statuses().get("msg_01F"), "a count that is text");
    assertEquals(2, run.count("MALFORMED_RECORD"), "the cut-off line and the text count");
    assertEquals("MISSING_TIMESTAMP", run.statuses().get("msg_01G"));
    assertEquals(Map.of("msg_01A", "search", "req_02", "support", "msg_01C", "nightly-summaries"), run.features());
  }

  @Test
  void claudeCodeCountsEachStreamedMessageOnceWithItsFinalCountsAndTheProjectAsFeature() {
    FormatRun run = FormatRun.of("claude-code", sample("claude-code"));
    // A request is a message of its requestId: request_id is requestId/message.id.
    // Two lines of msg_011A: output 10, then 300. Sonnet 4.6: 5 x 3 + 300 x 15 + 3000 (1h) x 6 + 20000 x 0.30
    assertEquals(usd("0.028515"), run.costs().get("req_011A/msg_011A"));
    assertEquals("PRICED,REPEATED_LINE", run.statuses().get("req_011A/msg_011A"));
    // Haiku 4.5: 100 x 1 + 50 x 5 + 1000 x 0.10
    assertEquals(usd("0.00045"), run.costs().get("req_011B/msg_011B"));
    // Sonnet 4.6: 1000 x 3 + 1000 x 15
    assertEquals(usd("0.018"), run.costs().get("req_022A/msg_022A"));
    assertEquals(usd("0.046965"), run.total());
    // Claude Code's encoded directory (-home-dev-billing-api) gives way to cwd's last part; a plain one is kept.
    assertEquals(Map.of("req_011A/msg_011A", "billing-api", "req_011B/msg_011B", "billing-api",
        "req_022A/msg_022A", "search-service"), run.features());
    // A summary, three user lines and a <synthetic> message are no model calls.
    assertEquals(5, run.count("NOT_A_REQUEST"));
    assertEquals(0, run.statusList().stream().filter(s -> s.startsWith("MALFORMED")).count());
  }

  @Test
  void openAiCachedTokensAreASubsetOfThePromptAndTiersMapToTheCard() {
    FormatRun run = FormatRun.of("openai", sample("openai"));
    // gpt-5.4 snapshot, tier default: (1000 - 400) x 2.50 + 400 x 0.25 + 200 x 15 (reasoning inside the 200)
    assertEquals(usd("0.0046"), run.costs().get("chatcmpl-1"));
    assertEquals("openai/gpt-5.4", run.models().get("chatcmpl-1"));
    // gpt-5.5 priority (x 2.5): (2000 x 5 + 100 x 30) x 2.5
    assertEquals(usd("0.0325"), run.costs().get("resp_2"));
    // Batch API output line, gpt-5.4-mini at batch (x 0.5): (10000 x 0.75 + 1000 x 4.50) x 0.5
    assertEquals(usd("0.006"), run.costs().get("req_b1"));
    assertEquals(usd("0.0431"), run.total());
    assertEquals("NOT_A_REQUEST", run.statuses().get("req_b2"), "a failed batch request is billed nothing");
    assertEquals("NEGATIVE_TOKENS", run.statuses().get("chatcmpl-5"), "150 cached of a 100-token prompt");
  }

  @Test
  void bedrockResolvesInferenceProfilesAndArnsToTheCardsBedrockModelsAndTheirScope() {
    FormatRun run = FormatRun.of("bedrock", sample("bedrock"));
    // us. profile of Haiku 4.5 on Bedrock, 1.1x the list price (1.10 / 5.50, write 1.375, read 0.11):
    // 1000 x 1.10 + 500 x 5.50 + 2000 x 1.375 + 5000 x 0.11
    assertEquals(usd("0.00715"), run.costs().get("r-1"));
    // ARN of a global. profile of Opus 4.6 on Bedrock, the list price (5 / 25): 100 x 5 + 100 x 25
    assertEquals(usd("0.003"), run.costs().get("r-2"));
    assertEquals("bedrock/claude-opus-4-6", run.models().get("r-2"));
    assertEquals("unattributed", run.features().get("r-2"), "no 'feature' key in its requestMetadata");
    // The plain foundation model id is an in-region call, 1.1x: 10 x 1.10 + 10 x 5.50
    assertEquals(usd("0.000066"), run.costs().get("r-3"));
    assertEquals("UNKNOWN_MODEL", run.statuses().get("r-4"));
    assertEquals(usd("0.010216"), run.total());
  }

  @Test
  void otelReadsOtlpExportsAndFlatSpansWithInputTokensIncludingTheCache() {
    FormatRun run = FormatRun.of("otel", sample("otel"));
    // OTLP span, Sonnet 4.6: input 12000 includes 10000 read and 1000 written, so 1000 uncached:
    // 1000 x 3 + 500 x 15 + 1000 x 3.75 + 10000 x 0.30
    assertEquals(usd("0.01725"), run.costs().get("msg_0tel1"));
    // OTLP span of gen_ai.system openai, its intValue a JSON number: 1000 x 2.50 + 100 x 15
    assertEquals(usd("0.004"), run.costs().get("6c8efff798038103d269b633813fc60d:bbb19b7ec3c1b176"));
    // Flat span of aws.bedrock with a us. profile id, Haiku 4.5 at 1.1x: 1000 x 1.10 + 100 x 5.50
    assertEquals(usd("0.00165"), run.costs().get("7d:01"));
    assertEquals(usd("0.0229"), run.total());
    assertEquals("chat-api", run.features().get("msg_0tel1"), "service.name of the resource");
    assertEquals("batch-jobs", run.features().get("7d:01"));
    assertEquals(1, run.count("NOT_A_REQUEST"), "the HTTP span");
    assertEquals(2, run.count("MALFORMED_RECORD"), "12.5 input tokens and a line that is no JSON");
  }

  @Test
  void geminiAddsThoughtsAndToolUseByTheTotalCountAndReadsBatchAndVertexLines() {
    FormatRun run = FormatRun.of("gemini", sample("gemini"));
    // 3.8 Flash, introductory (0.75 / 3.75, read 0.075); total = prompt + candidates + thoughts, so the 1500
    // thoughts are output: (12000 - 10000) x 0.75 + (500 + 1500) x 3.75 + 10000 x 0.075
    assertEquals(usd("0.00975"), run.costs().get("aB3xZqLmEe2f7dkPq1"));
    // 3.7 Flash; total = prompt + candidates: the 300 thoughts are inside the 800. 1000 x 0.75 + 800 x 3.75
    assertEquals(usd("0.00375"), run.costs().get("aB3xZqLmEe2f7dkPq2"));
    // 3.5 Flash (1.50 / 9); total = prompt + candidates + tool use: (2000 + 500) x 1.50 + 100 x 9
    assertEquals(usd("0.00465"), run.costs().get("aB3xZqLmEe2f7dkPq3"));
    // Vertex, location europe-west4 is regional (x 1.1): (4000 x 0.75 + (200 + 800) x 3.75) x 1.1
    assertEquals(usd("0.007425"), run.costs().get("vTx4adGhK5qZ3dAPx4"));
    // Gemini Batch API line, models/ prefix dropped, 3.5 Flash-Lite (0.30 / 2.50) at batch:
    // (20000 x 0.30 + 1000 x 2.50) x 0.5
    assertEquals(usd("0.00425"), run.costs().get("summary-0042"));
    assertEquals("google/gemini-3.5-flash-lite", run.models().get("summary-0042"));
    // Vertex batch prediction line, gemini-3.6-flash@default on 2026-11-15 (0.75 / 3.75) at batch:
    // (3000 x 0.75 + (400 + 600) x 3.75) x 0.5
    assertEquals(usd("0.003"), run.costs().get("vTx4adGhK5qZ3dAPx6"));
    assertEquals("google/gemini-3.6-flash", run.models().get("vTx4adGhK5qZ3dAPx6"));
    // An SDK's snake_case dump, 3.8 Flash: 500 x 0.75 + (50 + 150) x 3.75
    assertEquals(usd("0.001125"), run.costs().get("sn-py-dump-1"));
    // 3.1 Pro above 200K prompt tokens (250000): every token at 4 / 18, read 0.40:
    // 200000 x 4 + 50000 x 0.40 + (2000 + 3000) x 18
    assertEquals(usd("0.91"), run.costs().get("aB3xZqLmEe2f7dkPqB"));
    assertEquals(usd("0.94395"), run.total());
    assertEquals("NOT_A_REQUEST", run.statuses().get("req-429"), "an error line");
    assertEquals("NOT_A_REQUEST", run.statuses().get("vTx4adGhK5qZ3dAPx9"), "a blocked prompt has no counts");
    assertEquals(3, run.count("NOT_A_REQUEST"), "and the failed Vertex batch line");
    assertEquals(Map.of("aB3xZqLmEe2f7dkPq1", "search", "aB3xZqLmEe2f7dkPq2", "support", "aB3xZqLmEe2f7dkPq3", "agent",
        "vTx4adGhK5qZ3dAPx4", "reports", "summary-0042", "nightly-summaries", "vTx4adGhK5qZ3dAPx6", "catalog",
        "sn-py-dump-1", "agent", "aB3xZqLmEe2f7dkPqB", "contracts"), run.features());
  }

  @Test
  void aUsersMappingFileReadsTheirOwnShape() {
    FormatRun run = FormatRun.of("mapping:" + sample("custom/gateway.yaml"), sample("custom"));
    // Haiku 4.5: 100 x 1 + 20 x 5 = 0.0002; gpt-5.4: 800 x 2.50 + 200 x 0.25 + 10 x 15 = 0.0022
    assertEquals(usd("0.0024"), run.total());
    assertEquals(2, run.count("PRICED"));
  }

  @Test
  void aFormatStoredAsParquetIsReadWithTheSameMappingAndDetectedByItsSchema(@TempDir Path dir) {
    String parquet = dir.resolve("bedrock-parquet").toString();
    SharedSpark.session().read().json(sample("bedrock")).write().parquet(parquet);
    assertEquals(usd("0.010216"), FormatRun.of("bedrock", parquet).total());
    assertEquals(usd("0.010216"), FormatRun.of("auto", parquet).total());
  }
}
