package dev.tokenreprice.ratecard;

import java.util.Arrays;
import java.util.Optional;

/**
 * The per-request options that change a price: each row carries a value for each, and a rate's
 * modifier table maps the value to a multiplier of every token price.
 */
public enum PricingOption {
  SERVICE_TIER("service_tier", "standard"),
  SPEED("speed", "standard"),
  INFERENCE_GEO("inference_geo", "global");

  private final String column;
  private final String defaultValue;

  PricingOption(String column, String defaultValue) {
    this.column = column;
    this.defaultValue = defaultValue;
  }

  /** The log field and rate-card key, for example {@code service_tier}. */
  public String column() {
    return column;
  }

  /** The value a row has when its log says nothing, priced at 1 unless the card says otherwise. */
  public String defaultValue() {
    return defaultValue;
  }

  public static Optional<PricingOption> byColumn(String column) {
    return Arrays.stream(values()).filter(option -> option.column.equals(column)).findFirst();
  }
}
