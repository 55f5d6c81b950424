package dev.tokenreprice.pricing;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.trim;

import dev.tokenreprice.input.CanonicalSchema;
import dev.tokenreprice.ratecard.PricingOption;
import dev.tokenreprice.ratecard.RateCardTables;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Finds the price that applies to each row with three broadcast joins against the rate card: the model
 * by name or alias within the row's provider, the rate in force on the row's day, and the row's option
 * values within that rate. A column left null says which step found nothing, which is what validation
 * turns into a quarantine reason.
 */
public final class RateLookup {
  private RateLookup() {}

  /**
   * Adds {@link RateCardTables#MODEL_KEY}, {@link PricingColumns#CARD_MODEL}, {@link RateCardTables#RATE_ID},
   * {@link RateCardTables#PRICE_ID} (null where no model, rate or option price was found) and
   * {@link PricingColumns#LONG_PROMPT}.
   */
  public static Dataset<Row> resolve(Dataset<Row> rows, RateCardTables card) {
    Dataset<Row> withModel = rows
        .join(broadcast(card.modelNames()),
            col(CanonicalSchema.PROVIDER).equalTo(col(RateCardTables.CARD_PROVIDER))
                .and(lower(trim(col(CanonicalSchema.MODEL))).equalTo(col(RateCardTables.CARD_NAME))),
            "left")
        .drop(RateCardTables.CARD_PROVIDER, RateCardTables.CARD_NAME)
        .withColumnRenamed(RateCardTables.CARD_MODEL, PricingColumns.CARD_MODEL);

    Dataset<Row> withRate = withModel
        .join(broadcast(card.ratePeriods()),
            col(RateCardTables.MODEL_KEY).equalTo(col(RateCardTables.PERIOD_MODEL_KEY)).and(inForceOn(col(CanonicalSchema.DAY))),
            "left")
        .drop(RateCardTables.PERIOD_MODEL_KEY, RateCardTables.EFFECTIVE_FROM, RateCardTables.EFFECTIVE_UNTIL);

    Dataset<Row> withPrice = withRate
        .join(broadcast(card.rateOptions()), optionsMatch(col(RateCardTables.RATE_ID), col(PricingOption.SERVICE_TIER.column())),
            "left")
        .drop(RateCardTables.OPTION_RATE_ID);
    for (PricingOption option : PricingOption.values()) {
      withPrice = withPrice.drop(RateCardTables.optionColumn(option));
    }

    Column above = col(RateCardTables.LONG_PROMPT_ABOVE);
    return withPrice
        .withColumn(PricingColumns.LONG_PROMPT, coalesce(above.isNotNull().and(promptTokens().gt(above)), lit(false)))
        .drop(RateCardTables.LONG_PROMPT_ABOVE);
  }

  /** Join condition against {@link RateCardTables#ratePeriods()}: the rate period holds {@code day}. */
  public static Column inForceOn(Column day) {
    return day.geq(col(RateCardTables.EFFECTIVE_FROM))
        .and(col(RateCardTables.EFFECTIVE_UNTIL).isNull().or(day.lt(col(RateCardTables.EFFECTIVE_UNTIL))));
  }

  /**
   * Join condition against {@link RateCardTables#rateOptions()}: the rate, the given service tier and the
   * row's own speed and inference region.
   */
  public static Column optionsMatch(Column rateId, Column serviceTier) {
    return rateId.equalTo(col(RateCardTables.OPTION_RATE_ID))
        .and(serviceTier.equalTo(col(RateCardTables.optionColumn(PricingOption.SERVICE_TIER))))
        .and(col(PricingOption.SPEED.column()).equalTo(col(RateCardTables.optionColumn(PricingOption.SPEED))))
        .and(col(PricingOption.INFERENCE_GEO.column())
            .equalTo(col(RateCardTables.optionColumn(PricingOption.INFERENCE_GEO))));
  }

  /** The prompt a long-prompt threshold is measured on: uncached input, both cache writes and cache reads. */
  public static Column promptTokens() {
    return col(CanonicalSchema.INPUT_TOKENS)
        .plus(col(CanonicalSchema.CACHE_WRITE_5M_TOKENS))
        .plus(col(CanonicalSchema.CACHE_WRITE_1H_TOKENS))
        .plus(col(CanonicalSchema.CACHE_READ_TOKENS));
  }
}
