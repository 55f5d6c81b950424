package dev.tokenreprice.pricing;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.trim;

import dev.tokenreprice.input.CanonicalSchema;
import dev.tokenreprice.ratecard.PricingOption;
import dev.tokenreprice.ratecard.RateCardTables;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Finds the price that applies to each row with one broadcast join against the rate card's price lookup: the
 * row's provider, model name or alias, option values and day. A row it finds nothing for has no price: an unknown
 * model, no rate in force that day, or option values the rate does not price; which of the three is worked out
 * later, once per distinct key, by {@code validate.UnresolvedPrices}.
 */
public final class RateLookup {
  private RateLookup() {}

  /**
   * Adds {@link PricingColumns#CARD_MODEL}, {@link RateCardTables#TOKEN_FACTOR}, {@link RateCardTables#RATE_ID},
   * {@link RateCardTables#PRICE_ID}, the rate's fee prices (all null where no price was found) and
   * {@link PricingColumns#LONG_PROMPT}.
   */
  public static Dataset<Row> resolve(Dataset<Row> rows, RateCardTables card) {
    Column matches = namesModel(col(CanonicalSchema.PROVIDER), col(CanonicalSchema.MODEL),
        col(RateCardTables.LOOKUP_PROVIDER), col(RateCardTables.LOOKUP_NAME));
    for (PricingOption option : PricingOption.values()) {
      matches = matches.and(col(option.column()).equalTo(col(RateCardTables.optionColumn(option))));
    }
    matches = matches.and(inForceOn(col(CanonicalSchema.DAY)));
    List<String> lookupOnly = new ArrayList<>(List.of(RateCardTables.LOOKUP_PROVIDER, RateCardTables.LOOKUP_NAME,
        RateCardTables.EFFECTIVE_FROM, RateCardTables.EFFECTIVE_UNTIL, RateCardTables.LONG_PROMPT_ABOVE));
    for (PricingOption option : PricingOption.values()) {
      lookupOnly.add(RateCardTables.optionColumn(option));
    }
    Column above = col(RateCardTables.LONG_PROMPT_ABOVE);
    return rows.join(card.toJoin(card.priceLookup()), matches, "left")
        .withColumn(PricingColumns.LONG_PROMPT, coalesce(above.isNotNull().and(promptTokens().gt(above)), lit(false)))
        .drop(lookupOnly.toArray(String[]::new));
  }

  /**
   * Join condition against a table of the card's names: the provider as logged, the model lower-cased and trimmed as
   * the card's names are on the driver.
   */
  public static Column namesModel(Column provider, Column model, Column cardProvider, Column cardName) {
    return provider.equalTo(cardProvider).and(lower(trim(model)).equalTo(cardName));
  }

  /** Join condition against a table of rate periods: the period holds {@code day}. */
  public static Column inForceOn(Column day) {
    return day.geq(col(RateCardTables.EFFECTIVE_FROM))
        .and(col(RateCardTables.EFFECTIVE_UNTIL).isNull().or(day.lt(col(RateCardTables.EFFECTIVE_UNTIL))));
  }

  /** The prompt a long-prompt threshold is measured on: uncached input, both cache writes and cache reads. */
  public static Column promptTokens() {
    return col(CanonicalSchema.INPUT_TOKENS)
        .plus(col(CanonicalSchema.CACHE_WRITE_5M_TOKENS))
        .plus(col(CanonicalSchema.CACHE_WRITE_1H_TOKENS))
        .plus(col(CanonicalSchema.CACHE_READ_TOKENS));
  }
}
