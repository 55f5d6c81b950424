package dev.tokenreprice.samples;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.hex;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lpad;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.timestamp_millis;
import static org.apache.spark.sql.functions.when;

import dev.tokenreprice.input.CanonicalSchema;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;

/**
 * Builds the synthetic requests as Column expressions over {@code spark.range}: canonical field values with
 * realistic skew, the planted bad rows already applied where they do not depend on the file format, and
 * the columns the format writers need ({@link #BAD_KIND}, {@link #BAD_VARIANT}, {@link #TIME_AS_EPOCH_MILLIS}).
 */
final class SyntheticRequests {
  /** The {@link BadRowKind} name of a planted bad row, null for a good row. */
  static final String BAD_KIND = "bad_kind";
  static final String BAD_VARIANT = "bad_variant";
  /** Whether the JSONL line gives the timestamp as epoch milliseconds rather than ISO-8601 text. */
  static final String TIME_AS_EPOCH_MILLIS = "time_as_epoch_millis";
  static final String EVENT_MILLIS = "event_millis";
  private static final String MODEL_INDEX = "model_index";
  private static final String BAD_VARIANT_POSITION = "bad_variant_position";
  private static final String IS_ANTHROPIC = "is_anthropic";
  private static final String RAW_CACHE_READ = "raw_cache_read";
  private static final String RAW_CACHE_WRITE_5M = "raw_cache_write_5m";
  private static final String RAW_CACHE_WRITE_1H = "raw_cache_write_1h";

  static final double PROVIDER_OMITTED_SHARE = 0.5;
  static final double ALIAS_SHARE = 0.3;
  static final double TIME_AS_EPOCH_MILLIS_SHARE = 0.10;
  static final double BATCH_SHARE = 0.10;
  /** Each premium tier (priority, flex) of a model that has them. */
  static final double PREMIUM_TIER_SHARE = 0.03;
  static final double FAST_MODE_SHARE = 0.04;
  static final double US_INFERENCE_SHARE = 0.03;
  static final double LONG_PROMPT_SHARE = 0.01;
  static final double ANTHROPIC_CACHE_READ_SHARE = 0.40;
  static final double OPENAI_CACHE_READ_SHARE = 0.35;
  static final double CACHE_WRITE_5M_SHARE = 0.25;
  static final double CACHE_WRITE_1H_SHARE = 0.06;
  /**
   * Caps of the normal-size counts: together they stay at or below 100,000 prompt tokens, the lowest
   * long-prompt threshold of the mix (claude-haiku-5-5), so long prompts are only the rows planted as such.
   * The medians and spreads below keep the share of rows clamped at a cap to about 2%.
   */
  static final long MAX_INPUT = 40_000;
  static final long MAX_CACHE_READ = 40_000;
  static final long MAX_CACHE_WRITE = 10_000;
  /** Anthropic caches prompts of at least 1,024 tokens; smaller cache traffic would not be realistic. */
  static final long MIN_CACHED = 1_024;
  /** The golden ratio's fractional part: multiples of it mod 1 fill [0, 1) as evenly as a sequence can. */
  private static final double GOLDEN_FRACTION = 0.6180339887498949;
  /** Every variant of every kind gets the same share of the bad rows. */
  private static final List<BadRowKind.Variant> BAD_VARIANTS = BadRowKind.allVariants();

  /** The columns {@link #generate} returns besides {@link CanonicalSchema#EVENT_TIME}. */
  private static final List<String> OUTPUT_FIELDS = List.of(
      CanonicalSchema.REQUEST_ID, CanonicalSchema.PROVIDER, CanonicalSchema.MODEL, CanonicalSchema.FEATURE,
      CanonicalSchema.SERVICE_TIER, CanonicalSchema.SPEED, CanonicalSchema.INFERENCE_GEO,
      CanonicalSchema.INPUT_TOKENS, CanonicalSchema.OUTPUT_TOKENS, CanonicalSchema.CACHE_WRITE_5M_TOKENS,
      CanonicalSchema.CACHE_WRITE_1H_TOKENS, CanonicalSchema.CACHE_READ_TOKENS,
      BAD_KIND, BAD_VARIANT, TIME_AS_EPOCH_MILLIS);

  private SyntheticRequests() {}

  static Dataset<Row> generate(SparkSession spark, GeneratorConfig config) {
    Draws draws = new Draws(config.seed());
    int partitions = (int) Math.min(config.files(), config.rows());
    Dataset<Long> ids = spark.range(0, config.rows(), 1, partitions);
    List<Column> idAndDraws = new ArrayList<>(List.of(col(Draws.ID)));
    idAndDraws.addAll(draws.columns());
    Dataset<Row> traits = ids.select(idAndDraws.toArray(Column[]::new))
        .select(col("*"), draws.weightedIndex(Draw.MODEL, ModelMix.shares()).as(MODEL_INDEX),
            badVariantPosition(config).as(BAD_VARIANT_POSITION))
        .select(col("*"), badKind().as(BAD_KIND), badVariant().as(BAD_VARIANT));
    Dataset<Row> good = goodValues(traits, draws, config);
    Dataset<Row> withBadRows = BadRows.plantFormatNeutral(good, draws);
    List<Column> output = new ArrayList<>();
    for (String field : OUTPUT_FIELDS) {
      output.add(col(field));
    }
    output.add(timestamp_millis(col(EVENT_MILLIS)).as(CanonicalSchema.EVENT_TIME));
    return withBadRows.select(output.toArray(Column[]::new));
  }

  /** Adds the canonical fields of a good request; the bad rows are planted over them afterwards. */
  private static Dataset<Row> goodValues(Dataset<Row> traits, Draws draws, GeneratorConfig config) {
    Column model = col(MODEL_INDEX);
    Column isAnthropic = modelFact(model, profile -> lit(profile.provider().equals(ModelMix.ANTHROPIC)));

    Column serviceTierDraw = draws.uniform(Draw.SERVICE_TIER);
    Column serviceTier = when(serviceTierDraw.lt(BATCH_SHARE), lit("batch"))
        .when(serviceTierDraw.lt(BATCH_SHARE + PREMIUM_TIER_SHARE), premiumTier(model, 0))
        .when(serviceTierDraw.lt(BATCH_SHARE + 2 * PREMIUM_TIER_SHARE), premiumTier(model, 1));
    // Fast mode is an interactive option: batch requests do not use it.
    Column speed = when(modelFact(model, profile -> lit(profile.fastModePriced()))
        .and(serviceTierDraw.geq(BATCH_SHARE))
        .and(draws.chance(Draw.FAST_MODE, FAST_MODE_SHARE)), lit("fast"));
    Column inferenceGeo = when(modelFact(model, profile -> lit(profile.usInferencePriced()))
        .and(draws.chance(Draw.US_INFERENCE, US_INFERENCE_SHARE)), lit("us"));

    Column cacheReadShare = when(col(IS_ANTHROPIC), lit(ANTHROPIC_CACHE_READ_SHARE)).otherwise(OPENAI_CACHE_READ_SHARE);
    Column cacheRead = when(draws.uniform(Draw.CACHE_READ).lt(cacheReadShare),
        draws.logNormal(Draw.CACHE_READ_SIZE, Draw.CACHE_READ_SHAPE, 8_000, 0.8, MIN_CACHED, MAX_CACHE_READ))
        .otherwise(lit(0L));
    // A long prompt is a large cached context: the cache read alone passes the model's threshold.
    Column longPromptAbove = modelFact(model, profile -> profile.longPromptAbove().isPresent()
        ? lit(profile.longPromptAbove().getAsLong()) : lit(null).cast(DataTypes.LongType));
    Column longCacheRead = longPromptAbove.plus(lit(1L)).plus(
        floor(draws.uniform(Draw.LONG_PROMPT_SIZE).multiply(longPromptAbove).multiply(0.8)).cast(DataTypes.LongType));
    Column cacheReadWithLongPrompts = when(longPromptAbove.isNotNull()
        .and(draws.chance(Draw.LONG_PROMPT, LONG_PROMPT_SHARE)), longCacheRead).otherwise(cacheRead);
    // OpenAI bills no cache writes (the card prices them as input), so its logs carry none.
    Column cacheWrite5m = when(col(IS_ANTHROPIC).and(draws.chance(Draw.CACHE_WRITE_5M, CACHE_WRITE_5M_SHARE)),
        draws.logNormal(Draw.CACHE_WRITE_5M_SIZE, Draw.CACHE_WRITE_5M_SHAPE, 3_000, 0.6, MIN_CACHED, MAX_CACHE_WRITE))
        .otherwise(lit(0L));
    Column cacheWrite1h = when(col(IS_ANTHROPIC).and(draws.chance(Draw.CACHE_WRITE_1H, CACHE_WRITE_1H_SHARE)),
        draws.logNormal(Draw.CACHE_WRITE_1H_SIZE, Draw.CACHE_WRITE_1H_SHAPE, 3_000, 0.6, MIN_CACHED, MAX_CACHE_WRITE))
        .otherwise(lit(0L));

    Dataset<Row> drawn = traits.withColumn(IS_ANTHROPIC, isAnthropic).select(
        col("*"),
        concat(lit("req_"), lpad(hex(col(Draws.ID)), 10, "0")).as(CanonicalSchema.REQUEST_ID),
        eventMillis(model, draws, config).as(EVENT_MILLIS),
        draws.chance(Draw.TIME_AS_EPOCH_MILLIS, TIME_AS_EPOCH_MILLIS_SHARE).as(TIME_AS_EPOCH_MILLIS),
        when(col(IS_ANTHROPIC), when(draws.chance(Draw.PROVIDER_OMITTED, PROVIDER_OMITTED_SHARE).unary_$bang(),
            lit(ModelMix.ANTHROPIC))).otherwise(lit(ModelMix.OPENAI)).as(CanonicalSchema.PROVIDER),
        loggedModelName(model, draws).as(CanonicalSchema.MODEL),
        pick(draws.weightedIndex(Draw.FEATURE, FeatureMix.shares()),
            FeatureMix.names().stream().map(name -> lit(name)).toList()).as(CanonicalSchema.FEATURE),
        serviceTier.as(CanonicalSchema.SERVICE_TIER),
        speed.as(CanonicalSchema.SPEED),
        inferenceGeo.as(CanonicalSchema.INFERENCE_GEO),
        draws.logNormal(Draw.INPUT_SIZE, Draw.INPUT_SHAPE, 2_500, 1.3, 100, MAX_INPUT).as(CanonicalSchema.INPUT_TOKENS),
        draws.logNormal(Draw.OUTPUT_SIZE, Draw.OUTPUT_SHAPE, 350, 1.0, 10, 6_000).as(CanonicalSchema.OUTPUT_TOKENS),
        cacheReadWithLongPrompts.as(RAW_CACHE_READ),
        cacheWrite5m.as(RAW_CACHE_WRITE_5M),
        cacheWrite1h.as(RAW_CACHE_WRITE_1H));

    // Rows without cache traffic carry no cache fields; Anthropic rows with some carry all three, as its API does.
    Column anyCacheTraffic = col(RAW_CACHE_READ).plus(col(RAW_CACHE_WRITE_5M)).plus(col(RAW_CACHE_WRITE_1H)).gt(0);
    Column anthropicCache = col(IS_ANTHROPIC).and(anyCacheTraffic);
    return drawn
        .withColumn(CanonicalSchema.CACHE_WRITE_5M_TOKENS, when(anthropicCache, col(RAW_CACHE_WRITE_5M)))
        .withColumn(CanonicalSchema.CACHE_WRITE_1H_TOKENS, when(anthropicCache, col(RAW_CACHE_WRITE_1H)))
        .withColumn(CanonicalSchema.CACHE_READ_TOKENS,
            when(anthropicCache.or(col(RAW_CACHE_READ).gt(0)), col(RAW_CACHE_READ)));
  }

  /**
   * Spread over the month, but never before the model's first rate: in a month a model was released in,
   * its traffic starts on its release day.
   */
  private static Column eventMillis(Column model, Draws draws, GeneratorConfig config) {
    long monthStart = epochMillis(config.month().atDay(1));
    long monthEnd = epochMillis(config.month().plusMonths(1).atDay(1));
    Column start = modelFact(model, profile -> lit(Math.max(monthStart, epochMillis(profile.firstPricedDay()))));
    Column span = lit(monthEnd).minus(start);
    return start.plus(floor(draws.uniform(Draw.TIME).multiply(span)).cast(DataTypes.LongType));
  }

  private static Column loggedModelName(Column model, Draws draws) {
    Column alias = modelFact(model, profile -> profile.loggedAlias().map(name -> lit(name))
        .orElse(lit(null).cast(DataTypes.StringType)));
    Column canonical = modelFact(model, profile -> lit(profile.model()));
    return when(alias.isNotNull().and(draws.chance(Draw.ALIAS, ALIAS_SHARE)), alias).otherwise(canonical);
  }

  /** The model's n-th premium service tier, null when it has fewer (the row stays standard). */
  private static Column premiumTier(Column model, int n) {
    return modelFact(model, profile -> profile.premiumServiceTiers().size() > n
        ? lit(profile.premiumServiceTiers().get(n)) : lit(null).cast(DataTypes.StringType));
  }

  /** A fact of the row's model, looked up by its index in {@link ModelMix#MODELS}. */
  private static Column modelFact(Column modelIndex, Function<ModelProfile, Column> fact) {
    return pick(modelIndex, ModelMix.MODELS.stream().map(fact).toList());
  }

  /** The value at a 0-based index; a literal array, so the lookup costs one array access per row. */
  static Column pick(Column index, List<Column> values) {
    return element_at(array(values.toArray(Column[]::new)), index.plus(1));
  }

  /**
   * Where a row falls among the planted bad-row variants: below their number, its whole part is the index
   * of the row's variant; at or above it, the row is good. Bad rows are chosen by a golden-ratio sequence
   * rather than a hash so that even the 3,000-row sample gets its bad fraction and every variant of every
   * kind, spread evenly over the whole range.
   */
  private static Column badVariantPosition(GeneratorConfig config) {
    if (config.badFraction() == 0) {
      return lit((double) BAD_VARIANTS.size());
    }
    double offset = new SplittableRandom(config.seed()).nextDouble();
    Column sequence = pmod(col(Draws.ID).cast(DataTypes.DoubleType).multiply(GOLDEN_FRACTION).plus(offset), lit(1.0));
    return sequence.multiply(BAD_VARIANTS.size() / config.badFraction());
  }

  private static Column badKind() {
    Column position = col(BAD_VARIANT_POSITION);
    return when(position.lt(BAD_VARIANTS.size()), pick(floor(position).cast(DataTypes.IntegerType),
        BAD_VARIANTS.stream().map(variant -> lit(variant.kind().name())).toList()));
  }

  private static Column badVariant() {
    Column position = col(BAD_VARIANT_POSITION);
    return when(position.lt(BAD_VARIANTS.size()), pick(floor(position).cast(DataTypes.IntegerType),
        BAD_VARIANTS.stream().map(variant -> lit(variant.number())).toList()));
  }

  static long epochMillis(LocalDate day) {
    return day.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
  }
}
