package dev.tokenreprice.reconcile;

import java.math.BigDecimal;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads money from bills as exact decimals, in plain or E notation ({@code 1.5E-4}, as some exports write small
 * amounts; an exponent of at most three digits, so that no amount prints as a billion digits). A currency sign or
 * a thousands separator is an error.
 */
final class BillAmounts {
  private static final Pattern PLAIN_DECIMAL = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d{1,3})?");

  private BillAmounts() {}

  static Optional<BigDecimal> decimal(String text) {
    String value = text.trim();
    return PLAIN_DECIMAL.matcher(value).matches() ? Optional.of(new BigDecimal(value)) : Optional.empty();
  }

  /** Refuses a line whose currency field is given and is not the rate card's: its amounts cannot be compared. */
  static void checkCurrency(String path, String where, String field, Optional<String> given, String currency) {
    if (given.isPresent() && !given.get().equalsIgnoreCase(currency)) {
      throw BillFileException.at(path, where, "'" + field + "' must be the rate card's currency " + currency
          + ", cannot be: " + given.get() + " (reconcile a bill in the card's currency)");
    }
  }
}
