package dev.tokenreprice.counterfactual;

import static org.apache.spark.sql.functions.col;

import dev.tokenreprice.ratecard.CardModel;
import dev.tokenreprice.ratecard.Fee;
import dev.tokenreprice.ratecard.PricingOption;
import dev.tokenreprice.ratecard.Rate;
import dev.tokenreprice.ratecard.RateCardTables;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Date;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Collections;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Each scenario's price for each price the run's requests were priced at, worked out on the driver from the rate
 * card: rows, not columns, so that the plan that prices the scenarios has the same size whatever the number of
 * scenarios and models. A row says, for requests of one price ({@code price_id}) on the days from
 * {@code effective_from} (inclusive, null: since ever) to {@code effective_until} (exclusive, null: for ever), which
 * price the scenario charges them ({@code scenario_price_id} and its unit prices, normal and long-prompt; null where it
 * cannot price them: no rate of the target that day, or option values the target does not offer) and how to read
 * their tokens on the target's tokenizer. The rows of one price and scenario cover every day exactly once; a scenario
 * that does not apply to a price (a model of another provider, or the target itself, in the default set) has no row
 * for it. The unit prices ride along, so that pricing a scenario takes one join and not two.
 */
public final class ScenarioPrices {
  public static final String SOURCE_PRICE_ID = "cf_source_price_id";
  public static final String FROM = "cf_effective_from";
  public static final String UNTIL = "cf_effective_until";
  public static final String SCENARIO_PRICE_ID = "cf_scenario_price_id";
  /** Whether the scenario moves the requests to a target model, whose tokenizer and thresholds then apply. */
  public static final String HAS_TARGET = "cf_has_target";
  /** The target's index in {@link RequestFacts}' tokenizer factors. */
  public static final String FACTOR_INDEX = "cf_factor_index";
  /** How many of the factor's thresholds a prompt must be above to be long on the target's rate; null: no tier. */
  public static final String THRESHOLDS_TO_PASS = "cf_thresholds_to_pass";
  public static final String NO_CACHE = "cf_no_cache";
  /** The unit-price columns of {@link RateCardTables#unitPrices()}, in the order its rows hold them. */
  static final List<String> PRICE_COLUMNS = priceColumns();
  /** The same prices of the long-prompt tier, prefixed; fees are the rate's, the same on both tiers. */
  static final String LONG = "cf_long_";
  private static final int RATIO_SCALE = 4;
  /** The unit prices of the token kinds come first among {@link #PRICE_COLUMNS}, the fees' after them. */
  static final int TOKEN_PRICES = RateCardTables.TOKEN_PRICE_COLUMNS.size();

  private ScenarioPrices() {}

  /** The table for the prices in {@code priceIds}, the ones the run's priced requests have. */
  public static Dataset<Row> of(List<Scenario> scenarios, Collection<Integer> priceIds, RequestFacts facts,
      RateCardTables card, SparkSession spark) {
    List<Row> rows = new ArrayList<>();
    for (int priceId : priceIds.stream().sorted().toList()) {
      RateCardTables.PricePoint source = card.pricePoint(priceId);
      for (Scenario scenario : scenarios) {
        if (applies(scenario, source.model())) {
          rows.addAll(rows(scenario, source, facts, card));
        }
      }
    }
    return spark.createDataFrame(rows, schema(card.costScale()));
  }

  /** An empty table of the same shape, for planning before the run's prices are known. */
  public static Dataset<Row> none(RateCardTables card, SparkSession spark) {
    return spark.createDataFrame(List.of(), schema(card.costScale()));
  }

  /** Whether a row of the table applies to a request's day. */
  public static Column inForceOn(Column day) {
    return col(FROM).isNull().or(day.geq(col(FROM))).and(col(UNTIL).isNull().or(day.lt(col(UNTIL))));
  }

  /** A scenario of the default set moves a provider's other models to its target; one asked for by name, every row. */
  private static boolean applies(Scenario scenario, CardModel source) {
    return !scenario.sameProviderOnly() || scenario.target().map(target -> target.provider().equals(source.provider())
        && !target.model().equals(source.model())).orElse(true);
  }

  private static List<Row> rows(Scenario scenario, RateCardTables.PricePoint source, RequestFacts facts,
      RateCardTables card) {
    String serviceTier = source.combination().serviceTier();
    // Batch moves standard requests to the batch tier; requests of another tier (already batch, flex) keep theirs.
    String tier = scenario.batch() && serviceTier.equals(PricingOption.SERVICE_TIER.defaultValue()) ? "batch" : serviceTier;
    String speed = source.combination().speed();
    String geo = source.combination().inferenceGeo();
    List<Row> rows = new ArrayList<>();
    if (scenario.target().isEmpty()) {
      Optional<Integer> price = card.priceId(source.model(), source.rateIndex(), tier, speed, geo);
      rows.add(row(source.priceId(), scenario, null, null, price, false, null, null, BigDecimal.ONE, card));
      return rows;
    }
    CardModel target = scenario.target().get();
    int factorIndex = facts.factorIndex(target);
    BigDecimal ratio = target.tokensPerReferenceToken()
        .divide(source.model().tokensPerReferenceToken(), RATIO_SCALE, RoundingMode.HALF_UP);
    List<Rate> rates = target.rates();
    // Before the target's first rate there is no price: one row covers those days.
    rows.add(row(source.priceId(), scenario, null, rates.get(0).effectiveFrom(), Optional.empty(), true, factorIndex,
        null, ratio, card));
    for (int r = 0; r < rates.size(); r++) {
      Rate rate = rates.get(r);
      LocalDate until = r + 1 < rates.size() ? rates.get(r + 1).effectiveFrom() : null;
      rows.add(row(source.priceId(), scenario, rate.effectiveFrom(), until, card.priceId(target, r, tier, speed, geo),
          true, factorIndex, facts.thresholdsToPass(target, rate).orElse(null), ratio, card));
    }
    return rows;
  }

  private static Row row(int sourcePriceId, Scenario scenario, LocalDate from, LocalDate until,
      Optional<Integer> scenarioPriceId, boolean hasTarget, Integer factorIndex, Integer thresholdsToPass,
      BigDecimal ratio, RateCardTables card) {
    List<Object> values = new ArrayList<>(Arrays.asList(sourcePriceId, scenario.name(),
        from == null ? null : Date.valueOf(from), until == null ? null : Date.valueOf(until),
        scenarioPriceId.orElse(null), hasTarget, factorIndex, thresholdsToPass, scenario.noCache(),
        ratio.setScale(RATIO_SCALE, RoundingMode.HALF_UP)));
    List<Object> normal = scenarioPriceId.map(id -> card.unitPriceValues(id, false))
        .orElse(Collections.nCopies(PRICE_COLUMNS.size(), null));
    List<Object> longPrompt = scenarioPriceId.map(id -> card.unitPriceValues(id, true))
        .orElse(Collections.nCopies(PRICE_COLUMNS.size(), null));
    values.addAll(normal);
    values.addAll(longPrompt.subList(0, TOKEN_PRICES));
    return RowFactory.create(values.toArray());
  }

  private static List<String> priceColumns() {
    List<String> columns = new ArrayList<>(RateCardTables.TOKEN_PRICE_COLUMNS);
    for (Fee fee : Fee.values()) {
      columns.add(RateCardTables.feePriceColumn(fee));
    }
    return List.copyOf(columns);
  }

  private static StructType schema(int costScale) {
    StructType schema = new StructType()
        .add(SOURCE_PRICE_ID, DataTypes.IntegerType, false)
        .add(Counterfactual.SCENARIO, DataTypes.StringType, false)
        .add(FROM, DataTypes.DateType, true)
        .add(UNTIL, DataTypes.DateType, true)
        .add(SCENARIO_PRICE_ID, DataTypes.IntegerType, true)
        .add(HAS_TARGET, DataTypes.BooleanType, false)
        .add(FACTOR_INDEX, DataTypes.IntegerType, true)
        .add(THRESHOLDS_TO_PASS, DataTypes.IntegerType, true)
        .add(NO_CACHE, DataTypes.BooleanType, false)
        .add(Counterfactual.TOKEN_RATIO, DataTypes.createDecimalType(10, RATIO_SCALE), true);
    for (int i = 0; i < PRICE_COLUMNS.size(); i++) {
      schema = schema.add(PRICE_COLUMNS.get(i), i < TOKEN_PRICES ? RateCardTables.unitPriceType(costScale)
          : RateCardTables.feePriceType(costScale), true);
    }
    for (int i = 0; i < TOKEN_PRICES; i++) {
      schema = schema.add(LONG + PRICE_COLUMNS.get(i), RateCardTables.unitPriceType(costScale), true);
    }
    return schema;
  }
}
