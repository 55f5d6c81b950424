package dev.tokenreprice.rollup;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tokenreprice.cli.Period;
import dev.tokenreprice.input.CanonicalSchema;
import dev.tokenreprice.pricing.Pricer;
import dev.tokenreprice.pricing.PricingColumns;
import dev.tokenreprice.ratecard.RateCardTables;
import dev.tokenreprice.testing.Logs;
import dev.tokenreprice.testing.SharedSpark;
import dev.tokenreprice.testing.TestCards;
import dev.tokenreprice.validate.Validation;
import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RollupTest {
  private static RateCardTables card;

  @BeforeAll
  static void card() {
    card = TestCards.smallCardTables();
  }

  @Test
  void tenMillionSingleCacheReadTokensAtThirtyCentsSumToExactlyThreeDollars() {
    Dataset<Row> logs = SharedSpark.session().range(10_000_000L).select(normalizedRow(
        "claude-sonnet-4-5", "2026-11-03", 0, 0, 1).toArray(Column[]::new));
    Row total = rollUp(logs).collectAsList().get(0);
    assertEquals(10_000_000L, total.getLong(total.fieldIndex(UsageAggregation.REQUESTS)));
    assertEquals(new BigDecimal("3.000000000000"), total.getDecimal(total.fieldIndex(PricingColumns.TOTAL_COST)));
  }

  @Test
  void theRollupSumsRequestsOfOneDayFeatureAndModelAcrossPricesAndKeepsAtLeastTwelveDecimals() {
    Dataset<Row> rollup = rollUp(Logs.fromJsonLines(
        row("a", "chat", "claude-sonnet-4-5", "standard", 1000, 100),
        row("b", "chat", "claude-sonnet-4-5-20250929", "batch", 1000, 100),
        row("c", "chat", "claude-sonnet-4-5", "standard", 300000, 0),
        row("d", "search", "claude-sonnet-4-5", "standard", 1, 0)));
    DecimalType costType = (DecimalType) rollup.schema().apply(PricingColumns.TOTAL_COST).dataType();
    assertEquals(12, costType.scale());
    List<Row> rows = rollup.orderBy(col(CanonicalSchema.FEATURE)).collectAsList();
    assertEquals(2, rows.size());
    Row chat = rows.get(0);
    assertEquals(3L, chat.getLong(chat.fieldIndex(UsageAggregation.REQUESTS)));
    assertEquals(301000L + 1000L, chat.getLong(chat.fieldIndex(CanonicalSchema.INPUT_TOKENS)));
    // a: 1000 x 3 + 100 x 15 = 4500; b: half of a = 2250; c (long prompt): 300000 x 6 = 1800000; all / 1e6
    // input alone: 3000 + 1500 + 1800000
    assertEquals(new BigDecimal("1.806750000000"), chat.getDecimal(chat.fieldIndex(PricingColumns.TOTAL_COST)));
    assertEquals(new BigDecimal("1.804500000000"), chat.getDecimal(chat.fieldIndex(PricingColumns.INPUT_COST)));
    assertEquals(Rollup.COLUMNS, List.of(rollup.columns()));
  }

  @Test
  void totalsHaveEveryLevelAndTheGrandTotalEqualsTheSumOfTheRollup() {
    Dataset<Row> rollup = rollUp(Logs.fromJsonLines(
        row("a", "chat", "claude-sonnet-4-5", "standard", 1000, 100),
        row("b", "search", "claude-opus-4-6", "standard", 1000, 100),
        row("c", "search", "claude-opus-4-6", "standard", 7, 3).replace("2026-11-03", "2026-11-04")));
    Totals tally = new Totals(rollup.schema(), card.costScale());
    rollup.collectAsList().forEach(tally);
    List<Row> totals = tally.inOrder();
    long days = totals.stream().filter(r -> r.getString(0).equals(Totals.LEVEL_DAY)).count();
    long features = totals.stream().filter(r -> r.getString(0).equals(Totals.LEVEL_FEATURE)).count();
    long models = totals.stream().filter(r -> r.getString(0).equals(Totals.LEVEL_MODEL)).count();
    Row grand = totals.stream().filter(r -> r.getString(0).equals(Totals.LEVEL_TOTAL)).findFirst().orElseThrow();
    assertEquals(List.of(2L, 2L, 2L), List.of(days, features, models));
    // 0.0045 + (1000 x 5 + 100 x 25) / 1e6 + (7 x 5 + 3 x 25) / 1e6
    assertEquals(new BigDecimal("0.012110000000"), grand.getDecimal(grand.fieldIndex(PricingColumns.TOTAL_COST)));
    assertEquals(3L, grand.getLong(grand.fieldIndex(UsageAggregation.REQUESTS)));
    assertEquals(Totals.COLUMNS, List.of(totals.get(0).schema().fieldNames()));
  }

  @Test
  void totalsComeInSparksOrderOfTextWhichIsByUtf8BytesNotByJavaChars() {
    // U+1F600 is a surrogate pair in Java (D83D DE00, before U+FF21) but F0 9F 98 80 in UTF-8 (after EF BC A1).
    List<String> features = List.of("\uD83D\uDE00", "\uFF21", "z", "Z", "\u00E9");
    StringBuilder values = new StringBuilder();
    for (String feature : features) {
      values.append(values.length() == 0 ? "" : ", ").append("(DATE'2026-11-03', '").append(feature)
          .append("', 'anthropic', 'claude-sonnet-4-5', 1L").append(", 1L".repeat(CanonicalSchema.COUNT_COLUMNS.size()))
          .append(", CAST('0.5' AS DECIMAL(38, 12))".repeat(Rollup.COST_COLUMNS.size())).append(")");
    }
    Dataset<Row> rollup = SharedSpark.session().sql("SELECT * FROM VALUES " + values + " AS rollup("
        + String.join(", ", Rollup.COLUMNS) + ")");
    Totals tally = new Totals(rollup.schema(), card.costScale());
    rollup.collectAsList().forEach(tally);
    List<String> inTotals = tally.inOrder().stream().filter(r -> r.getString(0).equals(Totals.LEVEL_FEATURE))
        .map(r -> r.<String>getAs(CanonicalSchema.FEATURE)).toList();
    List<String> sparksOrder = rollup.select(col(CanonicalSchema.FEATURE)).orderBy(col(CanonicalSchema.FEATURE))
        .collectAsList().stream().map(r -> r.getString(0)).toList();
    assertEquals(sparksOrder, inTotals);
    assertEquals(List.of("Z", "z", "\u00E9", "\uFF21", "\uD83D\uDE00"), inTotals);
  }

  private static Dataset<Row> rollUp(Dataset<Row> logs) {
    Dataset<Row> usage = UsageAggregation.byStatusAndPrice(Validation.classify(logs, card, Period.ALL_DAYS));
    return Rollup.of(Pricer.price(UsageAggregation.priced(usage), card), card.costScale());
  }

  private static String row(String id, String feature, String model, String tier, long input, long output) {
    return "{\"request_id\":\"" + id + "\",\"timestamp\":\"2026-11-03T10:00:00Z\",\"feature\":\"" + feature
        + "\",\"model\":\"" + model + "\",\"service_tier\":\"" + tier + "\",\"input_tokens\":" + input
        + ",\"output_tokens\":" + output + "}";
  }

  /** A normalized row built without JSON, for data sizes where parsing would dominate the test. */
  private static List<Column> normalizedRow(String model, String day, long input, long output, long cacheRead) {
    return List.of(
        lit("memory").as(CanonicalSchema.SOURCE_FILE),
        lit("").as(CanonicalSchema.RAW_RECORD),
        lit(null).cast(DataTypes.StringType).as(CanonicalSchema.MALFORMED_DETAIL),
        lit(null).cast(DataTypes.StringType).as(CanonicalSchema.SKIPPED_AS),
        lit(true).as(CanonicalSchema.HAS_TIMESTAMP),
        lit(Timestamp.valueOf(day + " 12:00:00")).as(CanonicalSchema.EVENT_TIME),
        lit(Date.valueOf(day)).as(CanonicalSchema.DAY),
        lit(null).cast(DataTypes.StringType).as(CanonicalSchema.REQUEST_ID),
        lit(CanonicalSchema.OWN_USAGE).as(CanonicalSchema.USAGE_PART),
        lit("anthropic").as(CanonicalSchema.PROVIDER),
        lit(model).as(CanonicalSchema.MODEL),
        lit("bulk").as(CanonicalSchema.FEATURE),
        lit("standard").as(CanonicalSchema.SERVICE_TIER),
        lit("standard").as(CanonicalSchema.SPEED),
        lit("global").as(CanonicalSchema.INFERENCE_GEO),
        lit(input).as(CanonicalSchema.INPUT_TOKENS),
        lit(output).as(CanonicalSchema.OUTPUT_TOKENS),
        lit(0L).as(CanonicalSchema.CACHE_WRITE_5M_TOKENS),
        lit(0L).as(CanonicalSchema.CACHE_WRITE_1H_TOKENS),
        lit(cacheRead).as(CanonicalSchema.CACHE_READ_TOKENS),
        lit(0L).as(CanonicalSchema.WEB_SEARCH_REQUESTS));
  }
}
