package dev.tokenreprice.cardcheck;

import java.math.BigDecimal;
import java.util.Optional;

/**
 * One line of card-check.csv: a price of a model as the card and a table give it, or a model only one of them has
 * ({@code kind} {@code model}).
 */
public record CardCheckLine(String table, String provider, String model, String tableKey, String kind,
    Optional<BigDecimal> cardValue, Optional<BigDecimal> tableValue, Status status) {
  public static final String WHOLE_MODEL = "model";

  /** How the two compare. */
  public enum Status {
    /** Both state the price, and it is the same decimal. */
    AGREE,
    /** Both state the price, and the decimals differ: check the provider's page, then the card or the table. */
    DIFFER,
    /** The card has the model or the price; the table does not state it. */
    ONLY_IN_CARD,
    /** The table has the model or the price; the card has none for it on the day. */
    ONLY_IN_TABLE
  }
}
