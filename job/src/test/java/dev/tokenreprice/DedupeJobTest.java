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
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Deduplication by request id through the whole job: the manifest's counts, the quarantine and --no-dedupe. */
class DedupeJobTest {
  private static final String GOOD =
      "{\"request_id\":\"%s\",\"timestamp\":\"2026-11-03T10:00:00Z\",\"feature\":\"chat\",\"model\":\"claude-sonnet-4-5\",\"input_tokens\":1000,\"output_tokens\":100}";

  @TempDir
  Path dir;
  private Path card;
  private Path logs;

  @BeforeEach
  void files() throws IOException {
    card = Files.writeString(dir.resolve("card.yaml"), TestCards.SMALL_CARD);
    logs = Files.createDirectories(dir.resolve("logs"));
    Files.write(logs.resolve("a.jsonl"), List.of(GOOD.formatted("r1"), GOOD.formatted("r2")), StandardCharsets.UTF_8);
    // Shipped again: r1 arrives a second time in the next file.
    Files.write(logs.resolve("b.jsonl"), List.of(GOOD.formatted("r1")), StandardCharsets.UTF_8);
  }

  @Test
  void aRequestShippedTwiceIsPricedOnceAndItsCopyIsCountedInTheManifest() throws IOException {
    Path out = dir.resolve("out");
    JobRun run = JobRun.of("--input", logs.toString(), "--rate-card", card.toString(), "--out", out.toString());
    assertEquals(0, run.status(), run.err());
    JsonNode manifest = new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
    assertTrue(manifest.get("dedupe").asBoolean());
    assertEquals(3, manifest.at("/counts/rows_read").asLong());
    assertEquals(2, manifest.at("/counts/rows_priced").asLong());
    assertEquals(1, manifest.at("/counts/quarantined/DUPLICATE_REQUEST_ID").asLong());
    // Two requests of 1000 input tokens at $3/MTok and 100 output tokens at $15/MTok.
    assertEquals("0.009000000000", manifest.get("total_cost").asText());
    List<JsonNode> quarantined = quarantine(out);
    assertEquals(1, quarantined.size());
    assertEquals("DUPLICATE_REQUEST_ID", quarantined.get(0).get("reason").asText());
    assertTrue(quarantined.get(0).get("source_file").asText().endsWith("b.jsonl"));
    assertEquals(GOOD.formatted("r1"), quarantined.get(0).get("raw_record").asText());
    assertTrue(quarantined.get(0).get("detail").asText().matches("request_id r1 was read first from .*a\\.jsonl at .*"),
        quarantined.get(0).get("detail").asText());
  }

  @Test
  void noDedupePricesEveryCopy() throws IOException {
    Path out = dir.resolve("out-no-dedupe");
    JobRun run = JobRun.of("--input", logs.toString(), "--rate-card", card.toString(), "--out", out.toString(),
        "--no-dedupe");
    assertEquals(0, run.status(), run.err());
    JsonNode manifest = new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
    assertFalse(manifest.get("dedupe").asBoolean());
    assertEquals(3, manifest.at("/counts/rows_priced").asLong());
    assertTrue(manifest.at("/counts/quarantined/DUPLICATE_REQUEST_ID").isMissingNode());
    assertEquals("0.013500000000", manifest.get("total_cost").asText());
  }

  private static List<JsonNode> quarantine(Path out) throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> records = new ArrayList<>();
    try (Stream<Path> files = Files.list(out.resolve("quarantine"))) {
      for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json")).toList()) {
        for (String line : Files.readAllLines(file)) {
          records.add(json.readTree(line));
        }
      }
    }
    return records;
  }
}
