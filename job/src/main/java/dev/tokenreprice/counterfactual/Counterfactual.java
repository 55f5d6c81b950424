package dev.tokenreprice.counterfactual;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.tokenreprice.input.CanonicalSchema;
import dev.tokenreprice.pricing.Pricer;
import dev.tokenreprice.pricing.PricingColumns;
import dev.tokenreprice.pricing.RateLookup;
import dev.tokenreprice.ratecard.CardModel;
import dev.tokenreprice.ratecard.PricingOption;
import dev.tokenreprice.ratecard.RateCardTables;
import dev.tokenreprice.rollup.Rollup;
import dev.tokenreprice.rollup.UsageAggregation;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructType;

/**
 * Prices the run's usage groups under each scenario and compares with what they did cost. It works on
 * the aggregated usage of the single pass (groups that share a day, feature, model, price and the
 * per-request facts of {@link ScenarioColumns}), so the logs are not read again per scenario.
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

  private static final String SCENARIO_INDEX = "cf_index";
  private static final String TARGET_KEY = "cf_target_key";
  private static final String TARGET_PROVIDER = "cf_target_provider";
  private static final String TARGET_MODEL = "cf_target_model";
  private static final String BATCH = "cf_batch";
  private static final String NO_CACHE = "cf_no_cache";
  private static final String SAME_PROVIDER_ONLY = "cf_same_provider_only";
  private static final String RATE = "cf_rate_id";
  private static final String TARGET_RATE = "cf_target_rate_id";
  private static final String TIER = "cf_service_tier";
  private static final int RATIO_SCALE = 4;

  private Counterfactual() {}

  /** One row per day, feature, provider, model and scenario. */
  public static Dataset<Row> byDay(Dataset<Row> pricedUsage, ScenarioColumns columns, RateCardTables card) {
    int scale = card.costScale();
    Dataset<Row> actual = withOptions(Pricer.price(pricedUsage, card), card)
        .withColumnRenamed(PricingColumns.TOTAL_COST, ACTUAL_COST)
        .withColumnRenamed(PricingColumns.TOOL_COST, ACTUAL_TOOL_COST)
        .drop(PricingColumns.INPUT_COST, PricingColumns.OUTPUT_COST, PricingColumns.CACHE_WRITE_COST,
            PricingColumns.CACHE_READ_COST);
    // Every usage group once per scenario: one plan, whatever the number of scenarios.
    Dataset<Row> perScenario = actual.crossJoin(broadcast(scenarioTable(columns, card)))
        .filter(not(col(SAME_PROVIDER_ONLY))
            .or(col(CanonicalSchema.PROVIDER).equalTo(col(TARGET_PROVIDER))
                .and(col(UsageAggregation.MODEL).notEqual(col(TARGET_MODEL)))));
    Dataset<Row> all = priceScenarios(perScenario, columns, card);
    DecimalType sumType = sumType(scale);
    Dataset<Row> byDay = all
        .groupBy(col(CanonicalSchema.DAY), col(CanonicalSchema.FEATURE), col(CanonicalSchema.PROVIDER),
            col(UsageAggregation.MODEL), col(SCENARIO))
        .agg(sum(UsageAggregation.REQUESTS).as(UsageAggregation.REQUESTS),
            sum(ACTUAL_COST).cast(sumType).as(ACTUAL_COST),
            sum(SCENARIO_COST).cast(sumType).as(SCENARIO_COST),
            sum(ROWS_UNPRICED).as(ROWS_UNPRICED),
            sum(ACTUAL_TOOL_COST).cast(sumType).as(ACTUAL_TOOL_COST),
            sum(SCENARIO_TOOL_COST).cast(sumType).as(SCENARIO_TOOL_COST));
    Dataset<Row> ratios = tokenRatios(columns, card);
    return withDelta(byDay.join(broadcast(ratios),
        byDay.col(CanonicalSchema.PROVIDER).equalTo(ratios.col("ratio_provider"))
            .and(byDay.col(UsageAggregation.MODEL).equalTo(ratios.col("ratio_model")))
            .and(byDay.col(SCENARIO).equalTo(ratios.col("ratio_scenario"))), "left"), scale)
        .select(DAY_COLUMNS.stream().map(name -> col(name)).toArray(Column[]::new));
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

  /** The scenarios as a small table: what each changes, and for {@code model:} scenarios which model. */
  private static Dataset<Row> scenarioTable(ScenarioColumns columns, RateCardTables card) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < columns.scenarios().size(); i++) {
      Scenario scenario = columns.scenarios().get(i);
      Optional<CardModel> target = scenario.target();
      rows.add(RowFactory.create(i, scenario.name(), target.map(card::modelKey).orElse(null),
          target.map(CardModel::provider).orElse(null), target.map(CardModel::model).orElse(null),
          scenario.batch(), scenario.noCache(), scenario.sameProviderOnly()));
    }
    StructType schema = new StructType()
        .add(SCENARIO_INDEX, DataTypes.IntegerType, false)
        .add(SCENARIO, DataTypes.StringType, false)
        .add(TARGET_KEY, DataTypes.IntegerType, true)
        .add(TARGET_PROVIDER, DataTypes.StringType, true)
        .add(TARGET_MODEL, DataTypes.StringType, true)
        .add(BATCH, DataTypes.BooleanType, false)
        .add(NO_CACHE, DataTypes.BooleanType, false)
        .add(SAME_PROVIDER_ONLY, DataTypes.BooleanType, false);
    return card.modelNames().sparkSession().createDataFrame(rows, schema);
  }

  /** Re-prices each (usage group, scenario) pair with the scenario's model, tier, tokens and cache use. */
  private static Dataset<Row> priceScenarios(Dataset<Row> perScenario, ScenarioColumns columns, RateCardTables card) {
    Column hasTarget = col(TARGET_KEY).isNotNull();
    Column tier = when(col(BATCH).and(col(TIER).equalTo(PricingOption.SERVICE_TIER.defaultValue())), lit("batch"))
        .otherwise(col(TIER));
    Column day = col(CanonicalSchema.DAY);
    Dataset<Row> rows = perScenario
        .withColumn(TIER, tier)
        .join(broadcast(card.ratePeriods().select(col(RateCardTables.PERIOD_MODEL_KEY), col(RateCardTables.RATE_ID).as(TARGET_RATE),
                col(RateCardTables.EFFECTIVE_FROM), col(RateCardTables.EFFECTIVE_UNTIL))),
            col(TARGET_KEY).equalTo(col(RateCardTables.PERIOD_MODEL_KEY)).and(RateLookup.inForceOn(day)),
            "left")
        .withColumn(RATE, when(hasTarget, col(TARGET_RATE)).otherwise(col(RATE)))
        .withColumn(PricingColumns.LONG_PROMPT, when(hasTarget, perScenarioValue(columns,
            i -> hasTarget(columns, i) && columns.hasLongTier(target(columns, i))
                ? col(columns.longPromptColumn(i)) : lit(false), lit(false))).otherwise(col(PricingColumns.LONG_PROMPT)));
    // Only token counts move to the target's tokenizer; the number of web searches stays what it was.
    for (String tokens : CanonicalSchema.TOKEN_COLUMNS) {
      rows = rows.withColumn(tokens, perScenarioValue(columns,
          i -> hasTarget(columns, i) && columns.needsScaling(target(columns, i))
              ? col(columns.scaledColumn(i, tokens)) : col(tokens), col(tokens)));
    }
    Column prompt = col(CanonicalSchema.INPUT_TOKENS).plus(col(CanonicalSchema.CACHE_WRITE_5M_TOKENS))
        .plus(col(CanonicalSchema.CACHE_WRITE_1H_TOKENS)).plus(col(CanonicalSchema.CACHE_READ_TOKENS));
    Column noCache = col(NO_CACHE);
    rows = rows.withColumn(CanonicalSchema.INPUT_TOKENS, when(noCache, prompt).otherwise(col(CanonicalSchema.INPUT_TOKENS)));
    for (String cache : List.of(CanonicalSchema.CACHE_WRITE_5M_TOKENS, CanonicalSchema.CACHE_WRITE_1H_TOKENS,
        CanonicalSchema.CACHE_READ_TOKENS)) {
      rows = rows.withColumn(cache, when(noCache, lit(0L)).otherwise(col(cache)));
    }

    Dataset<Row> resolved = rows.drop(RateCardTables.PRICE_ID)
        .join(broadcast(card.rateOptions()), RateLookup.optionsMatch(col(RATE), col(TIER)), "left");

    DecimalType costType = Pricer.costType(card.costScale());
    Dataset<Row> repriced = Pricer.price(resolved.filter(col(RateCardTables.PRICE_ID).isNotNull()), card);
    // A null total is a fee (web searches) the target's rate does not price: unpriced like a missing rate.
    Dataset<Row> priced = repriced.filter(col(PricingColumns.TOTAL_COST).isNotNull())
        .select(col(CanonicalSchema.DAY), col(CanonicalSchema.FEATURE), col(CanonicalSchema.PROVIDER),
            col(UsageAggregation.MODEL), col(SCENARIO), col(UsageAggregation.REQUESTS), col(ACTUAL_COST),
            col(PricingColumns.TOTAL_COST).as(SCENARIO_COST), lit(0L).as(ROWS_UNPRICED), col(ACTUAL_TOOL_COST),
            col(PricingColumns.TOOL_COST).as(SCENARIO_TOOL_COST));
    Column[] unpricedColumns = {col(CanonicalSchema.DAY), col(CanonicalSchema.FEATURE), col(CanonicalSchema.PROVIDER),
        col(UsageAggregation.MODEL), col(SCENARIO), lit(0L).as(UsageAggregation.REQUESTS),
        lit(0).cast(costType).as(ACTUAL_COST), lit(0).cast(costType).as(SCENARIO_COST),
        col(UsageAggregation.REQUESTS).as(ROWS_UNPRICED), lit(0).cast(costType).as(ACTUAL_TOOL_COST),
        lit(0).cast(costType).as(SCENARIO_TOOL_COST)};
    Dataset<Row> unpriced = resolved.filter(col(RateCardTables.PRICE_ID).isNull()).select(unpricedColumns)
        .unionByName(repriced.filter(col(PricingColumns.TOTAL_COST).isNull()).select(unpricedColumns));
    return priced.unionByName(unpriced);
  }

  /** CASE scenario_index WHEN i THEN value(i) ... ELSE otherwise, listing only scenarios whose value differs. */
  private static Column perScenarioValue(ScenarioColumns columns, IntFunction<Column> value, Column otherwise) {
    Column result = null;
    for (int i = 0; i < columns.scenarios().size(); i++) {
      Column v = value.apply(i);
      if (v.equals(otherwise)) {
        continue;
      }
      Column when = col(SCENARIO_INDEX).equalTo(i);
      result = result == null ? when(when, v) : result.when(when, v);
    }
    return result == null ? otherwise : result.otherwise(otherwise);
  }

  private static boolean hasTarget(ScenarioColumns columns, int i) {
    return columns.scenarios().get(i).target().isPresent();
  }

  private static CardModel target(ScenarioColumns columns, int i) {
    return columns.scenarios().get(i).target().orElseThrow();
  }

  /** Adds the rate and option values each price id stands for, so a scenario can change one of them. */
  private static Dataset<Row> withOptions(Dataset<Row> usage, RateCardTables card) {
    Dataset<Row> options = card.rateOptions().select(
        col(RateCardTables.OPTION_RATE_ID).as(RATE),
        col(RateCardTables.optionColumn(PricingOption.SERVICE_TIER)).as(TIER),
        col(RateCardTables.optionColumn(PricingOption.SPEED)).as(PricingOption.SPEED.column()),
        col(RateCardTables.optionColumn(PricingOption.INFERENCE_GEO)).as(PricingOption.INFERENCE_GEO.column()),
        col(RateCardTables.PRICE_ID).as("cf_price_id"));
    return usage.join(broadcast(options), col(RateCardTables.PRICE_ID).equalTo(col("cf_price_id")), "inner")
        .drop("cf_price_id");
  }

  /** Target over source tokens per reference token, per provider, model and scenario, worked out on the driver. */
  private static Dataset<Row> tokenRatios(ScenarioColumns columns, RateCardTables card) {
    List<Row> rows = new ArrayList<>();
    for (Scenario scenario : columns.scenarios()) {
      for (CardModel source : card.card().models()) {
        BigDecimal ratio = scenario.target()
            .map(target -> target.tokensPerReferenceToken().divide(source.tokensPerReferenceToken(), RATIO_SCALE,
                RoundingMode.HALF_UP))
            .orElse(BigDecimal.ONE).setScale(RATIO_SCALE, RoundingMode.HALF_UP);
        rows.add(RowFactory.create(source.provider(), source.model(), scenario.name(), ratio));
      }
    }
    StructType schema = new StructType()
        .add("ratio_provider", DataTypes.StringType)
        .add("ratio_model", DataTypes.StringType)
        .add("ratio_scenario", DataTypes.StringType)
        .add(TOKEN_RATIO, DataTypes.createDecimalType(10, RATIO_SCALE));
    return card.modelNames().sparkSession().createDataFrame(rows, schema);
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
