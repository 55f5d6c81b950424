package dev.tokenreprice.reconcile;

import java.math.BigDecimal;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reads money from bills as exact decimals: plain notation only, so a currency sign or a thousands separator is an error. */
final class BillAmounts {
  private static final Pattern PLAIN_DECIMAL = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");

  private BillAmounts() {}

  static Optional<BigDecimal> decimal(String text) {
    String value = text.trim();
    return PLAIN_DECIMAL.matcher(value).matches() ? Optional.of(new BigDecimal(value)) : Optional.empty();
  }
}
