package dev.tokenreprice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenreprice.output.FocusRulesCheck;
import dev.tokenreprice.testing.JobRun;
import dev.tokenreprice.testing.SharedSpark;
import dev.tokenreprice.testing.TestCards;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --focus} through the job's entry point: the sample month's FOCUS export against the spec's rules. */
class FocusExportJobTest {
  private static final Path ROOT = Path.of(System.getProperty("repo.root"));

  @TempDir
  Path dir;

  @Test
  void theSampleMonthsFocusExportKeepsEverySpecRuleAndSumsToTheTotalToTheLastDigit() throws IOException {
    Path out = dir.resolve("out");
    JobRun run = JobRun.of("--input", ROOT.resolve("sample-data/logs/jsonl").toString(), "--rate-card",
        ROOT.resolve("conf/rate-card.yaml").toString(), "--out", out.toString(), "--scenarios", "none", "--no-report",
        "--focus");
    assertEquals(0, run.status(), run.err());
    List<String> csv = Files.readAllLines(out.resolve("focus.csv"));
    Dataset<Row> parquet = SharedSpark.session().read().parquet(out.resolve("focus").toString());

    assertEquals(List.of(), FocusRulesCheck.csvProblems(csv), "focus.csv against the spec's rules");
    assertEquals(List.of(), FocusRulesCheck.typeProblems(parquet.schema()), "focus/ column types against the spec's");
    assertEquals(csv.size() - 1, parquet.count(), "the CSV and the Parquet hold the same rows");

    // totals.csv's grand total (85.641134290250 USD on the sample month), to the last digit, in both forms.
    String total = Files.readAllLines(out.resolve("totals.csv")).stream().filter(line -> line.startsWith("total,"))
        .findFirst().orElseThrow();
    BigDecimal totalCost = new BigDecimal(total.substring(total.lastIndexOf(',') + 1));
    for (String cost : List.of("BilledCost", "EffectiveCost", "ListCost", "ContractedCost")) {
      assertEquals(totalCost, FocusRulesCheck.sum(csv, cost), cost + " of focus.csv");
      assertEquals(totalCost, parquet.agg(functions.sum(cost)).first().getDecimal(0)
          .setScale(totalCost.scale()), cost + " of focus/");
    }
    assertTrue(run.out().contains("focus, focus.csv"), run.out());
  }

  @Test
  void aRunWithoutFocusRemovesAnEarlierRunsExport() throws IOException {
    Path logs = Files.createDirectories(dir.resolve("logs"));
    Files.writeString(logs.resolve("a.jsonl"), "{\"timestamp\":\"2026-11-03T10:00:00Z\",\"model\":\"claude-sonnet-4-5\","
        + "\"input_tokens\":1000,\"output_tokens\":100}\n");
    Path card = Files.writeString(dir.resolve("card.yaml"), TestCards.SMALL_CARD);
    Path out = dir.resolve("out");
    String[] args = {"--input", logs.toString(), "--rate-card", card.toString(), "--out", out.toString(),
        "--scenarios", "none", "--no-report"};
    JobRun withFocus = JobRun.of(concat(args, "--focus"));
    assertEquals(0, withFocus.status(), withFocus.err());
    // One request: 1000 input tokens (0.003) and 100 output tokens (0.0015), two rows.
    assertEquals(3, Files.readAllLines(out.resolve("focus.csv")).size());
    JobRun without = JobRun.of(args);
    assertEquals(0, without.status(), without.err());
    assertFalse(Files.exists(out.resolve("focus.csv")), "an export of another run's costs is not left beside this one");
    assertFalse(Files.exists(out.resolve("focus")));
  }

  private static String[] concat(String[] args, String more) {
    String[] all = java.util.Arrays.copyOf(args, args.length + 1);
    all[args.length] = more;
    return all;
  }
}
