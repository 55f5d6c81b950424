package dev.tokenreprice.pricing;

import static dev.tokenreprice.testing.Priced.cost;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tokenreprice.cli.Period;
import dev.tokenreprice.ratecard.RateCardTables;
import dev.tokenreprice.testing.Priced;
import dev.tokenreprice.testing.TestCards;
import java.math.BigDecimal;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Prices single requests against the small test card; every expectation is worked out by hand in its comment. */
class PricingTest {
  private static RateCardTables card;

  @BeforeAll
  static void card() {
    card = TestCards.smallCardTables();
  }

  @Test
  void everyTokenKindIsPricedAndAnAliasIsTheSameModel() {
    Row row = single("""
        {"request_id":"a","timestamp":"2026-11-03T10:00:00Z","model":"claude-sonnet-4-5-20250929","input_tokens":1000,
         "output_tokens":200,"cache_write_5m_tokens":100,"cache_write_1h_tokens":50,"cache_read_tokens":5000}""");
    assertEquals("claude-sonnet-4-5", row.getString(row.fieldIndex(PricingColumns.CARD_MODEL)));
    assertCost("0.003000000000", row, PricingColumns.INPUT_COST);        // 1000 x 3.00 / 1e6
    assertCost("0.003000000000", row, PricingColumns.OUTPUT_COST);       // 200 x 15.00 / 1e6
    assertCost("0.000675000000", row, PricingColumns.CACHE_WRITE_COST);  // 100 x 3.75 + 50 x 6.00, / 1e6
    assertCost("0.001500000000", row, PricingColumns.CACHE_READ_COST);   // 5000 x 0.30 / 1e6
    assertCost("0.008175000000", row, PricingColumns.TOTAL_COST);
  }

  @Test
  void longPromptPricesEveryTokenOfTheRequestAtTheHigherTier() {
    Row row = single("""
        {"request_id":"a","timestamp":"2026-11-03T10:00:00Z","model":"claude-sonnet-4-5","input_tokens":150000,
         "output_tokens":1000,"cache_read_tokens":50001}""");
    // prompt 150000 + 50001 = 200001 > 200000: input 6.00, output 22.50, cache read 0.1 x 6.00
    assertCost("0.900000000000", row, PricingColumns.INPUT_COST);
    assertCost("0.022500000000", row, PricingColumns.OUTPUT_COST);
    assertCost("0.030000600000", row, PricingColumns.CACHE_READ_COST);
    assertCost("0.952500600000", row, PricingColumns.TOTAL_COST);
  }

  @Test
  void cacheWritesCountTowardsTheLongPromptThreshold() {
    Row row = single("""
        {"request_id":"a","timestamp":"2026-11-03T10:00:00Z","model":"claude-sonnet-4-5","input_tokens":100000,
         "output_tokens":0,"cache_write_5m_tokens":50000,"cache_write_1h_tokens":50001}""");
    // 200001 prompt tokens: 100000 x 6 + 50000 x 7.50 + 50001 x 12, / 1e6
    assertCost("1.575012000000", row, PricingColumns.TOTAL_COST);
  }

  @Test
  void aPromptOfExactlyTheThresholdPaysTheNormalPrices() {
    Row row = single("""
        {"request_id":"a","timestamp":"2026-11-03T10:00:00Z","model":"claude-sonnet-4-5","input_tokens":150000,
         "output_tokens":1000,"cache_read_tokens":50000}""");
    // 150000 x 3 + 1000 x 15 + 50000 x 0.30, / 1e6
    assertCost("0.480000000000", row, PricingColumns.TOTAL_COST);
  }

  @Test
  void batchHalvesTheCacheReadPriceToo() {
    Row row = single("""
        {"request_id":"a","timestamp":"2026-11-03T10:00:00Z","model":"claude-opus-4-6","service_tier":"batch",
         "input_tokens":0,"output_tokens":0,"cache_read_tokens":1000000}""");
    assertCost("0.250000000000", row, PricingColumns.CACHE_READ_COST); // 1e6 x 0.50 x 0.5 / 1e6
  }

  @Test
  void fastModeAndUsInferenceStack() {
    Row row = single("""
        {"request_id":"a","timestamp":"2026-11-03T10:00:00Z","model":"claude-opus-4-6","speed":"fast",
         "inference_geo":"us","input_tokens":1000,"output_tokens":100}""");
    assertCost("0.033000000000", row, PricingColumns.INPUT_COST);  // 1000 x 5 x 6 x 1.1 / 1e6
    assertCost("0.016500000000", row, PricingColumns.OUTPUT_COST); // 100 x 25 x 6.6 / 1e6
  }

  @Test
  void optionValuesAreCaseInsensitiveAndTheDefaultValueCostsOneWhereUnlisted() {
    List<Row> rows = Priced.rows(card, """
        {"request_id":"a","timestamp":"2026-11-03T10:00:00Z","model":"claude-sonnet-4-5","speed":"standard","inference_geo":"GLOBAL","input_tokens":100000,"output_tokens":0}""",
        """
        {"request_id":"b","timestamp":"2026-11-03T10:00:00Z","model":"claude-sonnet-4-5","service_tier":"Batch","input_tokens":100000,"output_tokens":0}""");
    assertCost("0.300000000000", rows.get(0), PricingColumns.TOTAL_COST); // 100000 x 3.00 / 1e6
    assertCost("0.150000000000", rows.get(1), PricingColumns.TOTAL_COST); // the same at batch, x 0.5
  }

  @Test
  void theRateInForceOnTheRowsUtcDayApplies() {
    List<Row> rows = Priced.rows(card,
        line("a", "2026-10-06T12:00:00Z"),
        line("b", "2026-10-07T00:00:00Z"),
        // 23:30 at UTC-1 is 00:30 the next day in UTC: the new rate applies.
        line("c", "2026-10-06T23:30:00-01:00"),
        // epoch milliseconds of 2026-10-06T23:59:59.999Z
        line("d", "1791331199999"));
    assertCost("0.200000000000", rows.get(0), PricingColumns.CACHE_READ_COST);
    assertCost("0.100000000000", rows.get(1), PricingColumns.CACHE_READ_COST);
    assertCost("0.100000000000", rows.get(2), PricingColumns.CACHE_READ_COST);
    assertCost("0.200000000000", rows.get(3), PricingColumns.CACHE_READ_COST);
  }

  @Test
  void theProviderSelectsAmongModelsAndDefaultsToAnthropic() {
    List<String> statuses = Priced.statuses(card, Period.ALL_DAYS,
        "{\"request_id\":\"a\",\"timestamp\":\"2026-11-03T10:00:00Z\",\"provider\":\"openai\",\"model\":\"gpt-5.5\",\"input_tokens\":1,\"output_tokens\":1}",
        "{\"request_id\":\"b\",\"timestamp\":\"2026-11-03T10:00:00Z\",\"model\":\"gpt-5.5\",\"input_tokens\":1,\"output_tokens\":1}");
    assertEquals(List.of("PRICED", "UNKNOWN_MODEL"), statuses);
  }

  private static String line(String id, String timestamp) {
    String time = timestamp.matches("[0-9]+") ? timestamp : "\"" + timestamp + "\"";
    return "{\"request_id\":\"" + id + "\",\"timestamp\":" + time
        + ",\"model\":\"claude-sonnet-5-5\",\"input_tokens\":0,\"output_tokens\":0,\"cache_read_tokens\":1000000}";
  }

  private static Row single(String line) {
    List<Row> rows = Priced.rows(card, line.replace("\n", ""));
    assertEquals(1, rows.size(), "the row must be priced");
    return rows.get(0);
  }

  private static void assertCost(String expected, Row row, String column) {
    assertEquals(new BigDecimal(expected), cost(row, column), column);
  }
}
