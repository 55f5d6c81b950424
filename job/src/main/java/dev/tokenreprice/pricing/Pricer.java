package dev.tokenreprice.pricing;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import dev.tokenreprice.input.CanonicalSchema;
import dev.tokenreprice.ratecard.Fee;
import dev.tokenreprice.ratecard.RateCardTables;
import java.util.Arrays;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;

/**
 * Turns token counts into exact USD costs: tokens times the per-token price of their kind, in decimal
 * arithmetic whose types never round. Pricing is linear, so the same expressions price one request or a
 * group of requests that share a price; the job prices groups, which divides by a million once per
 * group instead of once per row. Per-use fees (web searches) are uses times the rate's USD per use, the same
 * whatever the request's service tier, speed or region, summed into {@link PricingColumns#TOOL_COST}.
 */
public final class Pricer {
  /** Token sums fit in 18 digits; with per-token prices of DECIMAL(s, s) a product is DECIMAL(19 + s, s). */
  private static final DecimalType TOKEN_COUNT = DataTypes.createDecimalType(18, 0);
  /** Use sums fit in 15 digits; with fee prices of DECIMAL(s + 4, s) a product is DECIMAL(20 + s, s). */
  private static final DecimalType USE_COUNT = DataTypes.createDecimalType(15, 0);

  private Pricer() {}

  /**
   * Adds the cost columns of {@link PricingColumns} to rows (or groups) that carry the five token counts, the use
   * counts, {@link RateCardTables#PRICE_ID} and {@link PricingColumns#LONG_PROMPT}. Where a row has no price id, or
   * uses a fee its price does not price, {@code total_cost} is null: validation quarantines such rows, and the
   * counterfactual counts them as unpriced.
   */
  public static Dataset<Row> price(Dataset<Row> usage, RateCardTables card) {
    Dataset<Row> joined = usage.join(card.toJoin(card.unitPrices()),
        col(RateCardTables.PRICE_ID).equalTo(col(RateCardTables.UNIT_PRICE_ID))
            .and(col(PricingColumns.LONG_PROMPT).equalTo(col(RateCardTables.UNIT_LONG_PROMPT))),
        "left");
    return withCosts(joined, card.costScale())
        .drop(RateCardTables.UNIT_PRICE_ID, RateCardTables.UNIT_LONG_PROMPT);
  }

  /**
   * Adds the cost columns to rows that carry their unit prices ({@link RateCardTables#INPUT_PRICE} ... and each
   * fee's {@link RateCardTables#feePriceColumn}, null where there is no price) beside their counts, and drops the
   * prices: what {@link #price} does after its join, for rows whose prices were found otherwise.
   */
  public static Dataset<Row> withCosts(Dataset<Row> rows, int costScale) {
    DecimalType cost = costType(costScale);
    Column input = kindCost(CanonicalSchema.INPUT_TOKENS, RateCardTables.INPUT_PRICE, cost);
    Column output = kindCost(CanonicalSchema.OUTPUT_TOKENS, RateCardTables.OUTPUT_PRICE, cost);
    Column cacheWrite = kindCost(CanonicalSchema.CACHE_WRITE_5M_TOKENS, RateCardTables.CACHE_WRITE_5M_PRICE, cost)
        .plus(kindCost(CanonicalSchema.CACHE_WRITE_1H_TOKENS, RateCardTables.CACHE_WRITE_1H_PRICE, cost));
    Column cacheRead = kindCost(CanonicalSchema.CACHE_READ_TOKENS, RateCardTables.CACHE_READ_PRICE, cost);
    Column tools = lit(0).cast(cost);
    for (Fee fee : Fee.values()) {
      tools = tools.plus(feeCost(fee, cost));
    }
    return rows
        .withColumn(PricingColumns.INPUT_COST, input)
        .withColumn(PricingColumns.OUTPUT_COST, output)
        .withColumn(PricingColumns.CACHE_WRITE_COST, cacheWrite.cast(cost))
        .withColumn(PricingColumns.CACHE_READ_COST, cacheRead)
        .withColumn(PricingColumns.TOOL_COST, tools.cast(cost))
        .withColumn(PricingColumns.TOTAL_COST, col(PricingColumns.INPUT_COST).plus(col(PricingColumns.OUTPUT_COST))
            .plus(col(PricingColumns.CACHE_WRITE_COST)).plus(col(PricingColumns.CACHE_READ_COST))
            .plus(col(PricingColumns.TOOL_COST)).cast(cost))
        .drop(RateCardTables.INPUT_PRICE, RateCardTables.OUTPUT_PRICE, RateCardTables.CACHE_WRITE_5M_PRICE,
            RateCardTables.CACHE_WRITE_1H_PRICE, RateCardTables.CACHE_READ_PRICE)
        .drop(Arrays.stream(Fee.values()).map(RateCardTables::feePriceColumn).toArray(String[]::new));
  }

  /** Uses times USD per use; no uses cost nothing even where the rate prices no such fee. */
  private static Column feeCost(Fee fee, DecimalType cost) {
    Column uses = col(fee.countColumn());
    return when(uses.equalTo(0), lit(0).cast(cost))
        .otherwise(uses.cast(USE_COUNT).multiply(col(RateCardTables.feePriceColumn(fee))).cast(cost));
  }

  /**
   * The type of one cost: up to 10^10 USD in one group, exact to the card's scale. Sums of five such
   * values stay below 38 digits, so Spark never trims their scale.
   */
  public static DecimalType costType(int scale) {
    return DataTypes.createDecimalType(28, scale);
  }

  private static Column kindCost(String tokens, String unitPrice, DecimalType cost) {
    return col(tokens).cast(TOKEN_COUNT).multiply(col(unitPrice)).cast(cost);
  }
}
