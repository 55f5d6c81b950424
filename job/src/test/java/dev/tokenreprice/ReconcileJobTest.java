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
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --reconcile} through the job's entry point: the sample month against the sample bills (derived from
 * the sample run with planted differences, sample-data/README.md), exit statuses, and nothing written for a bad bill.
 */
class ReconcileJobTest {
  private static final Path ROOT = Path.of(System.getProperty("repo.root"));
  private static final Path BILLS = ROOT.resolve("sample-data/bills");
  private static final String HEADER = "day,provider,model,job_cost,billed_cost,delta,delta_pct,status";
  /** One request of 1000 input and 100 output tokens of Sonnet 4.5: 0.003 + 0.0015 = 0.0045 USD. */
  private static final String GOOD =
      "{\"timestamp\":\"2026-11-03T10:00:00Z\",\"model\":\"claude-sonnet-4-5\",\"input_tokens\":1000,\"output_tokens\":100}";

  @TempDir
  Path dir;
  private Path card;
  private Path logs;
  private Path out;

  @BeforeEach
  void files() throws IOException {
    card = Files.writeString(dir.resolve("card.yaml"), TestCards.SMALL_CARD);
    logs = Files.createDirectories(dir.resolve("logs"));
    out = dir.resolve("out");
  }

  @Test
  void theSampleMonthAgainstItsCostApiPagesAndFocusExportShowsEveryPlantedGap() throws IOException {
    JobRun run = sampleRun("--reconcile", BILLS.resolve("anthropic-cost-report").toString(),
        "--reconcile", BILLS.resolve("openai-focus.csv").toString(), "--scenarios", "none");
    assertEquals(0, run.status(), run.err());
    List<String> lines = Files.readAllLines(out.resolve("reconciliation.csv"));
    assertEquals(HEADER, lines.get(0));
    // 12 Anthropic models and 3 OpenAI models on 30 days, priced every day, the one model only the bill has, and
    // the one day's web searches.
    assertEquals(1 + 15 * 30 + 1 + 1 - 13, lines.size(), "days a model had no traffic have no line");
    assertEquals(List.of(
        // billed 2% less (per token type, in cents rounded to 4 places): 0.721265775 x 0.98 = 0.706840...
        "2026-11-03,anthropic,claude-sonnet-4-5,0.721265775000,0.706841,0.014424775000,2.04,OVER",
        // 30 cents of web searches on the bill; the sample logs record none
        "2026-11-06,anthropic,web_search,,0.30,-0.30,-100.00,MISSING_IN_LOGS",
        // the alias claude-3-5-haiku-20241022 on the bill, 42 cents, a model the logs never used
        "2026-11-12,anthropic,claude-3-5-haiku,,0.42,-0.42,-100.00,MISSING_IN_LOGS",
        // billed 3% more
        "2026-11-17,anthropic,claude-opus-4-6,0.204233500000,0.210362,-0.006128500000,-2.91,UNDER",
        // the FOCUS export billed 10% more
        "2026-11-20,openai,gpt-5.4-mini,0.061801125000,0.067981,-0.006179875000,-9.09,UNDER",
        // left off the bill
        "2026-11-25,anthropic,claude-haiku-4-5,0.243707150000,,0.243707150000,,MISSING_IN_BILL"),
        lines.stream().filter(line -> !line.endsWith(",MATCH") && !line.equals(HEADER)).toList());
    // 0.3% more on the bill is within the default 0.5%.
    assertTrue(lines.contains("2026-11-09,openai,gpt-5.6-terra,0.074931800000,0.075156,-0.000224200000,-0.30,MATCH"));
    // The dated id on the bill is reported under the card's id, and rounding to 1/10000 cent still matches.
    assertTrue(lines.contains("2026-11-16,anthropic,claude-haiku-4-5,0.083867250000,0.083868,-0.000000750000,0.00,MATCH"),
        lines.toString());
    // The web searches count as one more "model" of the bill: anthropic/web_search.
    assertTrue(run.out().contains("reconciliation (reconciliation.csv): 24 of 30 days, 11 of 17 models match within"
        + " 0.5% (bill: 2 lines of costs the run does not price left out, 1 cost outside the run's days ignored)"),
        run.out());
    assertTrue(run.out().contains("  2026-11-12 anthropic/claude-3-5-haiku     -0.4200 USD (-100.00%) MISSING_IN_LOGS\n"
        + "  2026-11-06 anthropic/web_search           -0.3000 USD (-100.00%) MISSING_IN_LOGS\n"
        + "  2026-11-25 anthropic/claude-haiku-4-5     +0.2437 USD MISSING_IN_BILL\n"), run.out());
    JsonNode manifest = new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
    assertEquals("PUBLISHED", manifest.get("status").asText());
    assertTrue(manifest.get("outputs").toString().contains("reconciliation.csv"));
    JsonNode reconciliation = manifest.get("reconciliation");
    assertEquals(List.of("cost-api", "cost-api", "focus"),
        Stream.of(0, 1, 2).map(i -> reconciliation.at("/bill_files/" + i + "/form").asText()).toList());
    // The web-search result is kept now; a seats line and a tax line are not
    assertEquals(0, reconciliation.at("/bill_files/0/lines_skipped").asLong()
        + reconciliation.at("/bill_files/1/lines_skipped").asLong());
    assertEquals(2, reconciliation.at("/bill_files/2/lines_skipped").asLong());
    assertEquals("{\"MATCH\":433,\"OVER\":1,\"UNDER\":2,\"MISSING_IN_BILL\":1,\"MISSING_IN_LOGS\":2,\"NOT_BILLED\":0}",
        reconciliation.get("lines").toString());
    assertEquals(1, reconciliation.get("bill_costs_outside_period").asLong());
    assertEquals("0.5", reconciliation.get("tolerance_pct").asText());
    // The run's whole month: every priced cost is on some line.
    assertEquals(manifest.get("total_cost").asText(), reconciliation.get("job_cost").asText());
  }

  @Test
  void theSampleMonthAgainstTheGenericInvoiceWithAWiderTolerance() throws IOException {
    JobRun run = sampleRun("--reconcile", BILLS.resolve("invoice-2026-11.csv").toString(), "--tolerance", "1.5%",
        "--scenarios", "none");
    assertEquals(0, run.status(), run.err());
    List<String> gaps = Files.readAllLines(out.resolve("reconciliation.csv")).stream()
        .filter(line -> !line.endsWith(",MATCH") && !line.equals(HEADER)).toList();
    // Planted: claude-opus-5 billed 5% less on Nov 5, gpt-5.5 left off on Nov 21, a model the card does not have on
    // Nov 30; claude-sonnet-5 billed 1% more on Nov 14 is within 1.5%.
    assertEquals(List.of(
        "2026-11-05,anthropic,claude-opus-5,0.078255000000,0.074342,0.003913000000,5.26,OVER",
        "2026-11-21,openai,gpt-5.5,0.397549500000,,0.397549500000,,MISSING_IN_BILL",
        "2026-11-30,anthropic,claude-instant-1,,1.000000,-1.000000,-100.00,MISSING_IN_LOGS"), gaps);
    assertTrue(run.out().contains("27 of 30 days, 13 of 16 models match within 1.5%"), run.out());
  }

  @Test
  void theSampleMonthAgainstTheProvidersAnalyticsAndOpenAiApiPagesNamesTheCauseOfEachPlantedGap() throws IOException {
    JobRun run = sampleRun("--reconcile", BILLS.resolve("anthropic-analytics-cost.json").toString(),
        "--reconcile", BILLS.resolve("anthropic-analytics-usage.json").toString(),
        "--reconcile", BILLS.resolve("openai-costs.json").toString(),
        "--reconcile", BILLS.resolve("openai-usage-completions.json").toString(), "--scenarios", "none");
    assertEquals(0, run.status(), run.err());
    List<String> gaps = Files.readAllLines(out.resolve("reconciliation.csv")).stream().skip(1)
        .filter(line -> !line.contains(",MATCH,")).toList();
    assertEquals(List.of(
        // billed 3% more, the tokens alike: the price
        "2026-11-08,anthropic,claude-opus-4-6,0.283955250000,0.29247391,-0.008518660000,-2.91,UNDER,"
            + "38001,2200,1595,1356,30843,38001,2200,1595,1356,30843,PRICE",
        // 20 cents of web searches; the sample logs record none
        "2026-11-10,anthropic,web_search,,0.20000000,-0.20000000,-100.00,MISSING_IN_LOGS,,,,,,,,,,,",
        // priority-tier output billed 5% above the card, the tokens alike: the price
        "2026-11-12,openai,gpt-5.5,0.277422500000,0.2816180000000000,-0.0041955000000000,-1.49,UNDER,"
            + "30094,2368,0,0,30090,30094,2368,0,0,30090,PRICE",
        // a line item that bills no model's tokens, kept under its own name; no tokens either side, no cause
        "2026-11-15,openai,file search tool calls,,0.1,-0.1,-100.00,MISSING_IN_LOGS,,,,,,,,,,,",
        "2026-11-15,openai,web_search,,0.5000000000000000,-0.5000000000000000,-100.00,MISSING_IN_LOGS,,,,,,,,,,,",
        // 10% more tokens and cost on the bill than in the logs: traffic
        "2026-11-19,anthropic,claude-sonnet-4-5,0.180721950000,0.19879415,-0.018072200000,-9.09,UNDER,"
            + "25699,3660,8151,0,60529,28269,4026,8966,0,66582,TRAFFIC",
        "2026-11-22,openai,gpt-5.4-mini,0.037400362500,0.0392703806250000,-0.0018700181250000,-4.76,UNDER,"
            + "40377,2634,0,0,22003,42396,2766,0,0,23103,TRAFFIC"), gaps);
    // A day's priority-tier row and standard row are summed (Nov 14, claude-sonnet-5); code execution is counted.
    assertTrue(run.out().contains("(bill: 1 line of costs the run does not price left out, 1 cost outside the run's"
        + " days ignored)"), run.out());
    assertTrue(run.out().contains("price looks wrong (tokens match the usage report, cost does not):"
        + " anthropic/claude-opus-4-6, openai/gpt-5.5\n"), run.out());
    // Opus 4.7's rows list a ninth more than they bill: the analytics bill says what its discount is worth.
    assertTrue(run.out().contains("anthropic-analytics-cost.json: 352 cost lines of anthropic (73.93039686 USD at list"
        + " price, 73.13535319 billed: discounts worth 0.79504367)"), run.out());
  }

  @Test
  void strictModeExitsFourOnAGapAfterPublishingEverything() throws IOException {
    writeLogs(GOOD, GOOD);
    Path bill = Files.writeString(dir.resolve("bill.csv"), "day,model,cost\n2026-11-03,claude-sonnet-4-5,0.0080\n");
    JobRun run = JobRun.of(args("--reconcile", bill.toString(), "--strict"));
    assertEquals(4, run.status(), run.err());
    // 2 x 0.0045 = 0.009 against 0.008: 0.001 over, 12.5% of the bill.
    assertEquals(List.of(HEADER, "2026-11-03,anthropic,claude-sonnet-4-5,0.009000000000,0.0080,0.001000000000,12.50,OVER"),
        Files.readAllLines(out.resolve("reconciliation.csv")));
    assertTrue(Files.exists(out.resolve("rollup.csv")));
    JsonNode manifest = new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
    assertEquals("RECONCILIATION_GAPS_IN_STRICT_MODE", manifest.get("status").asText());

    Files.writeString(bill, "day,model,cost\n2026-11-03,claude-sonnet-4-5,0.009\n");
    assertEquals(0, JobRun.of(args("--reconcile", bill.toString(), "--strict")).status());
  }

  @Test
  void aQuarantineInStrictModeIsReportedFirstAndPublishesNoReconciliation() throws IOException {
    writeLogs(GOOD, "{oops");
    Path bill = Files.writeString(dir.resolve("bill.csv"), "day,model,cost\n2026-11-03,claude-sonnet-4-5,1\n");
    JobRun run = JobRun.of(args("--reconcile", bill.toString(), "--strict"));
    assertEquals(3, run.status(), run.err());
    assertFalse(Files.exists(out.resolve("reconciliation.csv")));
  }

  @Test
  void aBillFileThatContributesNoLineIsSaidAndInStrictModeStopsTheRunBeforeAnyLogIsRead() throws IOException {
    writeLogs(GOOD);
    Path good = Files.writeString(dir.resolve("bill.csv"), "day,model,cost\n2026-11-03,claude-sonnet-4-5,0.0045\n");
    // A FOCUS export of other services only: the FOCUS sample writes every empty field as NULL.
    Path focus = Files.writeString(dir.resolve("ec2.csv"), "BilledCost,BillingCurrency,ChargePeriodStart,"
        + "ChargeCategory,ServiceName,x_Model\n1.50,USD,2026-11-03T00:00:00Z,Usage,Amazon EC2,NULL\n");
    JobRun run = JobRun.of(args("--reconcile", good.toString(), "--reconcile", focus.toString()));
    assertEquals(0, run.status(), run.err());
    assertTrue(run.out().contains("  bill file:" + focus + ": no cost line (nothing of it was compared)"), run.out());
    assertTrue(run.out().contains("  bill file:" + good + ": 1 cost line of anthropic"), run.out());
    JsonNode manifest = new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
    assertTrue(manifest.get("reconciliation").get("bill_files").get(1).get("contributes_nothing").asBoolean(),
        manifest.toString());

    Path strictOut = dir.resolve("strict-out");
    JobRun strict = JobRun.of("--input", dir.resolve("no-such-logs").toString(), "--rate-card", card.toString(),
        "--out", strictOut.toString(), "--reconcile", good.toString(), "--reconcile", focus.toString(), "--strict");
    assertEquals(2, strict.status(), strict.err());
    assertEquals("reprice: reconcile file file:" + focus + " contributes no cost line (1 lines left out as no model's"
        + " token cost): with --strict every bill file must bill some model of the rate card (give the right file,"
        + " or leave it out)", strict.err().strip());
    assertFalse(Files.exists(strictOut));
  }

  @Test
  void aUsageReportBesideTheCostBillSaysADayIsOffBecauseOfThePrice() throws IOException {
    writeLogs(GOOD);
    Path bills = Files.createDirectories(dir.resolve("bills"));
    // The Cost API bills 0.5 cents for the request the card prices at 0.45; the Usage API counts its tokens alike.
    Files.writeString(bills.resolve("cost.json"), "{\"data\": [{\"starting_at\": \"2026-11-03T00:00:00Z\","
        + " \"ending_at\": \"2026-11-04T00:00:00Z\", \"results\": [{\"currency\": \"USD\", \"amount\": \"0.5\","
        + " \"cost_type\": \"tokens\", \"model\": \"claude-sonnet-4-5\"}]}], \"has_more\": false}\n");
    Files.writeString(bills.resolve("usage.json"), "{\"data\": [{\"starting_at\": \"2026-11-03T00:00:00Z\","
        + " \"ending_at\": \"2026-11-04T00:00:00Z\", \"results\": [{\"uncached_input_tokens\": 1000,"
        + " \"cache_creation\": {\"ephemeral_1h_input_tokens\": 0, \"ephemeral_5m_input_tokens\": 0},"
        + " \"cache_read_input_tokens\": 0, \"output_tokens\": 100, \"model\": \"claude-sonnet-4-5\"}]}],"
        + " \"has_more\": false}\n");
    JobRun run = JobRun.of(args("--reconcile", bills.toString()));
    assertEquals(0, run.status(), run.err());
    assertEquals(List.of(HEADER + ",job_input_tokens,job_output_tokens,job_cache_write_5m_tokens,"
        + "job_cache_write_1h_tokens,job_cache_read_tokens,billed_input_tokens,billed_output_tokens,"
        + "billed_cache_write_5m_tokens,billed_cache_write_1h_tokens,billed_cache_read_tokens,cause",
        "2026-11-03,anthropic,claude-sonnet-4-5,0.004500000000,0.005,-0.000500000000,-10.00,UNDER,1000,100,0,0,0,"
            + "1000,100,0,0,0,PRICE"), Files.readAllLines(out.resolve("reconciliation.csv")));
    assertTrue(run.out().contains("  price looks wrong (tokens match the usage report, cost does not): "
        + "anthropic/claude-sonnet-4-5\n"), run.out());
  }

  @Test
  void aMalformedBillExitsTwoWithOneLineAndWritesNothing() throws IOException {
    writeLogs(GOOD);
    Path bill = Files.writeString(dir.resolve("bill.csv"), "day,model,cost\n2026-11-03,claude-sonnet-4-5,1.234,56\n"
        .replace("1.234,56", "\"1,234.56\""));
    JobRun run = JobRun.of(args("--reconcile", bill.toString()));
    assertEquals(2, run.status(), run.err());
    assertEquals("reprice: reconcile file file:" + bill + ": line 2: 'cost' must be a plain decimal in the rate card's"
        + " currency (1234.56, no currency sign or thousands separator), cannot be: 1,234.56", run.err().strip());
    assertFalse(Files.exists(out));
  }

  @Test
  void aRunWithoutABillRemovesAnEarlierReconciliation() throws IOException {
    writeLogs(GOOD);
    Path bill = Files.writeString(dir.resolve("bill.csv"), "day,model,cost\n2026-11-03,claude-sonnet-4-5,0.0045\n");
    assertEquals(0, JobRun.of(args("--reconcile", bill.toString(), "--scenarios", "none")).status());
    assertTrue(Files.exists(out.resolve("reconciliation.csv")));
    assertEquals(0, JobRun.of(args("--scenarios", "none")).status());
    assertFalse(Files.exists(out.resolve("reconciliation.csv")), "it would describe another run's costs");
  }

  private JobRun sampleRun(String... more) {
    return JobRun.of(Stream.concat(Stream.of("--input", ROOT.resolve("sample-data/logs/jsonl").toString(),
        "--rate-card", ROOT.resolve("conf/rate-card.yaml").toString(), "--out", out.toString()), Stream.of(more))
        .toArray(String[]::new));
  }

  private String[] args(String... more) {
    return Stream.concat(Stream.of("--input", logs.toString(), "--rate-card", card.toString(), "--out", out.toString()),
        Stream.of(more)).toArray(String[]::new);
  }

  private void writeLogs(String... lines) throws IOException {
    Files.write(logs.resolve("day.jsonl"), List.of(lines), StandardCharsets.UTF_8);
  }
}
