package dev.tokenreprice.ratecard;

import static org.apache.spark.sql.functions.broadcast;

import dev.tokenreprice.cli.UsageException;
import dev.tokenreprice.input.RunSize;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Date;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructType;

/**
 * The rate card flattened into small tables, built once on the driver (the logs never come here): the price
 * lookup the one pass over the logs joins each row with (one broadcast: which price a provider's model name, day
 * and option values resolve to), which names mean which model (to explain a row the lookup found nothing for),
 * and the exact price of one token of each kind. The same prices are indexed on the driver
 * ({@link #pricePoint}, {@link #priceId}) for what the driver works out itself, such as the counterfactual's
 * scenario prices: no Spark job is needed to read the card.
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
  /** The first day any rate of the model is in force: before it, a known model has no rate. */
  public static final String FIRST_EFFECTIVE_FROM = "first_effective_from";

  public static final String LOOKUP_PROVIDER = "lookup_provider";
  public static final String LOOKUP_NAME = "lookup_name";
  /** The model's tokens per reference token, as a whole number of 10^-{@link #tokenFactorScale()} units. */
  public static final String TOKEN_FACTOR = "token_factor";

  public static final String RATE_ID = "rate_id";
  public static final String EFFECTIVE_FROM = "effective_from";
  public static final String EFFECTIVE_UNTIL = "effective_until";
  public static final String LONG_PROMPT_ABOVE = "long_prompt_above";

  public static final String PRICE_ID = "price_id";

  public static final String UNIT_PRICE_ID = "unit_price_id";
  public static final String UNIT_LONG_PROMPT = "unit_long_prompt";
  public static final String INPUT_PRICE = "input_price";
  public static final String OUTPUT_PRICE = "output_price";
  public static final String CACHE_WRITE_5M_PRICE = "cache_write_5m_price";
  public static final String CACHE_WRITE_1H_PRICE = "cache_write_1h_price";
  public static final String CACHE_READ_PRICE = "cache_read_price";
  /** The token kinds' unit-price columns of {@link #unitPrices()}, in the order its rows hold them; the fees' follow. */
  public static final List<String> TOKEN_PRICE_COLUMNS = List.of(INPUT_PRICE, OUTPUT_PRICE, CACHE_WRITE_5M_PRICE,
      CACHE_WRITE_1H_PRICE, CACHE_READ_PRICE);

  /** Costs carry at least this many digits after the point (the floor), more only if the card needs them. */
  public static final int MIN_COST_SCALE = 12;
  /** Per-token prices are DECIMAL(s, s) and cost products DECIMAL(19 + s, s): s above 18 would lose digits. */
  private static final int MAX_COST_SCALE = 18;
  private static final int MICROS_SCALE = 6;
  /** Digits before the point of a fee price: below 10,000 USD a use. */
  private static final int FEE_INTEGER_DIGITS = 4;

  /**
   * One price of the card: a rate of a model with one combination of option values, and its id in the tables.
   *
   * @param rateIndex the rate's place among its model's rates
   * @param rateId the rate's id, unique across the card
   */
  public record PricePoint(int priceId, CardModel model, int modelKey, int rateIndex, int rateId,
      OptionCombination combination) {
    public Rate rate() {
      return model.rates().get(rateIndex);
    }
  }

  private final RateCard card;
  private final int costScale;
  private final int tokenFactorScale;
  private final List<PricePoint> pricePoints;
  private final Map<List<Object>, Integer> priceIds;
  /** The unit-prices table's rows on the driver, two per price id: the normal one, then the long-prompt one. */
  private final List<Row> unitPriceRows;
  /** By identity: a card model is a record of its rates, whose equality compares every price. */
  private final Map<CardModel, Integer> modelKeys = new IdentityHashMap<>();
  private final Dataset<Row> priceLookup;
  private final Dataset<Row> modelNames;
  private final Dataset<Row> unitPrices;
  private final RunSize size;

  private RateCardTables(RateCard card, int costScale, int tokenFactorScale, List<PricePoint> pricePoints,
      List<Row> unitPriceRows, Dataset<Row> priceLookup, Dataset<Row> modelNames, Dataset<Row> unitPrices,
      RunSize size) {
    this.card = card;
    this.costScale = costScale;
    this.tokenFactorScale = tokenFactorScale;
    this.pricePoints = List.copyOf(pricePoints);
    Map<List<Object>, Integer> ids = new HashMap<>();
    for (PricePoint point : pricePoints) {
      ids.put(priceKey(point.modelKey(), point.rateIndex(), point.combination().serviceTier(),
          point.combination().speed(), point.combination().inferenceGeo()), point.priceId());
    }
    this.priceIds = Map.copyOf(ids);
    this.unitPriceRows = List.copyOf(unitPriceRows);
    for (int key = 0; key < card.models().size(); key++) {
      modelKeys.put(card.models().get(key), key);
    }
    this.priceLookup = priceLookup;
    this.modelNames = modelNames;
    this.unitPrices = unitPrices;
    this.size = size;
  }

  /** The card's tables for a large run: each joined by a broadcast. */
  public static RateCardTables of(RateCard card, SparkSession spark) {
    return of(card, spark, RunSize.LARGE);
  }

  /**
   * The card's tables for a run of {@code size}. A large run joins each by a broadcast (a Spark job that ships a
   * few hundred KiB to every executor); a small run, whose rows are in one partition, joins each in that partition
   * without a shuffle and without that job (see {@link RunSize}).
   */
  public static RateCardTables of(RateCard card, SparkSession spark, RunSize size) {
    int costScale = costScale(card);
    int tokenFactorScale = card.models().stream()
        .mapToInt(m -> Math.max(0, m.tokensPerReferenceToken().stripTrailingZeros().scale())).max().orElse(0);
    DecimalType unitPriceType = unitPriceType(costScale);
    DecimalType feePriceType = feePriceType(costScale);
    List<Row> names = new ArrayList<>();
    List<Row> lookup = new ArrayList<>();
    List<Row> prices = new ArrayList<>();
    List<PricePoint> points = new ArrayList<>();
    int rateId = 0;
    int priceId = 0;
    for (int modelKey = 0; modelKey < card.models().size(); modelKey++) {
      CardModel model = card.models().get(modelKey);
      long tokenFactor = tokenFactorUnits(model, tokenFactorScale);
      List<String> nameKeys = new ArrayList<>();
      nameKeys.add(ModelNames.key(model.model()));
      model.aliases().forEach(alias -> nameKeys.add(ModelNames.key(alias)));
      Date firstDay = Date.valueOf(model.rates().get(0).effectiveFrom());
      for (String name : nameKeys) {
        names.add(RowFactory.create(model.provider(), name, model.model(), modelKey, tokenFactor, firstDay));
      }
      for (int r = 0; r < model.rates().size(); r++) {
        Rate rate = model.rates().get(r);
        Date from = Date.valueOf(rate.effectiveFrom());
        Date until = r + 1 < model.rates().size() ? Date.valueOf(model.rates().get(r + 1).effectiveFrom()) : null;
        Long longAbove = rate.longPrompt().map(LongPromptTier::abovePromptTokens).orElse(null);
        for (OptionCombination combination : OptionCombination.allOf(rate.modifiers())) {
          if (combination.isAnyOf(rate.unavailable())) {
            continue;
          }
          points.add(new PricePoint(priceId, model, modelKey, r, rateId, combination));
          for (String name : nameKeys) {
            List<Object> values = new ArrayList<>(List.of(model.provider(), name, combination.serviceTier(),
                combination.speed(), combination.inferenceGeo(), from));
            values.add(until);
            values.addAll(List.of(model.model(), tokenFactor, rateId, priceId));
            values.add(longAbove);
            values.addAll(feePrices(rate, costScale));
            lookup.add(RowFactory.create(values.toArray()));
          }
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
    return new RateCardTables(card, costScale, tokenFactorScale, points, prices,
        spark.createDataFrame(lookup, priceLookupSchema(feePriceType)),
        spark.createDataFrame(names, modelNamesSchema()),
        spark.createDataFrame(prices, unitPricesSchema(unitPriceType, feePriceType)), size);
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
    Integer key = modelKeys.get(model);
    return key != null ? key : card.models().indexOf(model);
  }

  private static long tokenFactorUnits(CardModel model, int scale) {
    return model.tokensPerReferenceToken().setScale(scale, RoundingMode.UNNECESSARY).unscaledValue().longValueExact();
  }

  /** The price a {@link #PRICE_ID} stands for. */
  public PricePoint pricePoint(int priceId) {
    return pricePoints.get(priceId);
  }

  /**
   * The unit prices of a price id, as its row of {@link #unitPrices()} holds them: USD per token of each kind in
   * {@link TokenPrices#all()}'s order, then USD per use of each fee (null where not priced).
   */
  public List<Object> unitPriceValues(int priceId, boolean longPrompt) {
    Row row = unitPriceRows.get(2 * priceId + (longPrompt ? 1 : 0));
    List<Object> values = new ArrayList<>();
    for (int i = 2; i < row.length(); i++) {
      values.add(row.get(i));
    }
    return values;
  }

  /** The type of a unit price at the card's cost scale. */
  public static DecimalType unitPriceType(int costScale) {
    return DataTypes.createDecimalType(costScale, costScale);
  }

  /** The id of a rate's price for the option values, empty where the rate does not offer them. */
  public Optional<Integer> priceId(CardModel model, int rateIndex, String serviceTier, String speed, String inferenceGeo) {
    return Optional.ofNullable(priceIds.get(priceKey(modelKey(model), rateIndex, serviceTier, speed, inferenceGeo)));
  }

  private static List<Object> priceKey(int modelKey, int rateIndex, String serviceTier, String speed,
      String inferenceGeo) {
    return List.of(modelKey, rateIndex, serviceTier, speed, inferenceGeo);
  }

  /**
   * provider, lower-cased name or alias, option values and the days a rate is in force ({@code effective_from}
   * inclusive, {@code effective_until} exclusive or null) -> the canonical model, its tokenizer factor, the rate and
   * price ids, the long-prompt threshold and the rate's price of each fee ({@link #rateFeePriceColumn}, null where
   * not priced). A row the lookup finds nothing for has an unknown model, no rate that day or unpriced options.
   */
  public Dataset<Row> priceLookup() {
    return priceLookup;
  }

  /** provider, lower-cased name or alias -> canonical model, its key and the first day one of its rates is in force. */
  public Dataset<Row> modelNames() {
    return modelNames;
  }

  /**
   * price id, long-prompt flag -> USD per token of each kind, and USD per use of each fee
   * ({@link #feePriceColumn}).
   */
  public Dataset<Row> unitPrices() {
    return unitPrices;
  }

  /**
   * A small table of the card, or one worked out from it on the driver, as the run joins it: broadcast in a large
   * run; in a small run in one partition, with a hint to build the join's hash table from it.
   */
  public Dataset<Row> toJoin(Dataset<Row> small) {
    return size == RunSize.SMALL ? small.coalesce(1).hint("shuffle_hash") : broadcast(small);
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

  /** The price-lookup column holding a fee's USD per use, for example {@code rate_web_search_price}. */
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
        .add(TOKEN_FACTOR, DataTypes.LongType, false)
        .add(FIRST_EFFECTIVE_FROM, DataTypes.DateType, false);
  }

  private static StructType priceLookupSchema(DecimalType feePriceType) {
    StructType schema = new StructType()
        .add(LOOKUP_PROVIDER, DataTypes.StringType, false)
        .add(LOOKUP_NAME, DataTypes.StringType, false);
    for (PricingOption option : PricingOption.values()) {
      schema = schema.add(optionColumn(option), DataTypes.StringType, false);
    }
    schema = schema
        .add(EFFECTIVE_FROM, DataTypes.DateType, false)
        .add(EFFECTIVE_UNTIL, DataTypes.DateType, true)
        .add(CARD_MODEL, DataTypes.StringType, false)
        .add(TOKEN_FACTOR, DataTypes.LongType, false)
        .add(RATE_ID, DataTypes.IntegerType, false)
        .add(PRICE_ID, DataTypes.IntegerType, false)
        .add(LONG_PROMPT_ABOVE, DataTypes.LongType, true);
    for (Fee fee : Fee.values()) {
      schema = schema.add(rateFeePriceColumn(fee), feePriceType, true);
    }
    return schema;
  }

  /** The price-lookup column holding an option's value, for example {@code option_service_tier}. */
  public static String optionColumn(PricingOption option) {
    return "option_" + option.column();
  }

  private static StructType unitPricesSchema(DecimalType priceType, DecimalType feePriceType) {
    StructType schema = new StructType()
        .add(UNIT_PRICE_ID, DataTypes.IntegerType, false)
        .add(UNIT_LONG_PROMPT, DataTypes.BooleanType, false);
    for (String price : TOKEN_PRICE_COLUMNS) {
      schema = schema.add(price, priceType, false);
    }
    for (Fee fee : Fee.values()) {
      schema = schema.add(feePriceColumn(fee), feePriceType, true);
    }
    return schema;
  }

  /** One value per option and the product of their multipliers. */
  public record OptionCombination(String serviceTier, String speed, String inferenceGeo, BigDecimal factor) {
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

    /** The value of one option. */
    public String value(PricingOption option) {
      return switch (option) {
        case SERVICE_TIER -> serviceTier;
        case SPEED -> speed;
        case INFERENCE_GEO -> inferenceGeo;
      };
    }

    /** Whether this combination has every value of one of {@code unavailable}'s combinations. */
    boolean isAnyOf(List<Map<PricingOption, String>> unavailable) {
      return unavailable.stream().anyMatch(values -> values.entrySet().stream()
          .allMatch(value -> value.getValue().equals(value(value.getKey()))));
    }
  }
}
