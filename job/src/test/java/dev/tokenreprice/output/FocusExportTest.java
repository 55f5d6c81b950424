package dev.tokenreprice.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenreprice.testing.SharedSpark;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;

/** The FOCUS rows made from rollup rows, every figure worked out by hand. */
class FocusExportTest {
  /** Two rollup rows: Sonnet 4.5 with every kind of charge, and an OpenAI model with output only. */
  private static List<Row> rollup() {
    return SharedSpark.session().sql("SELECT * FROM VALUES"
        + " (DATE'2026-11-30', 'support-chat', 'anthropic', 'claude-sonnet-4-5', 2, 1000, 100, 200, 50, 4000, 3,"
        + "  CAST(0.003 AS DECIMAL(38, 12)), CAST(0.0015 AS DECIMAL(38, 12)), CAST(0.0009375 AS DECIMAL(38, 12)),"
        + "  CAST(0.0012 AS DECIMAL(38, 12)), CAST(0.03 AS DECIMAL(38, 12)), CAST(0.0366375 AS DECIMAL(38, 12))),"
        + " (DATE'2026-11-30', 'doc-qa', 'openai', 'gpt-5.4-mini', 1, 0, 1000, 0, 0, 0, 0,"
        + "  CAST(0 AS DECIMAL(38, 12)), CAST(0.0045 AS DECIMAL(38, 12)), CAST(0 AS DECIMAL(38, 12)),"
        + "  CAST(0 AS DECIMAL(38, 12)), CAST(0 AS DECIMAL(38, 12)), CAST(0.0045 AS DECIMAL(38, 12)))"
        + " AS t(day, feature, provider, model, requests, input_tokens, output_tokens, cache_write_5m_tokens,"
        + " cache_write_1h_tokens, cache_read_tokens, web_search_requests, input_cost, output_cost, cache_write_cost,"
        + " cache_read_cost, tool_cost, total_cost)").collectAsList();
  }

  @Test
  void eachRollupRowBecomesOneRowPerChargeKindItHasWithTheCardsCostAsListEffectiveAndBilledCost() {
    FocusExport export = new FocusExport(DataTypes.createDecimalType(38, 12), "USD");
    rollup().forEach(export);
    List<String> rows = export.rows().stream().map(row -> row.getAs(FocusExport.X_PROVIDER) + " "
        + row.getAs(FocusExport.X_CHARGE_KIND) + " " + row.getAs(FocusExport.CONSUMED_QUANTITY) + " "
        + row.getAs(FocusExport.PRICING_UNIT) + " " + ((BigDecimal) row.getAs(FocusExport.EFFECTIVE_COST)).toPlainString()
        + " " + row.getAs(FocusExport.SKU_METER)).toList();
    // The cache writes of both durations are one charge: 200 + 50 tokens; the OpenAI row has only output.
    assertEquals(List.of("anthropic input 1000 Tokens 0.003000000000 Input Tokens",
        "anthropic output 100 Tokens 0.001500000000 Output Tokens",
        "anthropic cache_write 250 Tokens 0.000937500000 Cache Write Input Tokens",
        "anthropic cache_read 4000 Tokens 0.001200000000 Cache Read Input Tokens",
        "anthropic per_use_fee 3 Requests 0.030000000000 Web Search Requests",
        "openai output 1000 Tokens 0.004500000000 Output Tokens"), rows);
    for (Row row : export.rows()) {
      Object cost = row.getAs(FocusExport.EFFECTIVE_COST);
      assertEquals(List.of(cost, cost, cost), List.of(row.getAs(FocusExport.LIST_COST),
          row.getAs(FocusExport.BILLED_COST), row.getAs(FocusExport.CONTRACTED_COST)));
    }
  }

  @Test
  void theChargePeriodIsTheUtcDayAndTheBillingPeriodItsCalendarMonth() {
    FocusExport export = new FocusExport(DataTypes.createDecimalType(38, 12), "USD");
    rollup().forEach(export);
    Row first = export.rows().get(0);
    assertEquals(List.of(Instant.parse("2026-11-30T00:00:00Z"), Instant.parse("2026-12-01T00:00:00Z"),
        Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-12-01T00:00:00Z")),
        List.of(first.getAs(FocusExport.CHARGE_PERIOD_START), first.getAs(FocusExport.CHARGE_PERIOD_END),
            first.getAs(FocusExport.BILLING_PERIOD_START), first.getAs(FocusExport.BILLING_PERIOD_END)));
    assertEquals(List.of("Anthropic", "support-chat", "claude-sonnet-4-5", "anthropic/claude-sonnet-4-5/input"),
        List.of(first.getAs(FocusExport.SERVICE_PROVIDER_NAME), first.getAs(FocusExport.X_FEATURE),
            first.getAs(FocusExport.SKU_ID), first.getAs(FocusExport.SKU_PRICE_ID)));
  }

  @Test
  void customColumnsStartWithXAndComeAfterEveryFocusColumn() {
    List<String> columns = new FocusExport(DataTypes.createDecimalType(38, 12), "USD").columns();
    int firstCustom = columns.indexOf(columns.stream().filter(name -> name.startsWith("x_")).findFirst().orElseThrow());
    assertTrue(columns.subList(firstCustom, columns.size()).stream().allMatch(name -> name.startsWith("x_")), columns.toString());
    assertTrue(columns.containsAll(FocusRules.ALL.stream().map(FocusRules::column).toList()), columns.toString());
  }

  @Test
  void theRuleCheckFindsANullWhereTheSpecForbidsItAValueNotAllowedAndANumberInENotation() {
    FocusExport export = new FocusExport(DataTypes.createDecimalType(38, 12), "USD");
    rollup().forEach(export);
    StringBuilder good = new StringBuilder(String.join(",", export.columns()));
    for (Row row : export.rows()) {
      good.append('\n');
      for (int i = 0; i < row.length(); i++) {
        good.append(i > 0 ? "," : "").append(CsvFile.field(row.get(i)));
      }
    }
    List<String> lines = List.of(good.toString().split("\n"));
    assertEquals(List.of(), FocusRulesCheck.csvProblems(lines));
    List<String> bad = new java.util.ArrayList<>(lines);
    bad.set(1, bad.get(1).replaceFirst("^0\\.003000000000,", ",").replace(",Usage,", ",Consumption,"));
    bad.set(2, bad.get(2).replaceFirst("^0\\.001500000000,", "1.5E-3,"));
    assertEquals(List.of("line 2, BilledCost: null where the spec forbids it",
        "line 2, ChargeCategory: not an allowed value: Consumption",
        "line 3, BilledCost: not a FOCUS number: 1.5E-3"), FocusRulesCheck.csvProblems(bad));
  }
}
