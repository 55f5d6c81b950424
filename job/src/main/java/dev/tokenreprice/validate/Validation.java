package dev.tokenreprice.validate;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import dev.tokenreprice.cli.Period;
import dev.tokenreprice.input.CanonicalSchema;
import dev.tokenreprice.pricing.PricingColumns;
import dev.tokenreprice.pricing.RateLookup;
import dev.tokenreprice.ratecard.Fee;
import dev.tokenreprice.ratecard.PricingOption;
import dev.tokenreprice.ratecard.RateCardTables;
import java.sql.Date;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * Gives every normalized row its {@link RowStatus}: priced, outside the run's period, or the first
 * {@link QuarantineReason} that applies. Bad rows are data here, not exceptions: they are split off
 * with their original record and a one-line detail.
 */
public final class Validation {
  public static final String REASON = "reason";
  public static final String DETAIL = "detail";
  /**
   * A Bedrock application inference profile ARN, which names no model: only the account knows which model
   * it copies (AWS GetInferenceProfile), so the card must list it as an alias. Anchored: unanchored
   * patterns cost the formats a measured 3.6x.
   */
  static final String APPLICATION_INFERENCE_PROFILE =
      "^arn:aws[a-z-]*:bedrock:[^:]*:[0-9]*:application-inference-profile/[^/]+$";

  private Validation() {}

  /**
   * Adds the rate lookup's columns and {@link RowStatus#COLUMN}, counting each request id once, with every row's
   * final status: what a test of one row's fate reads. The job itself takes {@link #statusOfEachRow} and explains
   * the rows without a price after aggregating them.
   */
  public static Dataset<Row> classify(Dataset<Row> normalized, RateCardTables card, Period period) {
    return classify(normalized, card, period, true);
  }

  /** The same; with {@code dedupe} the later records of a request id are {@link QuarantineReason#DUPLICATE_REQUEST_ID}. */
  public static Dataset<Row> classify(Dataset<Row> normalized, RateCardTables card, Period period, boolean dedupe) {
    return UnresolvedPrices.explain(statusOfEachRow(normalized, card, period, dedupe), card);
  }

  /**
   * Adds the rate lookup's columns (one broadcast join) and {@link RowStatus#COLUMN}: priced, outside the period, a
   * quarantine reason, or {@link RowStatus#UNRESOLVED_PRICE} where the card has no price for the row, which
   * {@link UnresolvedPrices} turns into its reason. With {@code dedupe} the later records of a request id are
   * {@link QuarantineReason#DUPLICATE_REQUEST_ID} (see {@link Deduplication}), checked last; finding them may run a
   * Spark job over the request ids.
   */
  public static Dataset<Row> statusOfEachRow(Dataset<Row> normalized, RateCardTables card, Period period,
      boolean dedupe) {
    return statusOfEachRow(normalized, card, period, dedupe ? Deduplication.Plan.FIND_REPEATED_IDS_FIRST
        : Deduplication.Plan.NONE);
  }

  /** The same, deduplicating as {@code deduplication} says. */
  public static Dataset<Row> statusOfEachRow(Dataset<Row> normalized, RateCardTables card, Period period,
      Deduplication.Plan deduplication) {
    Dataset<Row> resolved = RateLookup.resolve(normalized, card);
    Column status = when(col(CanonicalSchema.MALFORMED_DETAIL).isNotNull(), reason(QuarantineReason.MALFORMED_RECORD))
        .when(col(CanonicalSchema.SKIPPED_AS).isNotNull(), col(CanonicalSchema.SKIPPED_AS))
        .when(col(CanonicalSchema.HAS_TIMESTAMP).equalTo(false), reason(QuarantineReason.MISSING_TIMESTAMP))
        .when(col(CanonicalSchema.EVENT_TIME).isNull(), reason(QuarantineReason.BAD_TIMESTAMP))
        .when(outside(period), lit(RowStatus.OUTSIDE_PERIOD))
        .when(col(CanonicalSchema.MODEL).isNull(), reason(QuarantineReason.MISSING_MODEL))
        .when(anyNegativeTokens(), reason(QuarantineReason.NEGATIVE_TOKENS))
        .when(col(RateCardTables.PRICE_ID).isNull(), lit(RowStatus.UNRESOLVED_PRICE))
        .when(anyUnpricedFee(), reason(QuarantineReason.NO_FEE_PRICE))
        .otherwise(lit(RowStatus.PRICED));
    return Deduplication.apply(deduplication, normalized, resolved.withColumn(RowStatus.COLUMN, status));
  }

  /** The rows that go on to pricing. */
  public static Dataset<Row> accepted(Dataset<Row> classified) {
    return classified.filter(col(RowStatus.COLUMN).equalTo(lit(RowStatus.PRICED)));
  }

  /** The quarantined rows as they are written: reason, detail, source file, day (when known) and original record. */
  public static Dataset<Row> quarantined(Dataset<Row> classified) {
    return classified
        .filter(isQuarantined())
        .select(
            col(RowStatus.COLUMN).as(REASON),
            detail().as(DETAIL),
            col(CanonicalSchema.SOURCE_FILE),
            col(CanonicalSchema.DAY),
            col(CanonicalSchema.RAW_RECORD));
  }

  /** Whether a classified row's status is a quarantine reason. */
  public static Column isQuarantined() {
    return col(RowStatus.COLUMN).isin((Object[]) reasonNames());
  }

  /** Whether a row's record is kept for the quarantine: it is quarantined, or will be once its reason is known. */
  public static Column keepsItsRecord() {
    return isQuarantined().or(col(RowStatus.COLUMN).equalTo(lit(RowStatus.UNRESOLVED_PRICE)));
  }

  private static Column reason(QuarantineReason reason) {
    return lit(reason.name());
  }

  private static String[] reasonNames() {
    QuarantineReason[] reasons = QuarantineReason.values();
    String[] names = new String[reasons.length];
    for (int i = 0; i < reasons.length; i++) {
      names[i] = reasons[i].name();
    }
    return names;
  }

  private static Column outside(Period period) {
    Column day = col(CanonicalSchema.DAY);
    Column outside = lit(false);
    if (period.from().isPresent()) {
      outside = outside.or(day.lt(lit(Date.valueOf(period.from().get()))));
    }
    if (period.to().isPresent()) {
      outside = outside.or(day.gt(lit(Date.valueOf(period.to().get()))));
    }
    return outside;
  }

  private static Column anyNegativeTokens() {
    Column negative = lit(false);
    for (String tokens : CanonicalSchema.COUNT_COLUMNS) {
      negative = negative.or(coalesce(col(tokens).lt(0), lit(false)));
    }
    return negative;
  }

  /** Uses of a fee (more than none) on a rate that prices no such fee. */
  private static Column unpricedFee(Fee fee) {
    return coalesce(col(fee.countColumn()).gt(0).and(col(RateCardTables.rateFeePriceColumn(fee)).isNull()), lit(false));
  }

  private static Column anyUnpricedFee() {
    Column unpriced = lit(false);
    for (Fee fee : Fee.values()) {
      unpriced = unpriced.or(unpricedFee(fee));
    }
    return unpriced;
  }

  /**
   * The fields of a row its quarantine detail is written from, beside its status and day: the pass keeps them for the
   * rows it quarantines ({@code rollup.UsageAggregation}), and the detail is written once per group after it.
   */
  public static final List<String> DETAIL_FIELDS = detailFields();

  /** One line a person can act on, for a quarantined classified row. */
  public static Column detail() {
    return detail(functions::col);
  }

  /**
   * The same, reading the {@link #DETAIL_FIELDS} through {@code field}: a row's own columns, or the fields a group of
   * quarantined rows kept.
   */
  public static Column detail(Function<String, Column> field) {
    List<Column> negatives = new ArrayList<>();
    for (String tokens : CanonicalSchema.COUNT_COLUMNS) {
      negatives.add(when(field.apply(tokens).lt(0), concat(lit(tokens + " is "), field.apply(tokens).cast("string"))));
    }
    List<Column> unpricedFees = new ArrayList<>();
    for (Fee fee : Fee.values()) {
      Column uses = field.apply(fee.countColumn());
      Column unpriced = uses.gt(0).and(field.apply(RateCardTables.rateFeePriceColumn(fee)).isNull());
      unpricedFees.add(when(unpriced, concat(lit(fee.countColumn() + ": "), uses.cast("string"),
          lit(" " + fee.uses() + ", but the rate card prices no " + fee.key() + " fee for "),
          field.apply(CanonicalSchema.PROVIDER), lit(" "), field.apply(PricingColumns.CARD_MODEL), lit(" on "),
          col(CanonicalSchema.DAY).cast("string"))));
    }
    Column status = col(RowStatus.COLUMN);
    return when(status.equalTo(reason(QuarantineReason.MALFORMED_RECORD)), field.apply(CanonicalSchema.MALFORMED_DETAIL))
        .when(status.equalTo(reason(QuarantineReason.MISSING_TIMESTAMP)), lit("timestamp is missing"))
        .when(status.equalTo(reason(QuarantineReason.BAD_TIMESTAMP)),
            lit("timestamp must be ISO-8601 with an offset or Z, or epoch milliseconds"))
        .when(status.equalTo(reason(QuarantineReason.DUPLICATE_REQUEST_ID)), field.apply(Deduplication.FIRST_READ))
        .when(status.equalTo(reason(QuarantineReason.MISSING_MODEL)), lit("model is missing"))
        .when(status.equalTo(reason(QuarantineReason.NEGATIVE_TOKENS)),
            concat_ws("; ", negatives.toArray(Column[]::new)))
        .when(status.equalTo(reason(QuarantineReason.NO_FEE_PRICE)),
            concat_ws("; ", unpricedFees.toArray(Column[]::new)))
        .otherwise(priceNotFoundDetail(field));
  }

  /**
   * The detail of {@link QuarantineReason#UNKNOWN_MODEL}, {@link QuarantineReason#NO_RATE_IN_FORCE} and
   * {@link QuarantineReason#UNPRICED_OPTION}, from the row's provider, model (as the log wrote it), card model, day
   * and option values; null for any other status.
   */
  private static Column priceNotFoundDetail(Function<String, Column> field) {
    List<Column> options = new ArrayList<>();
    for (PricingOption option : PricingOption.values()) {
      options.add(concat(lit(option.column() + "="), field.apply(option.column())));
    }
    Column model = field.apply(CanonicalSchema.MODEL);
    Column provider = field.apply(CanonicalSchema.PROVIDER);
    Column cardModel = field.apply(PricingColumns.CARD_MODEL);
    Column status = col(RowStatus.COLUMN);
    return when(status.equalTo(reason(QuarantineReason.UNKNOWN_MODEL)).and(model.rlike(APPLICATION_INFERENCE_PROFILE)),
            concat(lit("model '"), model, lit("' of provider '"), provider,
                lit("' is a Bedrock application inference profile, which names no model: add it to the aliases"
                    + " of the model it copies (aws bedrock get-inference-profile shows which) in the rate card")))
        .when(status.equalTo(reason(QuarantineReason.UNKNOWN_MODEL)),
            concat(lit("model '"), model, lit("' of provider '"), provider, lit("' is not in the rate card")))
        .when(status.equalTo(reason(QuarantineReason.NO_RATE_IN_FORCE)),
            concat(cardModel, lit(" has no rate in force on "), col(CanonicalSchema.DAY).cast("string")))
        .when(status.equalTo(reason(QuarantineReason.UNPRICED_OPTION)),
            concat(lit("the rate of " ), cardModel, lit(" has no price for "),
                concat_ws(", ", options.toArray(Column[]::new))));
  }

  private static List<String> detailFields() {
    List<String> fields = new ArrayList<>(List.of(CanonicalSchema.MALFORMED_DETAIL, Deduplication.FIRST_READ,
        CanonicalSchema.PROVIDER, CanonicalSchema.MODEL, PricingColumns.CARD_MODEL));
    for (PricingOption option : PricingOption.values()) {
      fields.add(option.column());
    }
    fields.addAll(CanonicalSchema.COUNT_COLUMNS);
    for (Fee fee : Fee.values()) {
      fields.add(RateCardTables.rateFeePriceColumn(fee));
    }
    return List.copyOf(fields);
  }
}
