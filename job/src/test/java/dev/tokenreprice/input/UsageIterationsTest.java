package dev.tokenreprice.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenreprice.testing.FormatRun;
import dev.tokenreprice.testing.JobRun;
import dev.tokenreprice.validate.RowStatus;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Usage that a response reports apart from its top-level counts, in the shapes of the API docs and SDK types:
 * Anthropic {@code usage.iterations[]} (compaction added, advisor priced under its own model, fallback left out)
 * and OpenAI {@code cache_write_tokens}. Prices from the shipped card, per million tokens, in the comments.
 */
class UsageIterationsTest {
  @TempDir
  Path dir;

  private static BigDecimal usd(String amount) {
    return new BigDecimal(amount).setScale(12);
  }

  private Path write(String name, String... lines) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    return file;
  }

  /** Each priced row's cost by request id and usage part ("id#part"). */
  private static Map<String, String> pricedParts(FormatRun run) {
    Map<String, String> parts = new TreeMap<>();
    for (Row row : run.normalized()) {
      String status = row.getAs(RowStatus.COLUMN);
      parts.merge(row.<String>getAs(CanonicalSchema.REQUEST_ID) + "#" + row.<Integer>getAs(CanonicalSchema.USAGE_PART)
          + ":" + row.<String>getAs(CanonicalSchema.MODEL), status, (a, b) -> a + "," + b);
    }
    return parts;
  }

  @Test
  void compactionIterationsAreAddedToTheTopLevelCountsThatLeaveThemOut() throws IOException {
    // The compaction docs' example: top-level counts hold the message iteration(s) only.
    write("compaction.jsonl", """
        {"timestamp": "2026-11-03T10:00:00Z", "feature": "agent", "response": {"id": "msg_c1", "type": "message", \
        "model": "claude-opus-4-6", "usage": {"input_tokens": 45000, "output_tokens": 1234, \
        "cache_read_input_tokens": 1000, "cache_creation_input_tokens": 0, "iterations": [\
        {"type": "compaction", "input_tokens": 180000, "output_tokens": 3500, "cache_read_input_tokens": 0, \
        "cache_creation_input_tokens": 2000}, \
        {"type": "message", "input_tokens": 23000, "output_tokens": 1000}]}}}""");
    FormatRun run = FormatRun.of("anthropic", dir.resolve("compaction.jsonl").toString());
    // Opus 4.6 (5 / 25, read 0.50, 5m write 6.25): (45000 + 180000) x 5 + (1234 + 3500) x 25 + 1000 x 0.50
    // + 2000 x 6.25
    assertEquals(usd("1.25635"), run.costs().get("msg_c1"));
  }

  @Test
  void anAdvisorIterationIsPricedUnderTheAdvisorsModelAsPartOfTheSameRequest() throws IOException {
    write("advisor.jsonl", """
        {"timestamp": "2026-11-03T10:00:00Z", "feature": "review", "id": "msg_a1", "type": "message", \
        "model": "claude-sonnet-4-6", "usage": {"input_tokens": 1000, "output_tokens": 200, \
        "cache_read_input_tokens": 0, "cache_creation_input_tokens": 0, "iterations": [\
        {"type": "message", "input_tokens": 1000, "output_tokens": 200}, \
        {"type": "advisor_message", "model": "claude-opus-4-7", "input_tokens": 5000, "output_tokens": 300, \
        "cache_read_input_tokens": 2000, "cache_creation_input_tokens": 0}, \
        {"type": "fallback_message", "model": "claude-opus-4-7", "input_tokens": 9000, "output_tokens": 9000}]}}""");
    FormatRun run = FormatRun.of("anthropic", dir.resolve("advisor.jsonl").toString());
    assertEquals(Map.of("msg_a1#0:claude-sonnet-4-6", "PRICED", "msg_a1#1:claude-opus-4-7", "PRICED"), pricedParts(run),
        "the executor and the advisor are two priced rows of one request, never duplicates; the fallback is not billed");
    // Sonnet 4.6 1000 x 3 + 200 x 15 = 0.006; Opus 4.7 5000 x 5 + 300 x 25 + 2000 x 0.50 = 0.0335
    assertEquals(usd("0.006"), run.costs().get("msg_a1"));
    assertEquals(usd("0.0335"), run.costs().get("msg_a1#1"));
  }

  @Test
  void theRequestsWebSearchesAreBilledOnceOnItsOwnRowNotOnItsAdvisors() throws IOException {
    write("searches.jsonl", """
        {"timestamp": "2026-11-03T10:00:00Z", "id": "msg_s1", "type": "message", "model": "claude-sonnet-4-6", \
        "usage": {"input_tokens": 1000, "output_tokens": 200, "server_tool_use": {"web_search_requests": 2}, \
        "iterations": [{"type": "advisor_message", "model": "claude-opus-4-7", "input_tokens": 5000, \
        "output_tokens": 300}]}}""");
    FormatRun run = FormatRun.of("anthropic", dir.resolve("searches.jsonl").toString());
    // Sonnet 4.6 1000 x 3 + 200 x 15 = 0.006, and 2 searches at 0.01; Opus 4.7 5000 x 5 + 300 x 25 = 0.0325
    assertEquals(usd("0.026"), run.costs().get("msg_s1"));
    assertEquals(usd("0.0325"), run.costs().get("msg_s1#1"));
  }

  @Test
  void theRollupCountsARequestWithAnAdvisorOnceAndACopyOfItIsADuplicateWhole() throws IOException {
    String line = """
        {"timestamp": "2026-11-03T10:00:00Z", "feature": "review", "id": "msg_a1", "type": "message", \
        "model": "claude-sonnet-4-6", "usage": {"input_tokens": 1000, "output_tokens": 200, "iterations": [\
        {"type": "advisor_message", "model": "claude-opus-4-7", "input_tokens": 5000, "output_tokens": 300}]}}""";
    write("logs/a.jsonl", line);
    write("logs/b.jsonl", line);
    Path out = dir.resolve("out");
    JobRun run = JobRun.of("--input", dir.resolve("logs").toString(), "--log-format", "anthropic",
        "--rate-card", FormatRun.REPO + "/conf/rate-card.yaml",
        "--out", out.toString(), "--scenarios", "none", "--no-report", "--quiet");
    assertEquals(0, run.status(), run.err());
    List<String> rollup = Files.readAllLines(out.resolve("rollup.csv"));
    assertEquals("day,feature,provider,model,requests,input_tokens,output_tokens,cache_write_5m_tokens,"
        + "cache_write_1h_tokens,cache_read_tokens,web_search_requests,input_cost,output_cost,cache_write_cost,"
        + "cache_read_cost,tool_cost,total_cost", rollup.get(0));
    assertTrue(rollup.contains("2026-11-03,review,anthropic,claude-opus-4-7,0,5000,300,0,0,0,0,0.025000000000,"
        + "0.007500000000,0.000000000000,0.000000000000,0.000000000000,0.032500000000"), String.join("\n", rollup));
    assertTrue(rollup.contains("2026-11-03,review,anthropic,claude-sonnet-4-6,1,1000,200,0,0,0,0,0.003000000000,"
        + "0.003000000000,0.000000000000,0.000000000000,0.000000000000,0.006000000000"), String.join("\n", rollup));
    String manifest = Files.readString(out.resolve("manifest.json"));
    assertTrue(manifest.contains("\"DUPLICATE_REQUEST_ID\" : 2"), "both rows of the second copy: " + manifest);
  }

  @Test
  void claudeCodeMergesAnAdvisorIterationRepeatedOnStreamedLinesAndNamesItsModelFromTheLine() throws IOException {
    String first = """
        {"type": "assistant", "timestamp": "2026-11-03T10:00:00Z", "sessionId": "s1", "requestId": "req_1", \
        "cwd": "/home/me/app", "advisorModel": "claude-opus-4-7", "message": {"id": "msg_1", \
        "model": "claude-sonnet-4-6", "usage": {"input_tokens": 10, "output_tokens": %d, \
        "cache_read_input_tokens": 0, "cache_creation_input_tokens": 0, "iterations": [\
        {"type": "advisor_message", "input_tokens": 4000, "output_tokens": %d}]}}}""";
    write("projects/-home-me-app/s1.jsonl", first.formatted(5, 100), first.formatted(50, 400));
    FormatRun run = FormatRun.of("claude-code", dir.resolve("projects").toString());
    assertEquals(Map.of("req_1/msg_1#0:claude-sonnet-4-6", "PRICED,REPEATED_LINE",
        "req_1/msg_1#1:claude-opus-4-7", "PRICED,REPEATED_LINE"), pricedParts(run));
    // Sonnet 4.6 10 x 3 + 50 x 15 = 0.00078; Opus 4.7 4000 x 5 + 400 x 25 = 0.03
    assertEquals(usd("0.03078"), run.total());
  }

  @Test
  void openAiCacheWritesAreASubsetOfTheInputPricedAtTheWritePrice() throws IOException {
    write("openai.jsonl", """
        {"timestamp": "2026-07-15T10:00:00Z", "response": {"id": "resp_w1", "object": "response", \
        "model": "gpt-5.6-sol-2026-07-09", "usage": {"input_tokens": 10000, "output_tokens": 100, \
        "input_tokens_details": {"cached_tokens": 2000, "cache_write_tokens": 3000}}}}""", """
        {"timestamp": "2026-07-15T10:00:00Z", "id": "chatcmpl-w2", "object": "chat.completion", \
        "model": "gpt-5.6-sol", "usage": {"prompt_tokens": 10000, "completion_tokens": 100, \
        "prompt_tokens_details": {"cached_tokens": 2000, "cache_write_tokens": 3000}}}""", """
        {"timestamp": "2026-07-15T10:00:00Z", "id": "chatcmpl-w3", "object": "chat.completion", \
        "model": "gpt-5.6-sol", "usage": {"prompt_tokens": 10000, "completion_tokens": 100, \
        "prompt_tokens_details": {"cached_tokens": 2000}}}""");
    FormatRun run = FormatRun.of("openai", dir.resolve("openai.jsonl").toString());
    // gpt-5.6-sol in July (5 / 30, cached 0.50, write 6.25): 5000 x 5 + 2000 x 0.50 + 3000 x 6.25 + 100 x 30
    assertEquals(usd("0.04775"), run.costs().get("resp_w1"));
    assertEquals(usd("0.04775"), run.costs().get("chatcmpl-w2"));
    // Without the field: 8000 x 5 + 2000 x 0.50 + 100 x 30
    assertEquals(usd("0.044"), run.costs().get("chatcmpl-w3"));
  }
}
