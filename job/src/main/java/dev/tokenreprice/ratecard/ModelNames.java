package dev.tokenreprice.ratecard;

import java.util.Locale;

/** How a model name from a log or the card is compared: trimmed and case-insensitive. */
public final class ModelNames {
  private ModelNames() {}

  public static String key(String name) {
    return name.trim().toLowerCase(Locale.ROOT);
  }
}
