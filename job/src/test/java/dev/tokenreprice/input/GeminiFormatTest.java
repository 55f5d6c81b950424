package dev.tokenreprice.input;

import static dev.tokenreprice.testing.FormatRun.sample;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenreprice.testing.FormatRun;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gemini format's rules on hand-made responses, priced with the shipped card: the disputed thinking and
 * tool-use counts decided by totalTokenCount, Vertex traffic types and endpoint locations, the dated
 * introductory prices and the 3.1 Pro long-prompt tier.
 */
class GeminiFormatTest {
  @TempDir
  Path dir;
  private int files;

  private static BigDecimal usd(String amount) {
    return new BigDecimal(amount).setScale(12);
  }

  /** A logged 3.8 Flash response (or another model's) of 2026-11-20, with the app's fields before it. */
  private static String line(String id, String beside, String model, String usage) {
    return "{\"timestamp\":\"2026-11-20T10:00:00Z\"," + beside + "\"response\":{\"responseId\":\"" + id
        + "\",\"modelVersion\":\"" + model + "\",\"usageMetadata\":{" + usage + "}}}";
  }

  private static String line(String id, String usage) {
    return line(id, "", "gemini-3.8-flash", usage);
  }

  @Test
  void thoughtsAreOutputUnlessTheTotalCountShowsThemInsideTheCandidates() throws IOException {
    String counts = "\"promptTokenCount\":1000,\"candidatesTokenCount\":500,\"thoughtsTokenCount\":200";
    FormatRun run = run(
        line("apart", counts + ",\"totalTokenCount\":1700"),
        line("inside", counts + ",\"totalTokenCount\":1500"),
        line("no-total", counts),
        line("other-total", counts + ",\"totalTokenCount\":9999"));
    // 3.8 Flash (0.75 / 3.75): 1000 x 0.75 + (500 + 200) x 3.75
    assertEquals(usd("0.003375"), run.costs().get("apart"));
    // total = prompt + candidates: 1000 x 0.75 + 500 x 3.75
    assertEquals(usd("0.002625"), run.costs().get("inside"));
    // No total, or one that fits no sum: thoughts are added (the genai-prices rule)
    assertEquals(usd("0.003375"), run.costs().get("no-total"));
    assertEquals(usd("0.003375"), run.costs().get("other-total"));
  }

  @Test
  void toolUsePromptTokensAreInputUnlessTheTotalCountShowsThemInsideThePrompt() throws IOException {
    String counts = "\"promptTokenCount\":1000,\"candidatesTokenCount\":100,\"toolUsePromptTokenCount\":400";
    String withThoughts = counts + ",\"thoughtsTokenCount\":200";
    FormatRun run = run(
        line("tool-apart", counts + ",\"totalTokenCount\":1500"),
        line("tool-inside", counts + ",\"totalTokenCount\":1100"),
        line("both-apart", withThoughts + ",\"totalTokenCount\":1700"),
        line("tool-inside-thoughts-apart", withThoughts + ",\"totalTokenCount\":1300"),
        line("thoughts-inside-tool-apart", withThoughts + ",\"totalTokenCount\":1500"),
        line("both-inside", withThoughts + ",\"totalTokenCount\":1100"));
    // (1000 + 400) x 0.75 + 100 x 3.75
    assertEquals(usd("0.001425"), run.costs().get("tool-apart"));
    // 1000 x 0.75 + 100 x 3.75
    assertEquals(usd("0.001125"), run.costs().get("tool-inside"));
    // (1000 + 400) x 0.75 + (100 + 200) x 3.75
    assertEquals(usd("0.002175"), run.costs().get("both-apart"));
    // 1000 x 0.75 + (100 + 200) x 3.75
    assertEquals(usd("0.001875"), run.costs().get("tool-inside-thoughts-apart"));
    // (1000 + 400) x 0.75 + 100 x 3.75
    assertEquals(usd("0.001425"), run.costs().get("thoughts-inside-tool-apart"));
    // 1000 x 0.75 + 100 x 3.75
    assertEquals(usd("0.001125"), run.costs().get("both-inside"));
  }

  @Test
  void anAppsOwnStatusBesideAnOnlineResponseIsNoFailedBatchLine() throws IOException {
    FormatRun run = run(line("logged-ok", "\"status\":\"ok\",", "gemini-3.8-flash",
        "\"promptTokenCount\":1000,\"candidatesTokenCount\":100,\"totalTokenCount\":1100"));
    // 1000 x 0.75 + 100 x 3.75
    assertEquals(usd("0.001125"), run.costs().get("logged-ok"));
  }

  @Test
  void cachedContentIsASubsetOfThePromptPricedAsCacheReads() throws IOException {
    FormatRun run = run(line("cached", "\"promptTokenCount\":5000,\"cachedContentTokenCount\":4000,"
        + "\"candidatesTokenCount\":100,\"totalTokenCount\":5100"));
    // (5000 - 4000) x 0.75 + 4000 x 0.075 + 100 x 3.75; no cache writes
    assertEquals(usd("0.001425"), run.costs().get("cached"));
    Map<String, Long> tokens = tokens(run, "cached");
    assertEquals(Map.of("input_tokens", 1000L, "cache_read_tokens", 4000L, "cache_write_5m_tokens", 0L,
        "cache_write_1h_tokens", 0L, "output_tokens", 100L), tokens);
  }

  @Test
  void aRegionalOrMultiRegionVertexEndpointCostsOnePointOneTimesTheGlobalOne() throws IOException {
    String counts = "\"promptTokenCount\":1000,\"candidatesTokenCount\":100,\"totalTokenCount\":1100,"
        + "\"trafficType\":\"ON_DEMAND\"";
    String model = "gemini-3.8-flash";
    FormatRun run = run(
        line("us-central1", "\"location\":\"us-central1\",", model, counts),
        line("multi-region", "\"region\":\"eu\",", model, counts),
        line("global", "\"location\":\"global\",", model, counts),
        line("regional-url", "\"endpoint\":\"https://europe-west1-aiplatform.googleapis.com/v1/projects/p/"
            + "locations/europe-west1/publishers/google/models/gemini-3.8-flash:generateContent\",", model, counts),
        line("global-url", "\"url\":\"https://aiplatform.googleapis.com/v1/projects/p/locations/global/"
            + "publishers/google/models/gemini-3.8-flash:generateContent\",", model, counts),
        line("gemini-api", "\"url\":\"https://generativelanguage.googleapis.com/v1beta/models/"
            + "gemini-3.8-flash:generateContent\",", model, counts),
        line("nothing-logged", "", model, counts));
    // 1000 x 0.75 + 100 x 3.75 = 0.001125 at the list price; x 1.1 regional
    assertEquals(usd("0.0012375"), run.costs().get("us-central1"));
    assertEquals(usd("0.0012375"), run.costs().get("multi-region"));
    assertEquals(usd("0.0012375"), run.costs().get("regional-url"));
    assertEquals(usd("0.001125"), run.costs().get("global"));
    assertEquals(usd("0.001125"), run.costs().get("global-url"));
    assertEquals(usd("0.001125"), run.costs().get("gemini-api"));
    assertEquals(usd("0.001125"), run.costs().get("nothing-logged"));
  }

  @Test
  void vertexTrafficTypesChooseTheTierAndProvisionedThroughputIsLeftUnpriced() throws IOException {
    String counts = "\"promptTokenCount\":1000,\"candidatesTokenCount\":100,\"totalTokenCount\":1100,\"trafficType\":";
    FormatRun run = run(
        line("flex", counts + "\"ON_DEMAND_FLEX\""),
        line("priority-3.7", "", "gemini-3.7-flash", counts + "\"ON_DEMAND_PRIORITY\""),
        line("priority-3.8", counts + "\"ON_DEMAND_PRIORITY\""),
        line("provisioned", counts + "\"PROVISIONED_THROUGHPUT\""),
        line("unspecified", counts + "\"TRAFFIC_TYPE_UNSPECIFIED\""));
    // (1000 x 0.75 + 100 x 3.75) x 0.5
    assertEquals(usd("0.0005625"), run.costs().get("flex"));
    // 3.7 Flash priority, x 1.8 (the only priority price in the facts)
    assertEquals(usd("0.002025"), run.costs().get("priority-3.7"));
    assertEquals(usd("0.001125"), run.costs().get("unspecified"));
    assertEquals("UNPRICED_OPTION", run.statuses().get("priority-3.8"));
    assertEquals("UNPRICED_OPTION", run.statuses().get("provisioned"), "paid by reserved capacity, not per token");
  }

  @Test
  void introductoryFlashPricesEndOn2026_12_31AndTheCutOf3_6FlashStartsOn2026_08_13() throws IOException {
    String counts = "\"promptTokenCount\":1000,\"candidatesTokenCount\":100,\"totalTokenCount\":1100";
    FormatRun run = run(
        line("3.8-dec-31", counts).replace("2026-11-20T10:00:00Z", "2026-12-31T23:59:59Z"),
        line("3.8-jan-1", counts).replace("2026-11-20T10:00:00Z", "2027-01-01T00:00:00Z"),
        line("3.6-aug-12", "", "gemini-3.6-flash", counts).replace("2026-11-20T10:00:00Z", "2026-08-12T12:00:00Z"),
        line("3.6-aug-13", "", "gemini-3.6-flash", counts).replace("2026-11-20T10:00:00Z", "2026-08-13T12:00:00Z"));
    // 1000 x 0.75 + 100 x 3.75, then 1000 x 1.50 + 100 x 7.50
    assertEquals(usd("0.001125"), run.costs().get("3.8-dec-31"));
    assertEquals(usd("0.00225"), run.costs().get("3.8-jan-1"));
    assertEquals(usd("0.00225"), run.costs().get("3.6-aug-12"));
    assertEquals(usd("0.001125"), run.costs().get("3.6-aug-13"));
  }

  @Test
  void longPromptPricesEveryTokenOfTheRequestAtTheHigherTier() throws IOException {
    String pro = "gemini-3.1-pro-preview";
    FormatRun run = run(
        line("at-200k", "", pro, "\"promptTokenCount\":200000,\"candidatesTokenCount\":1000,"
            + "\"totalTokenCount\":201000"),
        line("above-200k", "", pro, "\"promptTokenCount\":200001,\"candidatesTokenCount\":1000,"
            + "\"totalTokenCount\":201001"),
        line("above-with-cache", "", pro, "\"promptTokenCount\":210000,\"cachedContentTokenCount\":200000,"
            + "\"candidatesTokenCount\":1000,\"totalTokenCount\":211000"));
    // 200000 x 2 + 1000 x 12
    assertEquals(usd("0.412"), run.costs().get("at-200k"));
    // 200001 x 4 + 1000 x 18
    assertEquals(usd("0.818004"), run.costs().get("above-200k"));
    // The cached part counts toward the 200K: 10000 x 4 + 200000 x 0.40 + 1000 x 18
    assertEquals(usd("0.138"), run.costs().get("above-with-cache"));
  }

  @Test
  void autoTellsGeminiLinesInBothSpellingsFromEveryOtherFormat() throws IOException {
    write("camel.jsonl", line("camel",
        "\"promptTokenCount\":1000,\"candidatesTokenCount\":100,\"totalTokenCount\":1100"));
    write("snake.jsonl", "{\"model_version\":\"gemini-3.8-flash\",\"response_id\":\"snake\",\"create_time\":"
        + "\"2026-11-20T10:00:00.5Z\",\"usage_metadata\":{\"prompt_token_count\":1000,\"candidates_token_count\":100,"
        + "\"total_token_count\":1100}}");
    FormatRun run = FormatRun.of("auto", dir.resolve("camel.jsonl").toString(), dir.resolve("snake.jsonl").toString());
    assertEquals(Map.of("camel", usd("0.001125"), "snake", usd("0.001125")), run.costs());

    LogFormats formats = new LogFormats(new Configuration());
    LogFormat gemini = formats.named("gemini", Optional.empty());
    ObjectMapper json = new ObjectMapper();
    for (String other : List.of("anthropic", "claude-code", "openai", "bedrock", "otel")) {
      LogFormat format = formats.named(other, Optional.empty());
      for (JsonNode record : records(json, sample(other))) {
        assertFalse(FormatDetector.matchesRecord(gemini, record), "gemini's detect matches a line of " + other);
      }
      for (JsonNode record : records(json, sample("gemini"))) {
        assertFalse(FormatDetector.matchesRecord(format, record), other + "'s detect matches a gemini line");
      }
    }
    long detected = records(json, sample("gemini")).stream()
        .filter(record -> FormatDetector.matchesRecord(gemini, record)).count();
    assertTrue(detected >= 8, "every line with counts is told as gemini: " + detected);
  }

  private FormatRun run(String... lines) throws IOException {
    Path file = write("g" + files++ + ".jsonl", String.join("\n", lines));
    return FormatRun.of("gemini", file.toString());
  }

  private Path write(String name, String content) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, content + "\n");
    return file;
  }

  private static Map<String, Long> tokens(FormatRun run, String id) {
    return run.normalized().stream().filter(row -> id.equals(row.getAs(CanonicalSchema.REQUEST_ID))).findFirst()
        .map(row -> Map.<String, Long>of(
            "input_tokens", row.<Long>getAs(CanonicalSchema.INPUT_TOKENS),
            "cache_read_tokens", row.<Long>getAs(CanonicalSchema.CACHE_READ_TOKENS),
            "cache_write_5m_tokens", row.<Long>getAs(CanonicalSchema.CACHE_WRITE_5M_TOKENS),
            "cache_write_1h_tokens", row.<Long>getAs(CanonicalSchema.CACHE_WRITE_1H_TOKENS),
            "output_tokens", row.<Long>getAs(CanonicalSchema.OUTPUT_TOKENS)))
        .orElseThrow();
  }

  /** Every JSON line of the files under {@code location}, broken lines left out. */
  private static List<JsonNode> records(ObjectMapper json, String location) throws IOException {
    try (Stream<Path> files = Files.walk(Path.of(location))) {
      return files.filter(Files::isRegularFile).flatMap(file -> {
        try {
          return Files.readAllLines(file).stream();
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      }).flatMap(text -> {
        try {
          return Stream.of(json.readTree(text));
        } catch (IOException broken) {
          return Stream.empty();
        }
      }).filter(JsonNode::isObject).toList();
    }
  }
}
