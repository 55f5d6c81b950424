package dev.tokenreprice.counterfactual;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenreprice.cli.Period;
import dev.tokenreprice.cli.UsageException;
import dev.tokenreprice.input.CanonicalSchema;
import dev.tokenreprice.ratecard.RateCard;
import dev.tokenreprice.rollup.UsageAggregation;
import dev.tokenreprice.testing.Sheets;
import dev.tokenreprice.testing.TestCards;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** Scenarios on hand-checked rows; each expected cost is worked out in the comment beside it. */
class CounterfactualTest {
  private static final String CARD = """
      models:
        - model: claude-sonnet-4-5
          rates:
            - effective_from: 2025-09-29
              input: 3
              output: 15
              long_prompt: {above_prompt_tokens: 200000, input: 6, output: 22.50}
        - model: claude-haiku-4-5
          rates:
            - effective_from: 2025-10-01
              input: 1
              output: 5
        - model: claude-opus-4-6
          rates:
            - effective_from: 2026-02-05
              input: 5
              output: 25
              modifiers: {speed: {fast: 6}}
        - model: retiring-model
          retired_on: 2026-11-04
          rates:
            - effective_from: 2025-01-01
              input: 0.5
              output: 0.5
        - model: wide-tokenizer
          tokens_per_reference_token: 1.5
          rates:
            - effective_from: 2025-01-01
              input: 1
              output: 1
        - model: late-model
          rates:
            - effective_from: 2026-11-10
              input: 2
              output: 2
      defaults:
        modifiers:
          service_tier: {standard: 1, batch: 0.5}
      """;
  private static final RateCard RATE_CARD = TestCards.parse(CARD);

  @Test
  void batchPricesStandardRowsAtTheBatchTierWithCachePricesStackedAndLeavesBatchRowsAsTheyAre() {
    Row total = total(sheet("batch",
        row("a", "2026-11-03", "claude-sonnet-4-5", "standard", 1000, 100, 0, 1000),
        row("b", "2026-11-03", "claude-sonnet-4-5", "batch", 1000, 100, 0, 1000)), "batch");
    // a: 1000 x 3 + 100 x 15 + 1000 x 0.30 = 4800 -> 2400 at batch; b: already batch, 2400 both ways; / 1e6
    assertEquals(new BigDecimal("0.007200000000"), decimal(total, Counterfactual.ACTUAL_COST));
    assertEquals(new BigDecimal("0.004800000000"), decimal(total, Counterfactual.SCENARIO_COST));
    assertEquals(new BigDecimal("-0.002400000000"), decimal(total, Counterfactual.DELTA));
    assertEquals(new BigDecimal("-33.33"), decimal(total, Counterfactual.DELTA_PCT));
  }

  @Test
  void noCachePricesCacheTrafficAsPlainInputAndCanCostLessWhereWritesOutweighReads() {
    List<Row> sheet = sheet("no-cache",
        row("a", "2026-11-03", "claude-sonnet-4-5", "standard", 1000, 100, 2000, 0).replace("\"chat\"", "\"writer\""),
        row("b", "2026-11-03", "claude-sonnet-4-5", "standard", 0, 0, 0, 1000).replace("\"chat\"", "\"reader\""));
    // writer: 1000 x 3 + 100 x 15 + 2000 x 3.75 = 12000; without cache 3000 x 3 + 1500 = 10500
    Row writer = feature(sheet, "writer");
    assertEquals(new BigDecimal("0.012000000000"), decimal(writer, Counterfactual.ACTUAL_COST));
    assertEquals(new BigDecimal("-0.001500000000"), decimal(writer, Counterfactual.DELTA));
    // reader: 1000 x 0.30 = 300; without cache 1000 x 3 = 3000
    Row reader = feature(sheet, "reader");
    assertEquals(new BigDecimal("0.002700000000"), decimal(reader, Counterfactual.DELTA));
    assertEquals(new BigDecimal("900.00"), decimal(reader, Counterfactual.DELTA_PCT));
  }

  @Test
  void aLongPromptTierAppliesOnTheModelThatHasOneAndNotOnTheOther() {
    Row toSonnet = total(sheet("model:claude-sonnet-4-5",
        row("a", "2026-11-03", "claude-haiku-4-5", "standard", 250000, 0, 0, 0)), "model:claude-sonnet-4-5");
    // haiku: 250000 x 1 = 0.25; sonnet sees 250000 > 200000 prompt tokens: 250000 x 6 = 1.50
    assertEquals(new BigDecimal("0.250000000000"), decimal(toSonnet, Counterfactual.ACTUAL_COST));
    assertEquals(new BigDecimal("1.500000000000"), decimal(toSonnet, Counterfactual.SCENARIO_COST));
    Row toHaiku = total(sheet("model:claude-haiku-4-5",
        row("a", "2026-11-03", "claude-sonnet-4-5", "standard", 250000, 0, 0, 0)), "model:claude-haiku-4-5");
    assertEquals(new BigDecimal("1.500000000000"), decimal(toHaiku, Counterfactual.ACTUAL_COST));
    assertEquals(new BigDecimal("0.250000000000"), decimal(toHaiku, Counterfactual.SCENARIO_COST));
  }

  @Test
  void theTokenizerFactorScalesEachCountAndRoundsItHalfUp() {
    Row total = total(sheet("model:wide-tokenizer",
        row("a", "2026-11-03", "claude-sonnet-4-5", "standard", 3, 1, 0, 0),
        row("b", "2026-11-03", "claude-sonnet-4-5", "standard", 1, 2, 0, 0)), "model:wide-tokenizer");
    // a: 3 x 1.5 = 4.5 -> 5 and 1 x 1.5 = 1.5 -> 2; b: 1.5 -> 2 and 3 -> 3: (5 + 2 + 2 + 3) x 1 / 1e6
    assertEquals(new BigDecimal("0.000012000000"), decimal(total, Counterfactual.SCENARIO_COST));
    assertEquals(new BigDecimal("1.5000"), decimal(total, Counterfactual.TOKEN_RATIO));
  }

  @Test
  void aModelScenarioStacksWithBatch() {
    Row total = total(sheet("model:claude-haiku-4-5+batch",
        row("a", "2026-11-03", "claude-sonnet-4-5", "standard", 1000, 0, 0, 1000)), "model:claude-haiku-4-5+batch");
    // haiku at batch: 1000 x 1 x 0.5 + 1000 x 0.1 x 0.5 = 550
    assertEquals(new BigDecimal("0.000550000000"), decimal(total, Counterfactual.SCENARIO_COST));
  }

  @Test
  void rowsTheTargetCannotPriceAreCountedAndLeftOutOfBothSides() {
    Row total = total(sheet("model:late-model",
        row("a", "2026-11-03", "claude-sonnet-4-5", "standard", 1000, 0, 0, 0),
        row("b", "2026-11-12", "claude-sonnet-4-5", "standard", 1000, 0, 0, 0),
        row("c", "2026-11-12", "claude-opus-4-6", "standard", 1000, 0, 0, 0).replace("\"standard\"", "\"standard\",\"speed\":\"fast\"")),
        "model:late-model");
    // a: late-model has no rate on 2026-11-03; c: late-model has no fast price. Only b is compared: 3000 vs 2000.
    assertEquals(2L, total.getLong(total.fieldIndex(Counterfactual.ROWS_UNPRICED)));
    assertEquals(1L, total.getLong(total.fieldIndex(UsageAggregation.REQUESTS)));
    assertEquals(new BigDecimal("0.003000000000"), decimal(total, Counterfactual.ACTUAL_COST));
    assertEquals(new BigDecimal("0.002000000000"), decimal(total, Counterfactual.SCENARIO_COST));
  }

  @Test
  void eachScenarioTotalEqualsTheSumOfItsFeatureRows() {
    List<Row> sheet = sheet("batch,no-cache,model:claude-haiku-4-5",
        row("a", "2026-11-03", "claude-sonnet-4-5", "standard", 1000, 100, 10, 1000),
        row("b", "2026-11-04", "claude-opus-4-6", "standard", 2000, 300, 0, 50).replace("\"chat\"", "\"search\""),
        row("c", "2026-11-05", "claude-haiku-4-5", "batch", 7, 9, 0, 0).replace("\"chat\"", "\"search\""));
    for (String scenario : List.of("batch", "no-cache", "model:claude-haiku-4-5")) {
      List<Row> parts = sheet.stream().filter(r -> r.getString(3).equals(scenario) && !r.getString(0).equals("*")).toList();
      Row total = total(sheet, scenario);
      for (String column : List.of(Counterfactual.ACTUAL_COST, Counterfactual.SCENARIO_COST, Counterfactual.DELTA)) {
        BigDecimal sum = parts.stream().map(r -> decimal(r, column)).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertEquals(0, sum.compareTo(decimal(total, column)), scenario + " " + column);
      }
    }
  }

  @Test
  void theDefaultSetHasBatchNoCacheAndTheOtherModelsOfTheSameProviderInForce() {
    Period november = new Period(Optional.of(LocalDate.parse("2026-11-01")), Optional.of(LocalDate.parse("2026-11-05")));
    List<String> names = ScenarioParser.defaults(RATE_CARD, november).stream().map(Scenario::name).toList();
    assertEquals(List.of("batch", "no-cache", "model:claude-sonnet-4-5", "model:claude-haiku-4-5",
        "model:claude-opus-4-6", "model:wide-tokenizer"), names);
    List<Row> sheet = sheetOf(ScenarioParser.defaults(RATE_CARD, november),
        row("a", "2026-11-03", "claude-sonnet-4-5", "standard", 1000, 100, 0, 0));
    // the sonnet row is not compared with itself
    assertTrue(sheet.stream().noneMatch(r -> r.getString(2).equals("claude-sonnet-4-5")
        && r.getString(3).equals("model:claude-sonnet-4-5")));
  }

  @Test
  void theDefaultSetProposesOnlyModelsStillOfferedAtTheEndOfThePeriod() {
    Period toTheThird = new Period(Optional.of(LocalDate.parse("2026-11-01")), Optional.of(LocalDate.parse("2026-11-03")));
    Period toTheFourth = new Period(Optional.of(LocalDate.parse("2026-11-01")), Optional.of(LocalDate.parse("2026-11-04")));
    assertTrue(ScenarioParser.defaults(RATE_CARD, toTheThird).stream().anyMatch(s -> s.name().equals("model:retiring-model")));
    assertTrue(ScenarioParser.defaults(RATE_CARD, toTheFourth).stream().noneMatch(s -> s.name().equals("model:retiring-model")));
  }

  @Test
  void aRetiredModelAskedForByNameIsStillPricedAndTheRunSaysItIsRetired() {
    Period november = new Period(Optional.of(LocalDate.parse("2026-11-01")), Optional.of(LocalDate.parse("2026-11-05")));
    List<Scenario> scenarios = ScenarioParser.forRun(Optional.of("model:retiring-model,batch"), RATE_CARD, november);
    assertEquals(List.of("scenario model:retiring-model: anthropic/retiring-model is retired since 2026-11-04 (rate card);"
        + " its figures compare prices, no team can move to it"), ScenarioParser.retiredTargets(scenarios, november));
    // 1000 x 3 + 100 x 15 = 4500 on Sonnet; 1100 x 0.5 = 550 on the retired model; / 1e6
    Row total = total(sheet("model:retiring-model", row("a", "2026-11-03", "claude-sonnet-4-5", "standard", 1000, 100, 0, 0)),
        "model:retiring-model");
    assertEquals(new BigDecimal("0.000550000000"), decimal(total, Counterfactual.SCENARIO_COST));
    Period october = new Period(Optional.of(LocalDate.parse("2026-10-01")), Optional.of(LocalDate.parse("2026-10-31")));
    assertEquals(List.of(), ScenarioParser.retiredTargets(scenarios, october));
  }

  @Test
  void anUnknownScenarioOrModelIsAUsageErrorListingTheValidNames() {
    UsageException e = assertThrows(UsageException.class, () -> ScenarioParser.parse("batch,model:gpt-9", RATE_CARD));
    assertTrue(e.getMessage().startsWith("--scenarios: unknown scenario 'model:gpt-9' (valid: batch, no-cache, model:MODEL_ID"),
        e.getMessage());
    assertTrue(e.getMessage().contains("anthropic/claude-haiku-4-5"));
    assertThrows(UsageException.class, () -> ScenarioParser.parse("cheaper", RATE_CARD));
    assertTrue(assertThrows(UsageException.class, () -> ScenarioParser.parse("batch+batch", RATE_CARD)).getMessage()
        .contains("names 'batch' twice"));
    assertEquals("model:claude-haiku-4-5+batch",
        ScenarioParser.parse("batch+model:claude-haiku-4-5", RATE_CARD).get(0).name());
  }

  private static List<Row> sheet(String scenarios, String... lines) {
    return sheetOf(ScenarioParser.parse(scenarios, RATE_CARD), lines);
  }

  private static List<Row> sheetOf(List<Scenario> scenarios, String... lines) {
    return Sheets.of(RATE_CARD, scenarios, lines);
  }

  private static Row total(List<Row> sheet, String scenario) {
    return sheet.stream().filter(r -> r.getString(0).equals(Counterfactual.ALL) && r.getString(3).equals(scenario))
        .findFirst().orElseThrow(() -> new AssertionError("no total row for " + scenario + " in " + sheet));
  }

  private static Row feature(List<Row> sheet, String feature) {
    return sheet.stream().filter(r -> r.getString(0).equals(feature)).findFirst().orElseThrow();
  }

  private static BigDecimal decimal(Row row, String column) {
    return row.getDecimal(row.fieldIndex(column));
  }

  private static String row(String id, String day, String model, String tier, long input, long output, long write5m,
      long read) {
    return "{\"request_id\":\"" + id + "\",\"timestamp\":\"" + day + "T10:00:00Z\",\"feature\":\"chat\",\"model\":\""
        + model + "\",\"service_tier\":\"" + tier + "\",\"input_tokens\":" + input + ",\"output_tokens\":" + output
        + ",\"cache_write_5m_tokens\":" + write5m + ",\"cache_read_tokens\":" + read + "}";
  }

  @Test
  void anIdUnderSeveralProvidersMeansTheDefaultProvidersUnlessOneIsNamed() {
    RateCard card = TestCards.parse(CARD.replace("defaults:", ""
        + "  - provider: bedrock\n"
        + "    model: claude-haiku-4-5\n"
        + "    rates:\n"
        + "      - effective_from: 2025-10-01\n"
        + "        input: 0.80\n"
        + "        output: 4\n"
        + "defaults:"));
    assertEquals("anthropic", ScenarioParser.parse("model:claude-haiku-4-5", card).get(0).target().orElseThrow().provider());
    List<String> both = ScenarioParser.parse("model:claude-haiku-4-5,model:bedrock/claude-haiku-4-5", card).stream()
        .map(Scenario::name).toList();
    assertEquals(List.of("model:claude-haiku-4-5", "model:bedrock/claude-haiku-4-5"), both);
    assertEquals("bedrock",
        ScenarioParser.parse("model:bedrock/claude-haiku-4-5", card).get(0).target().orElseThrow().provider());
  }

  @Test
  void deltaPctIsEmptyWhereNothingWasSpent() {
    Row total = total(sheet("batch", row("a", "2026-11-03", "claude-sonnet-4-5", "standard", 0, 0, 0, 0)), "batch");
    assertNull(total.get(total.fieldIndex(Counterfactual.DELTA_PCT)));
  }
}
