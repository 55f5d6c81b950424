package dev.tokenreprice.pricing;

import static dev.tokenreprice.testing.Priced.cost;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tokenreprice.cli.Period;
import dev.tokenreprice.ratecard.RateCardTables;
import dev.tokenreprice.testing.Logs;
import dev.tokenreprice.testing.Priced;
import dev.tokenreprice.testing.SharedSpark;
import dev.tokenreprice.testing.TestCards;
import dev.tokenreprice.validate.Validation;
import java.math.BigDecimal;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Per-use fees (web searches) priced next to tokens, and the rows whose fee the card cannot price. */
class FeePricingTest {
  static final String FEE_CARD = """
      defaults:
        modifiers:
          service_tier: {standard: 1, batch: 0.5}
      provider_defaults:
        anthropic:
          fees: {web_search: 0.01}
      models:
        - provider: anthropic
          model: claude-sonnet-4-5
          rates:
            - effective_from: 2025-09-29
              input: 3.00
              output: 15.00
            - effective_from: 2026-12-01
              input: 3.00
              output: 15.00
              fees: {web_search: 0.02}
        - provider: bedrock
          model: claude-haiku-4-5
          rates:
            - effective_from: 2025-10-01
              input: 1
              output: 5
      """;
  private static RateCardTables card;

  @BeforeAll
  static void card() {
    card = RateCardTables.of(TestCards.parse(FEE_CARD), SharedSpark.session());
  }

  @Test
  void webSearchesCostTheirFeeEachAndArePartOfTheTotal() {
    Row row = single("""
        {"request_id":"a","timestamp":"2026-11-03T10:00:00Z","model":"claude-sonnet-4-5","input_tokens":1000,
         "output_tokens":200,"web_search_requests":3}""");
    assertCost("0.003000000000", row, PricingColumns.INPUT_COST);   // 1000 x 3.00 / 1e6
    assertCost("0.003000000000", row, PricingColumns.OUTPUT_COST);  // 200 x 15.00 / 1e6
    assertCost("0.030000000000", row, PricingColumns.TOOL_COST);    // 3 x 0.01
    assertCost("0.036000000000", row, PricingColumns.TOTAL_COST);
  }

  @Test
  void theBatchTierHalvesTheTokensButNotTheSearchFee() {
    Row row = single("""
        {"request_id":"a","timestamp":"2026-11-03T10:00:00Z","model":"claude-sonnet-4-5","service_tier":"batch",
         "input_tokens":1000,"output_tokens":200,"web_search_requests":3}""");
    assertCost("0.030000000000", row, PricingColumns.TOOL_COST);    // 3 x 0.01, no modifier
    assertCost("0.033000000000", row, PricingColumns.TOTAL_COST);   // (0.003 + 0.003) x 0.5 + 0.03
  }

  @Test
  void aLaterRateCarriesItsOwnFee() {
    Row row = single("""
        {"request_id":"a","timestamp":"2026-12-02T10:00:00Z","model":"claude-sonnet-4-5","input_tokens":0,
         "output_tokens":0,"web_search_requests":3}""");
    assertCost("0.060000000000", row, PricingColumns.TOOL_COST);    // 3 x 0.02 from 2026-12-01
  }

  @Test
  void aRequestWithoutWebSearchesCostsNoToolFee() {
    Row row = single("""
        {"request_id":"a","timestamp":"2026-11-03T10:00:00Z","model":"claude-sonnet-4-5","input_tokens":1000,
         "output_tokens":0}""");
    assertCost("0.000000000000", row, PricingColumns.TOOL_COST);
    assertCost("0.003000000000", row, PricingColumns.TOTAL_COST);
  }

  @Test
  void webSearchesOnAModelWithoutAFeePriceAreQuarantinedAndRowsWithoutSearchesAreNot() {
    String[] lines = {
        "{\"request_id\":\"a\",\"timestamp\":\"2026-11-03T10:00:00Z\",\"provider\":\"bedrock\","
            + "\"model\":\"claude-haiku-4-5\",\"input_tokens\":10,\"output_tokens\":1,\"web_search_requests\":3}",
        "{\"request_id\":\"b\",\"timestamp\":\"2026-11-03T10:00:00Z\",\"provider\":\"bedrock\","
            + "\"model\":\"claude-haiku-4-5\",\"input_tokens\":10,\"output_tokens\":1,\"web_search_requests\":0}",
        "{\"request_id\":\"c\",\"timestamp\":\"2026-11-03T10:00:00Z\",\"provider\":\"bedrock\","
            + "\"model\":\"claude-haiku-4-5\",\"input_tokens\":10,\"output_tokens\":1}"};
    assertEquals(List.of("NO_FEE_PRICE", "PRICED", "PRICED"), Priced.statuses(card, Period.ALL_DAYS, lines));
    Row quarantined = Validation.quarantined(Validation.classify(Logs.fromJsonLines(lines), card, Period.ALL_DAYS))
        .collectAsList().get(0);
    assertEquals("web_search_requests: 3 web searches, but the rate card prices no web_search fee for bedrock"
        + " claude-haiku-4-5 on 2026-11-03", quarantined.getString(quarantined.fieldIndex(Validation.DETAIL)));
  }

  @Test
  void aNegativeOrFractionalWebSearchCountIsQuarantinedLikeATokenCount() {
    String[] lines = {
        "{\"request_id\":\"a\",\"timestamp\":\"2026-11-03T10:00:00Z\",\"model\":\"claude-sonnet-4-5\","
            + "\"input_tokens\":10,\"output_tokens\":1,\"web_search_requests\":-2}",
        "{\"request_id\":\"b\",\"timestamp\":\"2026-11-03T10:00:00Z\",\"model\":\"claude-sonnet-4-5\","
            + "\"input_tokens\":10,\"output_tokens\":1,\"web_search_requests\":1.5}"};
    assertEquals(List.of("NEGATIVE_TOKENS", "MALFORMED_RECORD"), Priced.statuses(card, Period.ALL_DAYS, lines));
    List<Row> details = Validation.quarantined(Validation.classify(Logs.fromJsonLines(lines), card, Period.ALL_DAYS))
        .orderBy(col(Validation.REASON)).collectAsList();
    assertEquals("web_search_requests is -2", details.get(1).getString(details.get(1).fieldIndex(Validation.DETAIL)));
  }

  private static Row single(String line) {
    List<Row> rows = Priced.rows(card, line.replace("\n", ""));
    assertEquals(1, rows.size(), "one priced row");
    return rows.get(0);
  }

  private static void assertCost(String expected, Row row, String column) {
    assertEquals(new BigDecimal(expected), cost(row, column), column);
  }
}
