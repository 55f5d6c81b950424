package dev.tokenreprice.input;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tokenreprice.testing.FormatRun;
import dev.tokenreprice.testing.SharedSpark;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built-in formats count web searches from responses in the shape the providers write them, and the shipped
 * card prices each at $10 per 1,000 (0.01 USD) on top of the tokens; canonical Parquet reads the count too.
 */
class WebSearchFormatsTest {
  @TempDir
  Path dir;

  @Test
  void anthropicCountsServerToolUseWebSearchesAndIgnoresWebFetches() throws IOException {
    Path file = write("messages.jsonl",
        "{\"timestamp\":\"2026-11-03T10:00:00Z\",\"feature\":\"research\",\"response\":{\"id\":\"msg_ws1\","
            + "\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-6\",\"content\":[{\"type\":"
            + "\"server_tool_use\",\"id\":\"srvtoolu_1\",\"name\":\"web_search\",\"input\":{\"query\":\"q\"}}],"
            + "\"stop_reason\":\"end_turn\",\"usage\":{\"input_tokens\":1000,\"output_tokens\":500,"
            + "\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,"
            + "\"server_tool_use\":{\"web_search_requests\":3,\"web_fetch_requests\":2},"
            + "\"service_tier\":\"standard\"}}}",
        "{\"timestamp\":\"2026-11-03T10:01:00Z\",\"id\":\"msg_ws2\",\"type\":\"message\","
            + "\"model\":\"claude-sonnet-4-6\","
            + "\"usage\":{\"input_tokens\":1000,\"output_tokens\":0}}");
    FormatRun run = FormatRun.of("anthropic", file.toString());
    assertEquals(Map.of("msg_ws1", 3L, "msg_ws2", 0L), webSearches(run));
    // Sonnet 4.6 (3 / 15): 1000 x 3 + 500 x 15 = 0.0105, plus 3 searches x 0.01; web fetches cost nothing
    assertEquals(usd("0.0405"), run.costs().get("msg_ws1"));
    assertEquals(usd("0.003"), run.costs().get("msg_ws2"));
  }

  @Test
  void claudeCodeCountsTheWebSearchesOfAStreamedMessageOnce() throws IOException {
    String line = "{\"sessionId\":\"s1\",\"cwd\":\"/home/dev/research\",\"type\":\"assistant\",\"uuid\":\"%s\","
        + "\"timestamp\":\"2026-11-05T10:00:0%sZ\",\"requestId\":\"req_ws\",\"message\":{\"id\":\"msg_ws\","
        + "\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-6\",\"content\":[],"
        + "\"usage\":{\"input_tokens\":1000,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,"
        + "\"output_tokens\":%s,\"server_tool_use\":{\"web_search_requests\":2,\"web_fetch_requests\":0},"
        + "\"service_tier\":\"standard\"}}}";
    Path project = Files.createDirectories(dir.resolve("-home-dev-research"));
    Path file = Files.writeString(project.resolve("s1.jsonl"),
        String.format(line, "u1", "1", "10") + "\n" + String.format(line, "u2", "3", "100") + "\n");
    FormatRun run = FormatRun.of("claude-code", file.toString());
    assertEquals("PRICED,REPEATED_LINE", run.statuses().get("req_ws/msg_ws"));
    // 1000 x 3 + 100 x 15 = 0.0045, plus 2 searches x 0.01 (not 4: both lines are one request)
    assertEquals(usd("0.0245"), run.costs().get("req_ws/msg_ws"));
  }

  @Test
  void openAiCountsTheResponsesWebSearchCallItemsThatDidNotFail() throws IOException {
    Path file = write("responses.jsonl",
        "{\"timestamp\":\"2026-11-03T12:00:00Z\",\"feature\":\"agent\",\"response\":{\"id\":\"resp_ws1\","
            + "\"object\":\"response\",\"created_at\":1793707200,\"model\":\"gpt-5.4\",\"status\":\"completed\","
            + "\"output\":[{\"type\":\"web_search_call\",\"id\":\"ws_1\",\"status\":\"completed\","
            + "\"action\":{\"type\":\"search\",\"query\":\"q\"}},{\"type\":\"web_search_call\",\"id\":\"ws_2\","
            + "\"status\":\"completed\",\"action\":{\"type\":\"open_page\",\"url\":\"https://example.com\"}},"
            + "{\"type\":\"web_search_call\",\"id\":\"ws_3\",\"status\":\"failed\",\"action\":{\"type\":\"search\","
            + "\"query\":\"q\"}},{\"type\":\"message\",\"id\":\"msg_1\",\"status\":\"completed\","
            + "\"role\":\"assistant\","
            + "\"content\":[{\"type\":\"output_text\",\"text\":\"...\",\"annotations\":[]}]}],"
            + "\"usage\":{\"input_tokens\":1000,\"input_tokens_details\":{\"cached_tokens\":0},\"output_tokens\":200,"
            + "\"output_tokens_details\":{\"reasoning_tokens\":0},\"total_tokens\":1200}}}",
        "{\"id\":\"chatcmpl-ws\",\"object\":\"chat.completion\",\"created\":1793707200,\"model\":\"gpt-5.4\","
            + "\"choices\":[],\"usage\":{\"prompt_tokens\":1000,\"completion_tokens\":0,"
            + "\"prompt_tokens_details\":{\"cached_tokens\":0}}}");
    FormatRun run = FormatRun.of("openai", file.toString());
    assertEquals(Map.of("chatcmpl-ws", 0L, "resp_ws1", 2L), webSearches(run));
    // gpt-5.4 (2.50 / 15): 1000 x 2.50 + 200 x 15 = 0.0055, plus 2 completed calls x 0.01
    assertEquals(usd("0.0255"), run.costs().get("resp_ws1"));
  }

  @Test
  void canonicalParquetReadsAThirtyTwoBitWebSearchCountAndAFileWithoutOneHasNone() {
    SparkSession spark = SharedSpark.session();
    StructType schema = new StructType().add("timestamp", DataTypes.StringType).add("model", DataTypes.StringType)
        .add("input_tokens", DataTypes.IntegerType).add("output_tokens", DataTypes.IntegerType);
    String withSearches = dir.resolve("with.parquet").toString();
    spark.createDataFrame(List.of(RowFactory.create("2026-11-03T10:00:00Z", "claude-sonnet-4-5", 1, 1, 4)),
        schema.add("web_search_requests", DataTypes.IntegerType)).write().parquet(withSearches);
    String without = dir.resolve("without.parquet").toString();
    spark.createDataFrame(List.of(RowFactory.create("2026-11-03T10:00:00Z", "claude-sonnet-4-5", 1, 1)), schema)
        .write().parquet(without);
    assertEquals(4L, LogReader.parquet(spark.read().parquet(withSearches)).first()
        .<Long>getAs(CanonicalSchema.WEB_SEARCH_REQUESTS));
    assertEquals(0L, LogReader.parquet(spark.read().parquet(without)).first()
        .<Long>getAs(CanonicalSchema.WEB_SEARCH_REQUESTS));
  }

  private Path write(String name, String... lines) throws IOException {
    return Files.writeString(dir.resolve(name), String.join("\n", lines) + "\n");
  }

  private static Map<String, Long> webSearches(FormatRun run) {
    Map<String, Long> counts = new TreeMap<>();
    for (Row row : run.normalized()) {
      counts.put(row.getAs(CanonicalSchema.REQUEST_ID), row.<Long>getAs(CanonicalSchema.WEB_SEARCH_REQUESTS));
    }
    return counts;
  }

  private static BigDecimal usd(String amount) {
    return new BigDecimal(amount).setScale(12);
  }
}
