package dev.tokenreprice.counterfactual;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.tokenreprice.input.CanonicalSchema;
import dev.tokenreprice.pricing.Pricer;
import dev.tokenreprice.pricing.PricingColumns;
import dev.tokenreprice.ratecard.RateCardTables;
import dev.tokenreprice.rollup.Rollup;
import dev.tokenreprice.rollup.UsageAggregation;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;

/**
 * Prices the run's usage groups under each scenario and compares with what they did cost. It works on
 * the aggregated usage of the single pass (groups that share a day, feature, model, price and the
 * per-request facts of {@link RequestFacts}), so the logs are not read again per scenario.
 * A group the scenario cannot price (no rate of the target that day, an option value the target does
 * not price, or web searches where the target's rate prices no web search fee) is counted in
 * {@code rows_unpriced} and left out of both costs. Per-use fees are part of both costs: the same uses, at the
 * fee of the scenario's rate, which batch and no-cache leave as they are (fees take no modifier).
 */
public final class Counterfactual {
  public static final String SCENARIO = "scenario";
  public static final String ACTUAL_COST = "actual_cost";
  public static final String SCENARIO_COST = "scenario_cost";
  public static final String DELTA = "delta";
  public static final String DELTA_PCT = "delta_pct";
  public static final String ROWS_UNPRICED = "rows_unpriced";
  public static final String TOKEN_RATIO = "token_ratio";
  /** The part of actual_cost and of scenario_cost that is per-use fees (web searches). */
  public static final String ACTUAL_TOOL_COST = "actual_tool_cost";
  public static final String SCENARIO_TOOL_COST = "scenario_tool_cost";
  /** Feature, provider and model of a scenario's total row. */
  public static final String ALL = "*";

  /**
   * Columns of {@code counterfactual.csv}, in order; {@code token_ratio} says which tokenizer factor was used, the
   * tool costs (added last, so the earlier columns keep their places) which part of each cost is per-use fees.
   */
  public static final List<String> SHEET_COLUMNS = List.of(CanonicalSchema.FEATURE, CanonicalSchema.PROVIDER,
      UsageAggregation.MODEL, SCENARIO, UsageAggregation.REQUESTS, ACTUAL_COST, SCENARIO_COST, DELTA, DELTA_PCT,
      ROWS_UNPRICED, TOKEN_RATIO, ACTUAL_TOOL_COST, SCENARIO_TOOL_COST);
  /** Columns of the day-grain Parquet, {@code day} first. */
  public static final List<String> DAY_COLUMNS = prepend(CanonicalSchema.DAY, SHEET_COLUMNS);

  private Counterfactual() {}

  /**
   * One row per day, feature, provider, model and scenario, from the priced usage groups of the one pass and the
   * scenarios' prices: every group once per scenario that applies to its price (a join with {@code scenarioPrices},
   * rows not columns), re-priced with the scenario's price, tokens and cache use.
   */
  public static Dataset<Row> byDay(Dataset<Row> pricedUsage, Dataset<Row> scenarioPrices, RequestFacts facts,
      RateCardTables card) {
    int scale = card.costScale();
    Dataset<Row> actual = Pricer.price(pricedUsage, card)
        .withColumnRenamed(PricingColumns.TOTAL_COST, ACTUAL_COST)
        .withColumnRenamed(PricingColumns.TOOL_COST, ACTUAL_TOOL_COST)
        .drop(PricingColumns.INPUT_COST, PricingColumns.OUTPUT_COST, PricingColumns.CACHE_WRITE_COST,
            PricingColumns.CACHE_READ_COST);
    Dataset<Row> perScenario = actual.join(card.toJoin(scenarioPrices),
        col(RateCardTables.PRICE_ID).equalTo(col(ScenarioPrices.SOURCE_PRICE_ID))
            .and(ScenarioPrices.inForceOn(col(CanonicalSchema.DAY))), "inner");
    Dataset<Row> repriced = Pricer.withCosts(onScenario(perScenario, facts), scale);
    // A null total: no price that day or for those options, or a fee (web searches) the target's rate does not price.
    Column priced = col(PricingColumns.TOTAL_COST).isNotNull();
    DecimalType costType = Pricer.costType(scale);
    Column zero = lit(0).cast(costType);
    Dataset<Row> all = repriced.select(col(CanonicalSchema.DAY), col(CanonicalSchema.FEATURE),
        col(CanonicalSchema.PROVIDER), col(UsageAggregation.MODEL), col(SCENARIO),
        when(priced, col(UsageAggregation.REQUESTS)).otherwise(lit(0L)).as(UsageAggregation.REQUESTS),
        when(priced, col(ACTUAL_COST)).otherwise(zero).as(ACTUAL_COST),
        when(priced, col(PricingColumns.TOTAL_COST)).otherwise(zero).as(SCENARIO_COST),
        when(priced, lit(0L)).otherwise(col(UsageAggregation.REQUESTS)).as(ROWS_UNPRICED),
        when(priced, col(ACTUAL_TOOL_COST)).otherwise(zero).as(ACTUAL_TOOL_COST),
        when(priced, col(PricingColumns.TOOL_COST)).otherwise(zero).as(SCENARIO_TOOL_COST),
        col(TOKEN_RATIO));
    DecimalType sumType = sumType(scale);
    Dataset<Row> byDay = all
        .groupBy(col(CanonicalSchema.DAY), col(CanonicalSchema.FEATURE), col(CanonicalSchema.PROVIDER),
            col(UsageAggregation.MODEL), col(SCENARIO))
        .agg(sum(UsageAggregation.REQUESTS).as(UsageAggregation.REQUESTS),
            sum(ACTUAL_COST).cast(sumType).as(ACTUAL_COST),
            sum(SCENARIO_COST).cast(sumType).as(SCENARIO_COST),
            sum(ROWS_UNPRICED).as(ROWS_UNPRICED),
            sum(ACTUAL_TOOL_COST).cast(sumType).as(ACTUAL_TOOL_COST),
            sum(SCENARIO_TOOL_COST).cast(sumType).as(SCENARIO_TOOL_COST),
            // One value per model and scenario: the target's factor over the model's.
            max(TOKEN_RATIO).as(TOKEN_RATIO));
    return withDelta(byDay, scale).select(DAY_COLUMNS.stream().map(name -> col(name)).toArray(Column[]::new));
  }

  /**
   * Each (usage group, scenario) row as the scenario would have it: the scenario's price, the token counts on the
   * target's tokenizer and its long-prompt flag there (the group's own without a target), and with no-cache every
   * cached token as plain input.
   */
  private static Dataset<Row> onScenario(Dataset<Row> perScenario, RequestFacts facts) {
    Column hasTarget = col(ScenarioPrices.HAS_TARGET);
    Column factor = col(ScenarioPrices.FACTOR_INDEX);
    Column thresholds = col(ScenarioPrices.THRESHOLDS_TO_PASS);
    Column longPrompt = when(hasTarget, when(thresholds.isNull(), lit(false)).otherwise(facts.longOn(factor, thresholds)))
        .otherwise(col(PricingColumns.LONG_PROMPT));
    Dataset<Row> rows = perScenario.withColumn(PricingColumns.LONG_PROMPT, longPrompt);
    // The scenario's unit prices of the tier the request is on there.
    for (String price : ScenarioPrices.PRICE_COLUMNS.subList(0, ScenarioPrices.TOKEN_PRICES)) {
      rows = rows.withColumn(price, when(col(PricingColumns.LONG_PROMPT), col(ScenarioPrices.LONG + price))
          .otherwise(col(price)));
    }
    // Only token counts move to the target's tokenizer; the number of web searches stays what it was.
    for (String tokens : CanonicalSchema.TOKEN_COLUMNS) {
      rows = rows.withColumn(tokens, when(hasTarget, facts.tokensOn(factor, tokens)).otherwise(col(tokens)));
    }
    Column prompt = col(CanonicalSchema.INPUT_TOKENS).plus(col(CanonicalSchema.CACHE_WRITE_5M_TOKENS))
        .plus(col(CanonicalSchema.CACHE_WRITE_1H_TOKENS)).plus(col(CanonicalSchema.CACHE_READ_TOKENS));
    Column noCache = col(ScenarioPrices.NO_CACHE);
    rows = rows.withColumn(CanonicalSchema.INPUT_TOKENS, when(noCache, prompt).otherwise(col(CanonicalSchema.INPUT_TOKENS)));
    for (String cache : List.of(CanonicalSchema.CACHE_WRITE_5M_TOKENS, CanonicalSchema.CACHE_WRITE_1H_TOKENS,
        CanonicalSchema.CACHE_READ_TOKENS)) {
      rows = rows.withColumn(cache, when(noCache, lit(0L)).otherwise(col(cache)));
    }
    return rows;
  }

  /** The sheet: the day rows summed over the period per feature, provider, model and scenario, then one total per scenario. */
  public static Dataset<Row> sheet(Dataset<Row> byDay, int costScale) {
    DecimalType sumType = sumType(costScale);
    Column[] sums = {
        sum(ACTUAL_COST).cast(sumType).as(ACTUAL_COST),
        sum(SCENARIO_COST).cast(sumType).as(SCENARIO_COST),
        sum(ROWS_UNPRICED).as(ROWS_UNPRICED),
        when(min(TOKEN_RATIO).equalTo(max(TOKEN_RATIO)), min(TOKEN_RATIO)).as(TOKEN_RATIO),
        sum(ACTUAL_TOOL_COST).cast(sumType).as(ACTUAL_TOOL_COST),
        sum(SCENARIO_TOOL_COST).cast(sumType).as(SCENARIO_TOOL_COST)};
    Dataset<Row> perModel = byDay
        .groupBy(col(CanonicalSchema.FEATURE), col(CanonicalSchema.PROVIDER), col(UsageAggregation.MODEL), col(SCENARIO))
        .agg(sum(UsageAggregation.REQUESTS).as(UsageAggregation.REQUESTS), sums);
    Dataset<Row> totals = byDay.groupBy(col(SCENARIO))
        .agg(sum(UsageAggregation.REQUESTS).as(UsageAggregation.REQUESTS), sums)
        .withColumn(CanonicalSchema.FEATURE, lit(ALL))
        .withColumn(CanonicalSchema.PROVIDER, lit(ALL))
        .withColumn(UsageAggregation.MODEL, lit(ALL));
    return withDelta(perModel.unionByName(totals), costScale)
        .select(SHEET_COLUMNS.stream().map(name -> col(name)).toArray(Column[]::new));
  }

  /** delta = scenario - actual; delta_pct relative to actual with two decimals, null where actual is 0. */
  private static Dataset<Row> withDelta(Dataset<Row> costs, int scale) {
    Column actual = col(ACTUAL_COST);
    Column delta = col(SCENARIO_COST).minus(actual);
    Column pct = round(col(DELTA).cast(DataTypes.createDecimalType(30, scale)).multiply(lit(100).cast(DataTypes.createDecimalType(3, 0)))
        .divide(actual.cast(DataTypes.createDecimalType(30, scale))), 2).cast(DataTypes.createDecimalType(24, 2));
    return costs
        .withColumn(DELTA, delta.cast(Rollup.outputCostType(scale)))
        .withColumn(DELTA_PCT, when(actual.notEqual(0), pct));
  }

  /** Sums stay two digits short of the widest decimal so that their difference keeps its scale. */
  private static DecimalType sumType(int scale) {
    return DataTypes.createDecimalType(36, scale);
  }

  private static List<String> prepend(String first, List<String> rest) {
    List<String> all = new ArrayList<>();
    all.add(first);
    all.addAll(rest);
    return List.copyOf(all);
  }
}
