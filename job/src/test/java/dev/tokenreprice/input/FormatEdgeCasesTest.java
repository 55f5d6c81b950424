package dev.tokenreprice.input;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tokenreprice.testing.FormatRun;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What real logs hold beside the requests: failed calls, agent spans, subagent files, loggers' own fields. */
class FormatEdgeCasesTest {
  @TempDir
  Path dir;

  @Test
  void failedCallsAreCountedAsNoRequestsNotQuarantined() throws IOException {
    write("oa/o.jsonl", "{\"id\":\"batch_req_4\",\"custom_id\":\"x\",\"response\":null,\"error\":{\"code\":\"batch_expired\"}}");
    write("bd/b.jsonl", "{\"timestamp\":\"2026-11-10T10:00:00Z\",\"requestId\":\"e1\",\"modelId\":\"anthropic.claude-haiku-4-5-20251001-v1:0\","
        + "\"errorCode\":\"ThrottlingException\",\"input\":{\"inputTokenCount\":10}}");
    write("an/a.jsonl", "{\"timestamp\":\"2026-11-10T10:00:00Z\",\"request_id\":\"e2\",\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\"}}");
    assertEquals("NOT_A_REQUEST", FormatRun.of("openai", dir.resolve("oa").toString()).statusList().get(0));
    assertEquals("NOT_A_REQUEST", FormatRun.of("bedrock", dir.resolve("bd").toString()).statuses().get("e1"));
    assertEquals("NOT_A_REQUEST", FormatRun.of("anthropic", dir.resolve("an").toString()).statuses().get("e2"));
  }

  @Test
  void anAgentSpanDoesNotCountItsModelCallsAgainAndEmbeddingsHaveNoOutput() throws IOException {
    String span = "{\"traceId\":\"t\",\"spanId\":\"%s\",\"startTimeUnixNano\":\"1794304800000000000\",\"attributes\":["
        + "{\"key\":\"gen_ai.operation.name\",\"value\":{\"stringValue\":\"%s\"}},"
        + "{\"key\":\"gen_ai.provider.name\",\"value\":{\"stringValue\":\"anthropic\"}},"
        + "{\"key\":\"gen_ai.request.model\",\"value\":{\"stringValue\":\"claude-haiku-4-5\"}}%s]}";
    String usage = ",{\"key\":\"gen_ai.usage.input_tokens\",\"value\":{\"intValue\":\"1000\"}},"
        + "{\"key\":\"gen_ai.usage.output_tokens\",\"value\":{\"intValue\":\"100\"}}";
    String embeddingUsage = ",{\"key\":\"gen_ai.usage.input_tokens\",\"value\":{\"intValue\":\"500\"}}";
    write("spans.jsonl", "{\"resourceSpans\":[{\"resource\":{},\"scopeSpans\":[{\"spans\":["
        + String.format(span, "agent", "invoke_agent", usage) + ","
        + String.format(span, "chat", "chat", usage) + ","
        + String.format(span, "tool", "execute_tool", "") + ","
        + String.format(span, "embed", "embeddings", embeddingUsage) + "]}]}]}");
    FormatRun run = FormatRun.of("otel", dir.resolve("spans.jsonl").toString());
    // Haiku 4.5: the chat span alone, 1000 x 1 + 100 x 5; the embeddings span 500 x 1
    assertEquals(new BigDecimal("0.001500000000"), run.costs().get("t:chat"));
    assertEquals(new BigDecimal("0.000500000000"), run.costs().get("t:embed"));
    assertEquals(Map.of("t:agent", "NOT_A_REQUEST", "t:chat", "PRICED", "t:tool", "NOT_A_REQUEST", "t:embed", "PRICED"),
        run.statuses());
  }

  @Test
  void aSubagentFileAndALineInASubdirectoryCountForTheirProject() throws IOException {
    String line = "{\"type\":\"assistant\",\"sessionId\":\"s\",\"cwd\":\"%s\",\"timestamp\":\"2026-11-10T10:00:00Z\","
        + "\"requestId\":\"%s\",\"message\":{\"id\":\"m-%2$s\",\"model\":\"claude-haiku-4-5\",\"usage\":{\"input_tokens\":1,"
        + "\"output_tokens\":1}}}";
    write("projects/-home-dev-proj-a/s1.jsonl", String.format(line, "/home/dev/proj-a/web", "r1"));
    write("projects/-home-dev-proj-a/s1/subagents/agent-1.jsonl", String.format(line, "/home/dev/proj-a", "r2"));
    write("projects/my project/s2.jsonl", String.format(line, "/elsewhere", "r3"));
    // Copied project folders nest: the nearest encoded directory is the project; without an encoded one,
    // the folder holding the file is.
    write("projects/-home-dev-outer/backup/-home-dev-inner/s4.jsonl",
        String.format(line, "/home/dev/inner", "r4"));
    write("projects/archive/2026/s5.jsonl", String.format(line, "/elsewhere", "r5"));
    FormatRun run = FormatRun.of("claude-code", dir.resolve("projects").toString());
    assertEquals(Map.of("r1/m-r1", "proj-a", "r2/m-r2", "proj-a", "r3/m-r3", "my project", "r4/m-r4", "inner",
        "r5/m-r5", "2026"),
        run.features());
  }

  @Test
  void aLoggersOwnMessageTextBesideTheResponseIsLeftAlone() throws IOException {
    write("an/a.jsonl", "{\"timestamp\":\"2026-11-10T10:04:00Z\",\"level\":\"info\",\"message\":\"claude call finished\","
        + "\"feature\":\"a-logger\",\"response\":{\"id\":\"msg_1\",\"model\":\"claude-sonnet-4-6\",\"usage\":{\"input_tokens\":100,"
        + "\"output_tokens\":100}}}");
    // Sonnet 4.6: 100 x 3 + 100 x 15
    assertEquals(new BigDecimal("0.001800000000"), FormatRun.of("anthropic", dir.resolve("an").toString()).costs().get("msg_1"));
  }

  private void write(String name, String content) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content + "\n");
  }
}
