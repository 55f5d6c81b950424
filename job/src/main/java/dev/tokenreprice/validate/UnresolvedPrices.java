package dev.tokenreprice.validate;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import dev.tokenreprice.input.CanonicalSchema;
import dev.tokenreprice.pricing.PricingColumns;
import dev.tokenreprice.pricing.RateLookup;
import dev.tokenreprice.ratecard.RateCardTables;
import java.util.List;
import java.util.function.Function;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * Says why the rate card had no price for a row ({@link RowStatus#UNRESOLVED_PRICE}): its model is not in the card
 * under its provider ({@link QuarantineReason#UNKNOWN_MODEL}), the day is before the model's first rate
 * ({@link QuarantineReason#NO_RATE_IN_FORCE}: a model's rates follow each other without a gap), or else the rate in
 * force does not price its option values ({@link QuarantineReason#UNPRICED_OPTION}). Asked of the usage groups
 * after the pass over the logs, it runs once per distinct record without a price, not once per row; one
 * shuffle-hash join with the card's names, small on both sides, which starts no Spark job of its own.
 */
public final class UnresolvedPrices {
  private static final String NAMED_MODEL = "__reprice_named_model";
  private static final String FIRST_DAY = "__reprice_first_day";
  private static final String NAME_PROVIDER = "__reprice_name_provider";
  private static final String NAME = "__reprice_name";

  private UnresolvedPrices() {}

  /**
   * Rows or groups with {@link RowStatus#COLUMN}, the provider, model (as the log wrote it) and day, with every
   * {@link RowStatus#UNRESOLVED_PRICE} replaced by its reason and {@link PricingColumns#CARD_MODEL} set where the
   * card knows the model; other rows unchanged.
   */
  public static Dataset<Row> explain(Dataset<Row> rows, RateCardTables card) {
    return explain(rows, card, functions::col);
  }

  /** The same, reading the provider and the model through {@code field}: a row's columns, or what a group kept. */
  public static Dataset<Row> explain(Dataset<Row> rows, RateCardTables card, Function<String, Column> field) {
    Dataset<Row> names = card.modelNames().select(col(RateCardTables.CARD_PROVIDER).as(NAME_PROVIDER),
        col(RateCardTables.CARD_NAME).as(NAME), col(RateCardTables.CARD_MODEL).as(NAMED_MODEL),
        col(RateCardTables.FIRST_EFFECTIVE_FROM).as(FIRST_DAY));
    Column unresolved = col(RowStatus.COLUMN).equalTo(lit(RowStatus.UNRESOLVED_PRICE));
    Column matches = unresolved.and(RateLookup.namesModel(field.apply(CanonicalSchema.PROVIDER),
        field.apply(CanonicalSchema.MODEL), col(NAME_PROVIDER), col(NAME)));
    Column reason = when(col(NAMED_MODEL).isNull(), lit(QuarantineReason.UNKNOWN_MODEL.name()))
        .when(col(CanonicalSchema.DAY).lt(col(FIRST_DAY)), lit(QuarantineReason.NO_RATE_IN_FORCE.name()))
        .otherwise(lit(QuarantineReason.UNPRICED_OPTION.name()));
    Column cardModel = List.of(rows.columns()).contains(PricingColumns.CARD_MODEL)
        ? coalesce(col(PricingColumns.CARD_MODEL), col(NAMED_MODEL)) : col(NAMED_MODEL);
    return rows.join(card.toJoin(names), matches, "left")
        .withColumn(RowStatus.COLUMN, when(unresolved, reason).otherwise(col(RowStatus.COLUMN)))
        .withColumn(PricingColumns.CARD_MODEL, cardModel)
        .drop(NAME_PROVIDER, NAME, NAMED_MODEL, FIRST_DAY);
  }
}
