package dev.tokenreprice.input;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tokenreprice.testing.FormatRun;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
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

  @Test
  void bedrockKeepsTheProfileScopeAsInferenceGeoAndAnApplicationProfileAsksToBeMapped() throws IOException {
    String line = "{\"schemaType\":\"ModelInvocationLog\",\"timestamp\":\"2026-11-10T10:00:00Z\",\"requestId\":\"%s\","
        + "\"modelId\":\"%s\",\"input\":{\"inputTokenCount\":1000},\"output\":{\"outputTokenCount\":100}}";
    String account = "arn:aws:bedrock:us-east-1:111122223333:";
    String haiku = "anthropic.claude-haiku-4-5-20251001-v1:0";
    String profile = account + "application-inference-profile/a1b2c3d4e5f6";
    write("bd/geo.jsonl", String.join("\n",
        String.format(line, "global", "global." + haiku),
        String.format(line, "us", "us." + haiku),
        String.format(line, "eu", "eu.anthropic.claude-sonnet-4-6"),
        String.format(line, "bare", haiku),
        String.format(line, "model-arn", account + "foundation-model/" + haiku),
        String.format(line, "profile-arn", account + "inference-profile/global.anthropic.claude-opus-4-6-v1"),
        String.format(line, "openai", "openai.gpt-5.6-sol"),
        String.format(line, "gov", "us-gov." + haiku),
        String.format(line, "app", profile)));
    FormatRun run = FormatRun.of("bedrock", dir.resolve("bd").toString());
    Map<String, String> scopes = new TreeMap<>();
    for (Row row : run.normalized()) {
      scopes.put(row.getAs(CanonicalSchema.REQUEST_ID), row.getAs(CanonicalSchema.INFERENCE_GEO));
    }
    assertEquals(Map.of("global", "global", "us", "us", "eu", "eu", "bare", "in_region", "model-arn", "in_region",
        "profile-arn", "global", "openai", "in_region", "gov", "us-gov", "app", "in_region"), scopes);
    // Haiku 4.5 on Bedrock, 1 / 5: 1000 x 1 + 100 x 5 at global; 1.1x that in a geo profile or in-region
    assertEquals(usd("0.0015"), run.costs().get("global"));
    assertEquals(usd("0.00165"), run.costs().get("us"));
    assertEquals(usd("0.00165"), run.costs().get("bare"));
    assertEquals(usd("0.00165"), run.costs().get("model-arn"));
    // Sonnet 4.6 in eu., 3.30 / 16.50: 1000 x 3.30 + 100 x 16.50
    assertEquals(usd("0.00495"), run.costs().get("eu"));
    // Opus 4.6 through a global. profile's ARN, 5 / 25: 1000 x 5 + 100 x 25
    assertEquals(usd("0.0075"), run.costs().get("profile-arn"));
    // gpt-5.6-sol on Bedrock in-region after the 2026-08-21 cut, 4.40 / 22: 1000 x 4.40 + 100 x 22
    assertEquals(usd("0.0066"), run.costs().get("openai"));
    assertEquals("bedrock/gpt-5.6-sol", run.models().get("openai"));
    assertEquals("UNPRICED_OPTION", run.statuses().get("gov"), "no us-gov. price in the facts");
    assertEquals("UNKNOWN_MODEL", run.statuses().get("app"));
    assertEquals("model '" + profile + "' of provider 'bedrock' is a Bedrock application inference profile, which"
        + " names no model: add it to the aliases of the model it copies (aws bedrock get-inference-profile shows"
        + " which) in the rate card", run.details().get("app"));
  }

  private static BigDecimal usd(String amount) {
    return new BigDecimal(amount).setScale(12);
  }

  private void write(String name, String content) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content + "\n");
  }
}
