package dev.tokenreprice.counterfactual;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tokenreprice.input.CanonicalSchema;
import dev.tokenreprice.ratecard.RateCard;
import dev.tokenreprice.testing.Sheets;
import dev.tokenreprice.testing.TestCards;
import java.math.BigDecimal;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Scenarios over requests that ran web searches: the searches keep their number in every scenario and cost the
 * fee of the scenario's rate, which batch and no-cache do not change. Costs worked out in the comments, / 1e6.
 */
class CounterfactualFeesTest {
  private static final String CARD = """
      defaults:
        modifiers:
          service_tier: {standard: 1, batch: 0.5}
      provider_defaults:
        anthropic:
          fees: {web_search: 0.01}
      models:
        - model: claude-sonnet-4-5
          rates:
            - {effective_from: 2025-09-29, input: 3, output: 15}
        - model: claude-haiku-4-5
          rates:
            - {effective_from: 2025-10-01, input: 1, output: 5, fees: {web_search: 0.02}}
        - provider: bedrock
          model: claude-haiku-4-5
          rates:
            - {effective_from: 2025-10-01, input: 1, output: 5}
      """;
  private static final RateCard RATE_CARD = TestCards.parse(CARD);
  private static List<Row> sheet;

  /** a: 1000 x 3 + 100 x 15 + 1000 x 0.30 = 4800 in tokens and 3 searches x 0.01; b: the same tokens, no search. */
  @BeforeAll
  static void sheet() {
    sheet = sheetOf("batch,no-cache,model:claude-haiku-4-5,model:bedrock/claude-haiku-4-5",
        row("a", 3), row("b", 0));
  }

  @Test
  void theActualCostIncludesTheSearchFees() {
    // a: 0.0048 + 0.03; b: 0.0048
    assertEquals(new BigDecimal("0.039600000000"), cost(total("batch"), Counterfactual.ACTUAL_COST));
  }

  @Test
  void batchHalvesTheTokensAndLeavesTheSearchFeesAsTheyAre() {
    // a: 0.0024 + 0.03; b: 0.0024
    assertEquals(new BigDecimal("0.034800000000"), cost(total("batch"), Counterfactual.SCENARIO_COST));
    assertEquals(new BigDecimal("0.030000000000"), cost(total("batch"), Counterfactual.ACTUAL_TOOL_COST));
    assertEquals(new BigDecimal("0.030000000000"), cost(total("batch"), Counterfactual.SCENARIO_TOOL_COST));
  }

  @Test
  void noCacheMovesCacheReadsToInputAndLeavesTheSearchFeesAsTheyAre() {
    // a: 2000 x 3 + 100 x 15 = 0.0075, + 0.03; b: 0.0075
    assertEquals(new BigDecimal("0.045000000000"), cost(total("no-cache"), Counterfactual.SCENARIO_COST));
  }

  @Test
  void anotherModelPricesTheSameSearchesAtItsOwnFee() {
    // Haiku: 1000 x 1 + 100 x 5 + 1000 x 0.10 = 0.0016 each; a's 3 searches at Haiku's 0.02 = 0.06
    Row total = total("model:claude-haiku-4-5");
    assertEquals(new BigDecimal("0.063200000000"), cost(total, Counterfactual.SCENARIO_COST));
    assertEquals(new BigDecimal("0.060000000000"), cost(total, Counterfactual.SCENARIO_TOOL_COST));
    assertEquals(0L, total.getLong(total.fieldIndex(Counterfactual.ROWS_UNPRICED)));
  }

  @Test
  void aTargetWithoutASearchFeeCannotPriceTheRequestsThatSearchedAndLeavesThemOut() {
    // Bedrock's Haiku prices no web search: a is unpriced and out of both costs; b costs 0.0048, would cost 0.0016.
    Row total = total("model:bedrock/claude-haiku-4-5");
    assertEquals(1L, total.getLong(total.fieldIndex(Counterfactual.ROWS_UNPRICED)));
    assertEquals(new BigDecimal("0.004800000000"), cost(total, Counterfactual.ACTUAL_COST));
    assertEquals(new BigDecimal("0.001600000000"), cost(total, Counterfactual.SCENARIO_COST));
    assertEquals(new BigDecimal("0.000000000000"), cost(total, Counterfactual.ACTUAL_TOOL_COST));
  }

  private static List<Row> sheetOf(String scenarios, String... lines) {
    return Sheets.of(RATE_CARD, ScenarioParser.parse(scenarios, RATE_CARD), lines);
  }

  private static Row total(String scenario) {
    return sheet.stream().filter(r -> r.getString(0).equals(Counterfactual.ALL) && r.getString(3).equals(scenario))
        .findFirst().orElseThrow(() -> new AssertionError("no total row for " + scenario + " in " + sheet));
  }

  private static BigDecimal cost(Row row, String column) {
    return row.getDecimal(row.fieldIndex(column));
  }

  private static String row(String id, long webSearches) {
    return "{\"request_id\":\"" + id + "\",\"timestamp\":\"2026-11-03T10:00:00Z\",\"feature\":\"research\","
        + "\"model\":\"claude-sonnet-4-5\",\"input_tokens\":1000,\"output_tokens\":100,\"cache_read_tokens\":1000,"
        + "\"web_search_requests\":" + webSearches + "}";
  }
}
