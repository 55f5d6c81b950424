package dev.tokenreprice.ratecard;

import dev.tokenreprice.cli.UsageException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Date;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructType;

/**
 * The rate card flattened into four small tables that are broadcast to the executors: which names
 * mean which model, which rate is in force on which days, which option values a rate prices, and the
 * exact price of one token of each kind. Built once on the driver; the logs never come here.
 *
 * <p>Unit prices are USD per single token as {@code DECIMAL(s, s)}, where the cost scale {@code s}
 * is the smallest scale (at least 12) at which every cost of the card is exact. Fees are USD per use as
 * {@code DECIMAL(s + 4, s)} (below 10,000 USD a use), null where the rate does not price the fee; they sit on
 * the rate periods (for validation) and on every unit-price row of their rate (for pricing), unmultiplied.
 */
public final class RateCardTables {
  public static final String CARD_PROVIDER = "card_provider";
  public static final String CARD_NAME = "card_name";
  public static final String CARD_MODEL = "card_model";
  public static final String MODEL_KEY = "model_key";
  /** The model's tokens per reference token, as a whole number of 10^-{@link #tokenFactorScale()} units. */
  public static final String TOKEN_FACTOR = "token_factor";

  public static final String PERIOD_MODEL_KEY = "period_model_key";
  public static final String RATE_ID = "rate_id";
  public static final String EFFECTIVE_FROM = "effective_from";
  public static final String EFFECTIVE_UNTIL = "effective_until";
  public static final String LONG_PROMPT_ABOVE = "long_prompt_above";

  public static final String OPTION_RATE_ID = "option_rate_id";
  public static final String PRICE_ID = "price_id";

  public static final String UNIT_PRICE_ID = "unit_price_id";
  public static final String UNIT_LONG_PROMPT = "unit_long_prompt";
  public static final String INPUT_PRICE = "input_price";
  public static final String OUTPUT_PRICE = "output_price";
  public static final String CACHE_WRITE_5M_PRICE = "cache_write_5m_price";
  public static final String CACHE_WRITE_1H_PRICE = "cache_write_1h_price";
  public static final String CACHE_READ_PRICE = "cache_read_price";

  /** Costs carry at least this many digits after the point (the floor), more only if the card needs them. */
  public static final int MIN_COST_SCALE = 12;
  /** Per-token prices are DECIMAL(s, s) and cost products DECIMAL(19 + s, s): s above 18 would lose digits. */
  private static final int MAX_COST_SCALE = 18;
  private static final int MICROS_SCALE = 6;
  /** Digits before the point of a fee price: below 10,000 USD a use. */
  private static final int FEE_INTEGER_DIGITS = 4;

  private final RateCard card;
  private final int costScale;
  private final int tokenFactorScale;
  private final Dataset<Row> modelNames;
  private final Dataset<Row> ratePeriods;
  private final Dataset<Row> rateOptions;
  private final Dataset<Row> unitPrices;

  private RateCardTables(RateCard card, int costScale, int tokenFactorScale, Dataset<Row> modelNames, Dataset<Row> ratePeriods,
      Dataset<Row> rateOptions, Dataset<Row> unitPrices) {
    this.card = card;
    this.costScale = costScale;
    this.tokenFactorScale = tokenFactorScale;
    this.modelNames = modelNames;
    this.ratePeriods = ratePeriods;
    this.rateOptions = rateOptions;
    this.unitPrices = unitPrices;
  }

  public static RateCardTables of(RateCard card, SparkSession spark) {
    int costScale = costScale(card);
    int tokenFactorScale = card.models().stream()
        .mapToInt(m -> Math.max(0, m.tokensPerReferenceToken().stripTrailingZeros().scale())).max().orElse(0);
    DecimalType unitPriceType = DataTypes.createDecimalType(costScale, costScale);
    DecimalType feePriceType = feePriceType(costScale);
    List<Row> names = new ArrayList<>();
    List<Row> periods = new ArrayList<>();
    List<Row> options = new ArrayList<>();
    List<Row> prices = new ArrayList<>();
    int rateId = 0;
    int priceId = 0;
    for (int modelKey = 0; modelKey < card.models().size(); modelKey++) {
      CardModel model = card.models().get(modelKey);
      long tokenFactor = tokenFactorUnits(model, tokenFactorScale);
      names.add(RowFactory.create(model.provider(), ModelNames.key(model.model()), model.model(), modelKey, tokenFactor));
      for (String alias : model.aliases()) {
        names.add(RowFactory.create(model.provider(), ModelNames.key(alias), model.model(), modelKey, tokenFactor));
      }
      for (int r = 0; r < model.rates().size(); r++) {
        Rate rate = model.rates().get(r);
        Date until = r + 1 < model.rates().size() ? Date.valueOf(model.rates().get(r + 1).effectiveFrom()) : null;
        Long longAbove = rate.longPrompt().map(LongPromptTier::abovePromptTokens).orElse(null);
        List<Object> period = new ArrayList<>(List.of(modelKey, rateId, Date.valueOf(rate.effectiveFrom())));
        period.add(until);
        period.add(longAbove);
        period.addAll(feePrices(rate, costScale));
        periods.add(RowFactory.create(period.toArray()));
        for (OptionCombination combination : OptionCombination.allOf(rate.modifiers())) {
          if (combination.isAnyOf(rate.unavailable())) {
            continue;
          }
          options.add(RowFactory.create(rateId, combination.serviceTier(), combination.speed(),
              combination.inferenceGeo(), priceId));
          TokenPrices normal = rate.prices().times(combination.factor());
          // A rate without a long tier still gets a long row, equal to the normal one, so the join never drops a row.
          TokenPrices longPrompt = rate.longPrompt().map(tier -> tier.prices().times(combination.factor())).orElse(normal);
          prices.add(unitPriceRow(priceId, false, normal, rate, costScale));
          prices.add(unitPriceRow(priceId, true, longPrompt, rate, costScale));
          priceId++;
        }
        rateId++;
      }
    }
    return new RateCardTables(card, costScale, tokenFactorScale,
        spark.createDataFrame(names, modelNamesSchema()),
        spark.createDataFrame(periods, ratePeriodsSchema(feePriceType)),
        spark.createDataFrame(options, rateOptionsSchema()),
        spark.createDataFrame(prices, unitPricesSchema(unitPriceType, feePriceType)));
  }

  public RateCard card() {
    return card;
  }

  /** Digits after the point of every cost this card produces. */
  public int costScale() {
    return costScale;
  }

  /** Digits after the point of the tokenizer factors as {@link #TOKEN_FACTOR} holds them. */
  public int tokenFactorScale() {
    return tokenFactorScale;
  }

  /** A model's tokens per reference token in the whole units of {@link #TOKEN_FACTOR}. */
  public long tokenFactorUnits(CardModel model) {
    return tokenFactorUnits(model, tokenFactorScale);
  }

  /** The key {@link #MODEL_KEY} gives a model of the card. */
  public int modelKey(CardModel model) {
    return card.models().indexOf(model);
  }

  private static long tokenFactorUnits(CardModel model, int scale) {
    return model.tokensPerReferenceToken().setScale(scale, RoundingMode.UNNECESSARY).unscaledValue().longValueExact();
  }

  /** provider, lower-cased name or alias -> canonical model and its key. */
  public Dataset<Row> modelNames() {
    return modelNames;
  }

  /**
   * model key -> rate in force from {@code effective_from} (inclusive) to {@code effective_until} (exclusive,
   * null = open), with the rate's price of each fee ({@link #rateFeePriceColumn}, null where not priced).
   */
  public Dataset<Row> ratePeriods() {
    return ratePeriods;
  }

  /** rate, option values -> the price id of that combination; missing combinations cannot be priced. */
  public Dataset<Row> rateOptions() {
    return rateOptions;
  }

  /**
   * price id, long-prompt flag -> USD per token of each kind, and USD per use of each fee
   * ({@link #feePriceColumn}).
   */
  public Dataset<Row> unitPrices() {
    return unitPrices;
  }

  private static Row unitPriceRow(int priceId, boolean longPrompt, TokenPrices perMillion, Rate rate, int scale) {
    List<Object> values = new ArrayList<>(List.of(priceId, longPrompt));
    for (BigDecimal price : perMillion.all()) {
      values.add(price.movePointLeft(MICROS_SCALE).setScale(scale, RoundingMode.UNNECESSARY));
    }
    values.addAll(feePrices(rate, scale));
    return RowFactory.create(values.toArray());
  }

  /** The rate's price of each fee in {@link Fee} order, null where it prices none. */
  private static List<Object> feePrices(Rate rate, int scale) {
    List<Object> prices = new ArrayList<>();
    for (Fee fee : Fee.values()) {
      BigDecimal price = rate.fees().get(fee);
      prices.add(price == null ? null : price.setScale(scale, RoundingMode.UNNECESSARY));
    }
    return prices;
  }

  /** The type of a fee price at the card's cost scale. */
  public static DecimalType feePriceType(int costScale) {
    return DataTypes.createDecimalType(costScale + FEE_INTEGER_DIGITS, costScale);
  }

  /** The unit-prices column holding a fee's USD per use, for example {@code web_search_price}. */
  public static String feePriceColumn(Fee fee) {
    return fee.key() + "_price";
  }

  /** The rate-periods column holding a fee's USD per use, for example {@code rate_web_search_price}. */
  public static String rateFeePriceColumn(Fee fee) {
    return "rate_" + fee.key() + "_price";
  }

  private static int costScale(RateCard card) {
    int neededScale = 0;
    for (CardModel model : card.models()) {
      for (Rate rate : model.rates()) {
        for (OptionCombination combination : OptionCombination.allOf(rate.modifiers())) {
          List<TokenPrices> tiers = new ArrayList<>();
          tiers.add(rate.prices());
          rate.longPrompt().ifPresent(tier -> tiers.add(tier.prices()));
          for (TokenPrices tier : tiers) {
            for (BigDecimal price : tier.times(combination.factor()).all()) {
              if (price.compareTo(BigDecimal.valueOf(1_000_000)) >= 0) {
                throw new UsageException("rate card " + card.source() + ": model " + model.model() + ", rate "
                    + rate.effectiveFrom() + ": a price with its modifiers must be below 1000000 USD per million tokens, cannot be: "
                    + price.toPlainString());
              }
              neededScale = Math.max(neededScale, price.stripTrailingZeros().scale() + MICROS_SCALE);
            }
          }
        }
        for (Map.Entry<Fee, BigDecimal> fee : rate.fees().entrySet()) {
          if (fee.getValue().compareTo(BigDecimal.TEN.pow(FEE_INTEGER_DIGITS)) >= 0) {
            throw new UsageException("rate card " + card.source() + ": model " + model.model() + ", rate "
                + rate.effectiveFrom() + ": 'fees." + fee.getKey().key()
                + "' must be below 10000 USD per use, cannot be: " + fee.getValue().toPlainString());
          }
          if (fee.getValue().stripTrailingZeros().scale() > MAX_COST_SCALE) {
            throw new UsageException("rate card " + card.source() + ": model " + model.model() + ", rate "
                + rate.effectiveFrom() + ": 'fees." + fee.getKey().key() + "' must have at most " + MAX_COST_SCALE
                + " digits after the point, cannot be: " + fee.getValue().toPlainString());
          }
          neededScale = Math.max(neededScale, fee.getValue().stripTrailingZeros().scale());
        }
      }
    }
    if (neededScale > MAX_COST_SCALE) {
      throw new UsageException("rate card " + card.source() + ": prices with their modifiers must have at most "
          + (MAX_COST_SCALE - MICROS_SCALE) + " digits after the point (USD per million tokens), a price needs "
          + (neededScale - MICROS_SCALE));
    }
    return Math.max(MIN_COST_SCALE, neededScale);
  }

  private static StructType modelNamesSchema() {
    return new StructType()
        .add(CARD_PROVIDER, DataTypes.StringType, false)
        .add(CARD_NAME, DataTypes.StringType, false)
        .add(CARD_MODEL, DataTypes.StringType, false)
        .add(MODEL_KEY, DataTypes.IntegerType, false)
        .add(TOKEN_FACTOR, DataTypes.LongType, false);
  }

  private static StructType ratePeriodsSchema(DecimalType feePriceType) {
    StructType schema = new StructType()
        .add(PERIOD_MODEL_KEY, DataTypes.IntegerType, false)
        .add(RATE_ID, DataTypes.IntegerType, false)
        .add(EFFECTIVE_FROM, DataTypes.DateType, false)
        .add(EFFECTIVE_UNTIL, DataTypes.DateType, true)
        .add(LONG_PROMPT_ABOVE, DataTypes.LongType, true);
    for (Fee fee : Fee.values()) {
      schema = schema.add(rateFeePriceColumn(fee), feePriceType, true);
    }
    return schema;
  }

  private static StructType rateOptionsSchema() {
    StructType schema = new StructType().add(OPTION_RATE_ID, DataTypes.IntegerType, false);
    for (PricingOption option : PricingOption.values()) {
      schema = schema.add(optionColumn(option), DataTypes.StringType, false);
    }
    return schema.add(PRICE_ID, DataTypes.IntegerType, false);
  }

  /** The rate-options column holding an option's value, for example {@code option_service_tier}. */
  public static String optionColumn(PricingOption option) {
    return "option_" + option.column();
  }

  private static StructType unitPricesSchema(DecimalType priceType, DecimalType feePriceType) {
    StructType schema = new StructType()
        .add(UNIT_PRICE_ID, DataTypes.IntegerType, false)
        .add(UNIT_LONG_PROMPT, DataTypes.BooleanType, false)
        .add(INPUT_PRICE, priceType, false)
        .add(OUTPUT_PRICE, priceType, false)
        .add(CACHE_WRITE_5M_PRICE, priceType, false)
        .add(CACHE_WRITE_1H_PRICE, priceType, false)
        .add(CACHE_READ_PRICE, priceType, false);
    for (Fee fee : Fee.values()) {
      schema = schema.add(feePriceColumn(fee), feePriceType, true);
    }
    return schema;
  }

  /** One value per option and the product of their multipliers. */
  record OptionCombination(String serviceTier, String speed, String inferenceGeo, BigDecimal factor) {
    static List<OptionCombination> allOf(Map<PricingOption, Map<String, BigDecimal>> modifiers) {
      List<OptionCombination> combinations = new ArrayList<>();
      for (Map.Entry<String, BigDecimal> tier : modifiers.get(PricingOption.SERVICE_TIER).entrySet()) {
        for (Map.Entry<String, BigDecimal> speed : modifiers.get(PricingOption.SPEED).entrySet()) {
          for (Map.Entry<String, BigDecimal> geo : modifiers.get(PricingOption.INFERENCE_GEO).entrySet()) {
            combinations.add(new OptionCombination(tier.getKey(), speed.getKey(), geo.getKey(),
                tier.getValue().multiply(speed.getValue()).multiply(geo.getValue())));
          }
        }
      }
      return combinations;
    }

    /** Whether this combination has every value of one of {@code unavailable}'s combinations. */
    boolean isAnyOf(List<Map<PricingOption, String>> unavailable) {
      return unavailable.stream().anyMatch(values -> values.entrySet().stream().allMatch(value -> value.getValue()
          .equals(switch (value.getKey()) {
            case SERVICE_TIER -> serviceTier;
            case SPEED -> speed;
            case INFERENCE_GEO -> inferenceGeo;
          })));
    }
  }
}
