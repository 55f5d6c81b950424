package dev.tokenreprice.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenreprice.cli.Period;
import dev.tokenreprice.cli.UsageException;
import dev.tokenreprice.ratecard.RateCard;
import dev.tokenreprice.testing.TestCards;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bill forms of the providers' newer APIs, read from hand-made pages in their documented shapes
 * (src/test/resources/bills): Anthropic's Usage and Cost Analytics API, OpenAI's Costs and completions Usage API.
 */
class ProviderApiBillsTest {
  private static final RateCard CARD = TestCards.parse("""
      currency: USD
      models:
        - provider: anthropic
          model: claude-sonnet-4-5
          aliases: [claude-sonnet-4-5-20250929]
          rates:
            - {effective_from: 2025-09-29, input: 3, output: 15}
        - provider: openai
          model: gpt-5.4-mini
          rates:
            - {effective_from: 2026-03-05, input: 0.75, output: 4.5}
      """);
  private static final LocalDate NOV_3 = LocalDate.parse("2026-11-03");
  private static final LocalDate NOV_4 = LocalDate.parse("2026-11-04");

  @TempDir
  Path dir;

  // ---- Anthropic's Usage and Cost Analytics API

  @Test
  void analyticsCostRowsOfEveryTierAndWorkspaceAreSummedPerDayAndModelWithWebSearchApart() throws Exception {
    Bill bill = read(fixture("anthropic-analytics-cost.json"));
    // Nov 3: 123.45 (standard) + 50.5 (priority) cents of Sonnet 4.5; 30 cents of web searches; Nov 4: 10 cents.
    assertEquals(Map.of(key(NOV_3, "anthropic", "claude-sonnet-4-5"), new BigDecimal("1.7395"),
        key(NOV_3, "anthropic", BillKey.TOOL_FEES), new BigDecimal("0.30"),
        key(NOV_4, "anthropic", "claude-sonnet-4-5"), new BigDecimal("0.10")), bill.billedCosts());
    // Kept: three token rows and the web search; left out and counted: code execution (container-hours).
    BillFile file = bill.files().get(0);
    assertEquals(List.of(BillForm.ANALYTICS_COST, 4L, 1L, Set.of("anthropic")),
        List.of(file.form(), file.linesKept(), file.linesSkipped(), file.providers()));
    assertEquals(Set.of("anthropic"), bill.toolFeesApart());
    assertEquals(false, bill.hasUsageReport());
    // The kept rows at list price, 137.1666 + 50.5 + 30 + 20 cents, and as billed, 123.45 + 50.5 + 30 + 10.
    ListPrices prices = file.listPrices().orElseThrow();
    assertEquals(List.of("2.376666", "2.1395", "0.237166"), List.of(prices.listAmount().toPlainString(),
        prices.billedAmount().toPlainString(), prices.discount().toPlainString()));
  }

  @Test
  void analyticsUsageRowsGiveTokensSoAGapIsNamedAPriceOrATrafficGap() throws Exception {
    Bill bill = read(fixture("anthropic-analytics-cost.json"), fixture("anthropic-analytics-usage.json"));
    assertEquals(Map.of(key(NOV_3, "anthropic", "claude-sonnet-4-5"), new UsageTokens(41150, 3367, 300, 200, 9000),
        key(NOV_4, "anthropic", "claude-sonnet-4-5"), new UsageTokens(10, 5, 0, 0, 6667)), bill.usageTokens());
    assertTrue(bill.hasUsageReport());
    assertEquals(Set.of("anthropic"), bill.providersWithTokens());

    // The run saw Nov 3's tokens exactly and priced them lower (PRICE); on Nov 4 it saw fewer tokens (TRAFFIC).
    SortedMap<BillKey, BigDecimal> jobCosts = new TreeMap<>(Map.of(
        key(NOV_3, "anthropic", "claude-sonnet-4-5"), new BigDecimal("1.50"),
        key(NOV_3, "anthropic", BillKey.TOOL_FEES), new BigDecimal("0.30"),
        key(NOV_4, "anthropic", "claude-sonnet-4-5"), new BigDecimal("0.05")));
    SortedMap<BillKey, UsageTokens> jobTokens = new TreeMap<>(Map.of(
        key(NOV_3, "anthropic", "claude-sonnet-4-5"), new UsageTokens(41150, 3367, 300, 200, 9000),
        key(NOV_4, "anthropic", "claude-sonnet-4-5"), new UsageTokens(5, 2, 0, 0, 3000)));
    Reconciliation reconciliation = Reconciliation.of(jobCosts, jobTokens, bill, Period.ALL_DAYS,
        new BigDecimal("0.5"));
    assertEquals(List.of("2026-11-03 claude-sonnet-4-5 UNDER PRICE", "2026-11-03 web_search MATCH ",
        "2026-11-04 claude-sonnet-4-5 UNDER TRAFFIC"), causes(reconciliation));
  }

  @Test
  void malformedAnalyticsPagesExitTwoNamingTheRowAndWhatToFetch() throws IOException {
    String tokenRow = "{\"starting_at\": \"2026-11-03T00:00:00Z\", \"ending_at\": \"%s\", \"group\": {\"model\": %s,"
        + " \"cost_type\": \"tokens\"}, \"cost\": {\"amount\": \"%s\", \"currency\": \"USD\", \"list_amount\": \"1\"}}";
    assertRefused("{\"data\": [" + tokenRow.formatted("2026-11-04T00:00:00Z", "null", "1") + "]}",
        "page, data[0] (2026-11-03): 'group.model' is null: fetch the report with group_by[]=model");
    assertRefused("{\"data\": [" + tokenRow.formatted("2026-12-01T00:00:00Z", "\"claude-sonnet-4-5\"", "1") + "]}",
        "is not one day: fetch the report with time_bucket_width=1d");
    assertRefused("{\"data\": [" + tokenRow.formatted("2026-11-04T00:00:00Z", "\"claude-sonnet-4-5\"", "$1") + "]}",
        "'amount' must be a decimal string of cents (\"123.45\"), cannot be: $1");
    String row = tokenRow.formatted("2026-11-04T00:00:00Z", "\"claude-sonnet-4-5\"", "1");
    assertRefused("[{\"data\": [" + row + "]}, {\"data\": [" + row + "]}]",
        "page 2, data[0] (2026-11-03): the same bucket and group is in an earlier row");
  }

  // ---- OpenAI's Costs and Usage APIs

  @Test
  void openAiCostsAreExactDecimalsSummedPerDayAndModelWithOtherLineItemsKeptUnderTheirOwnName() throws Exception {
    Bill bill = read(fixture("openai-costs.json"));
    // Input (two projects, a dated snapshot and another case), priority long-context output and cached input.
    BigDecimal model = bill.billedCosts().get(key(NOV_3, "openai", "gpt-5.4-mini"));
    assertEquals("1.5817712500000000", model.toPlainString(), "summed from the JSON's digits, never a double");
    assertEquals(Map.of(key(NOV_3, "openai", "gpt-5.4-mini"), model,
        key(NOV_3, "openai", BillKey.TOOL_FEES), new BigDecimal("0.25"),
        key(NOV_3, "openai", "file search tool calls"), new BigDecimal("0.1")), bill.billedCosts());
    BillFile file = bill.files().get(0);
    assertEquals(List.of(BillForm.OPENAI_COSTS, 6L, 0L, Set.of("openai")),
        List.of(file.form(), file.linesKept(), file.linesSkipped(), file.providers()));
    assertEquals(Set.of("openai"), bill.toolFeesApart());
  }

  @Test
  void openAiLineItemsNameTheirModelTokenKindTierAndLongContext() {
    assertEquals(new OpenAiLineItem("priority | gpt-5.6-sol, output, long context", Optional.of("gpt-5.6-sol"),
        Optional.of("output"), Optional.of("priority"), true),
        OpenAiLineItem.parse("priority | gpt-5.6-sol, output, long context"));
    assertEquals(new OpenAiLineItem("gpt-4o-2024-08-06, Input", Optional.of("gpt-4o-2024-08-06"),
        Optional.of("input"), Optional.empty(), false), OpenAiLineItem.parse("gpt-4o-2024-08-06, Input"));
    assertEquals(Optional.of("cached input"), OpenAiLineItem.parse("gpt-4o-mini, cached input").tokenKind());
    OpenAiLineItem search = OpenAiLineItem.parse("web search tool calls");
    assertEquals(Optional.empty(), search.model());
    assertTrue(search.isWebSearch());
    assertEquals(Optional.empty(), OpenAiLineItem.parse("Image models").model());
  }

  @Test
  void aCostLineItemThatIsACardModelsDisplayNameIsThatModelsCost() throws IOException {
    Bill bill = read(write("costs.json", costsPage("\"GPT-5.4 mini\"", "2")));
    assertEquals(Map.of(key(NOV_3, "openai", "gpt-5.4-mini"), new BigDecimal("2")), bill.billedCosts());
  }

  @Test
  void openAiCompletionsUsageGivesUncachedInputCachedInputAndOutputSoTheCauseWorksForOpenAi() throws Exception {
    Bill bill = read(fixture("openai-costs.json"), fixture("openai-usage-completions.json"));
    // 1500 + 100 input tokens, 400 of them cached: 1200 uncached, 400 cache reads.
    assertEquals(Map.of(key(NOV_3, "openai", "gpt-5.4-mini"), new UsageTokens(1200, 150, 0, 0, 400)),
        bill.usageTokens());
    assertEquals(Set.of("openai"), bill.providersWithTokens());
    assertEquals(List.of(BillForm.OPENAI_COSTS, BillForm.OPENAI_USAGE), bill.files().stream().map(BillFile::form)
        .toList());
  }

  @Test
  void malformedOpenAiPagesExitTwoNamingTheResultAndWhatToFetch() throws IOException {
    assertRefused(costsPage("null", "1"), "page, data[0] (2026-11-03), results[0]: 'line_item' is null: fetch the"
        + " costs with group_by=line_item");
    assertRefused(costsPage("\"gpt-5.4-mini, input\"", "\"1,5\""), "'value' must be a decimal amount in dollars");
    assertRefused(costsPage("\"gpt-5.4-mini, input\"", "1").replace("1793750400", "1793667600"),
        "is not one day: fetch with bucket_width=1d");
    assertRefused(costsPage("\"gpt-5.4-mini, input\"", "1").replace("\"usd\"", "\"eur\""),
        "'amount.currency' must be the rate card's currency USD, cannot be: eur");
    assertRefused("""
        {"object": "page", "data": [{"object": "bucket", "start_time": 1793664000, "end_time": 1793750400,
         "results": [{"object": "organization.usage.completions.result", "input_tokens": 10, "output_tokens": 1,
         "input_cached_tokens": 11, "model": "gpt-5.4-mini"}]}]}
        """, "'input_cached_tokens' must be at most 'input_tokens'");
    assertRefused("""
        {"object": "page", "data": [{"object": "bucket", "start_time": 1793664000, "end_time": 1793750400,
         "results": [{"object": "organization.usage.embeddings.result", "input_tokens": 10, "model": "e"}]}]}
        """, "looks like an OpenAI API page of organization.usage.embeddings.result");
  }

  @Test
  void aDaysCostsBucketInTwoFilesIsRefusedButCostsAndUsageOfOneDayAreNot() throws Exception {
    Path copy = Files.copy(fixture("openai-costs.json"), dir.resolve("again.json"));
    UsageException twice = assertThrows(UsageException.class, () -> read(fixture("openai-costs.json"), copy));
    assertTrue(twice.getMessage().contains("the openai-costs bucket of 2026-11-03 is also in"), twice.getMessage());
  }

  private static String costsPage(String lineItem, String value) {
    return """
        {"object": "page", "data": [{"object": "bucket", "start_time": 1793664000, "end_time": 1793750400,
         "results": [{"object": "organization.costs.result", "amount": {"value": %s, "currency": "usd"},
         "line_item": %s, "project_id": null}]}], "has_more": false, "next_page": null}
        """.formatted(value, lineItem);
  }

  private static List<String> causes(Reconciliation reconciliation) {
    return reconciliation.lines().stream().map(line -> line.key().day() + " " + line.key().model() + " "
        + line.status() + " " + line.tokens().flatMap(TokenComparison::cause).map(Enum::name).orElse("")).toList();
  }

  private void assertRefused(String content, String part) throws IOException {
    Path file = write("bad-" + Integer.toHexString(content.hashCode()) + ".json", content);
    UsageException e = assertThrows(UsageException.class, () -> read(file), content);
    assertTrue(e.getMessage().startsWith("reconcile file file:" + file + ": "), e.getMessage());
    assertTrue(e.getMessage().contains(part), "'" + part + "' in: " + e.getMessage());
    assertEquals(-1, e.getMessage().indexOf('\n'), "one line: " + e.getMessage());
  }

  private Path write(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content);
  }

  private static Path fixture(String name) throws URISyntaxException {
    return Path.of(ProviderApiBillsTest.class.getResource("/bills/" + name).toURI());
  }

  private static Bill read(Path... paths) {
    return BillReader.read(java.util.Arrays.stream(paths).map(Path::toString).toList(), CARD, new Configuration());
  }

  private static BillKey key(LocalDate day, String provider, String model) {
    return new BillKey(day, provider, model);
  }
}
