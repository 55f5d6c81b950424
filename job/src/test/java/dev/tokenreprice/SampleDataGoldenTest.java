package dev.tokenreprice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenreprice.testing.JobRun;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job on {@code sample-data/} with the shipped rate card, against golden files checked in under
 * {@code src/test/resources/golden/sample/}. The golden total was checked against an independent pricer
 * (sample-data/README.md); the JSONL and Parquet copies of the month must price the same.
 */
class SampleDataGoldenTest {
  private static final Path ROOT = Path.of(System.getProperty("repo.root"));
  private static final Path GOLDEN = ROOT.resolve("job/src/test/resources/golden/sample");
  private static final String SCENARIOS = "batch,no-cache,model:claude-haiku-4-5,model:claude-sonnet-4-5+batch";

  @TempDir
  static Path dir;

  @BeforeAll
  static void priceBothCopies() {
    for (String format : new String[] {"jsonl", "parquet"}) {
      JobRun run = JobRun.of("--input", ROOT.resolve("sample-data/logs/" + format).toString(),
          "--rate-card", ROOT.resolve("conf/rate-card.yaml").toString(),
          "--out", dir.resolve(format).toString(), "--scenarios", SCENARIOS);
      assertEquals(0, run.status(), run.err());
    }
  }

  @Test
  void theRollupTotalsAndSheetMatchTheGoldenFiles() throws IOException {
    for (String file : new String[] {"rollup.csv", "totals.csv", "counterfactual.csv"}) {
      assertEquals(Files.readString(GOLDEN.resolve(file)), Files.readString(dir.resolve("jsonl").resolve(file)), file);
    }
  }

  @Test
  void theParquetCopyPricesTheSame() throws IOException {
    for (String file : new String[] {"rollup.csv", "totals.csv", "counterfactual.csv"}) {
      assertEquals(Files.readString(dir.resolve("jsonl").resolve(file)), Files.readString(dir.resolve("parquet").resolve(file)),
          file);
    }
  }

  @Test
  void theDefaultScenarioSetHasOneRowPerKeyAndTotalsThatAreTheSumOfTheirRows() throws IOException {
    Path out = dir.resolve("defaults");
    JobRun run = JobRun.of("--input", ROOT.resolve("sample-data/logs/jsonl").toString(),
        "--rate-card", ROOT.resolve("conf/rate-card.yaml").toString(), "--out", out.toString());
    assertEquals(0, run.status(), run.err());
    List<String> lines = Files.readAllLines(out.resolve("counterfactual.csv"));
    Set<String> keys = new HashSet<>();
    Map<String, BigDecimal> scenarioSums = new HashMap<>();
    Map<String, BigDecimal> totals = new HashMap<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",");  // the sample's feature and model names hold no commas
      assertTrue(keys.add(f[0] + "," + f[1] + "," + f[2] + "," + f[3]), "repeated key: " + line);
      BigDecimal delta = new BigDecimal(f[7]);
      if (f[0].equals("*")) {
        totals.put(f[3], delta);
      } else {
        scenarioSums.merge(f[3], delta, BigDecimal::add);
      }
    }
    assertEquals(scenarioSums.keySet(), totals.keySet());
    // Each anthropic row not on Haiku 4.5 is compared or unpriced exactly once: 2,416 priced anthropic rows, 304 on
    // Haiku 4.5 (sample-data/README.md). Bedrock's model of the same id is a scenario of its own.
    String[] haiku = lines.stream().filter(l -> l.startsWith("*,*,*,model:claude-haiku-4-5,")).findFirst().orElseThrow()
        .split(",");
    assertEquals(2416 - 304, Long.parseLong(haiku[4]) + Long.parseLong(haiku[9]));
    scenarioSums.forEach((scenario, sum) -> assertEquals(0, sum.compareTo(totals.get(scenario)), scenario));
  }

  @Test
  void everyPlantedBadRowIsQuarantinedUnderItsReasonAndNothingIsLost() throws IOException {
    JsonNode counts = new ObjectMapper().readTree(dir.resolve("jsonl/manifest.json").toFile()).get("counts");
    assertEquals(3000, counts.get("rows_read").asLong());
    assertEquals(2969, counts.get("rows_priced").asLong());
    Map<String, Integer> expected = Map.of("MALFORMED_RECORD", 4, "MISSING_TIMESTAMP", 3, "BAD_TIMESTAMP", 5,
        "MISSING_MODEL", 3, "NEGATIVE_TOKENS", 3, "UNKNOWN_MODEL", 3, "NO_RATE_IN_FORCE", 2, "UNPRICED_OPTION", 8);
    expected.forEach((reason, count) -> assertEquals(count, counts.at("/quarantined/" + reason).asInt(), reason));
    assertEquals(expected.size(), counts.get("quarantined").size());
    JsonNode manifest = new ObjectMapper().readTree(dir.resolve("jsonl/manifest.json").toFile());
    assertEquals("85.641134290250", manifest.get("total_cost").asText());
  }
}
