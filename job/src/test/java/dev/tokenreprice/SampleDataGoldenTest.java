package dev.tokenreprice;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenreprice.testing.JobRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
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
  void everyPlantedBadRowIsQuarantinedUnderItsReasonAndNothingIsLost() throws IOException {
    JsonNode counts = new ObjectMapper().readTree(dir.resolve("jsonl/manifest.json").toFile()).get("counts");
    assertEquals(3000, counts.get("rows_read").asLong());
    assertEquals(2970, counts.get("rows_priced").asLong());
    Map<String, Integer> expected = Map.of("MALFORMED_RECORD", 4, "MISSING_TIMESTAMP", 3, "BAD_TIMESTAMP", 5,
        "MISSING_MODEL", 3, "NEGATIVE_TOKENS", 3, "UNKNOWN_MODEL", 3, "NO_RATE_IN_FORCE", 2, "UNPRICED_OPTION", 7);
    expected.forEach((reason, count) -> assertEquals(count, counts.at("/quarantined/" + reason).asInt(), reason));
    assertEquals(expected.size(), counts.get("quarantined").size());
    JsonNode manifest = new ObjectMapper().readTree(dir.resolve("jsonl/manifest.json").toFile());
    assertEquals("88.964435690250", manifest.get("total_cost").asText());
  }
}
