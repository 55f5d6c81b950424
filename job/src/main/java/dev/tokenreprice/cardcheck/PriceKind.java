package dev.tokenreprice.cardcheck;

import dev.tokenreprice.ratecard.LongPromptTier;
import dev.tokenreprice.ratecard.PricingOption;
import dev.tokenreprice.ratecard.Rate;
import dev.tokenreprice.ratecard.TokenPrices;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A price the card and a public price table can both state: USD per million tokens, or for the long-prompt threshold a
 * number of prompt tokens. The card's value is read from the rate in force, times the table entry's scope
 * ({@code inference_geo}) and, for a tier's kind, the tier's multiplier.
 */
public enum PriceKind {
  INPUT("input", "standard", TokenPrices::input),
  OUTPUT("output", "standard", TokenPrices::output),
  CACHE_WRITE_5M("cache_write_5m", "standard", TokenPrices::cacheWrite5m),
  CACHE_WRITE_1H("cache_write_1h", "standard", TokenPrices::cacheWrite1h),
  CACHE_READ("cache_read", "standard", TokenPrices::cacheRead),
  LONG_PROMPT_ABOVE_TOKENS("long_prompt_above_tokens", "standard", null),
  LONG_INPUT("long_input", "standard", TokenPrices::input),
  LONG_OUTPUT("long_output", "standard", TokenPrices::output),
  LONG_CACHE_WRITE_5M("long_cache_write_5m", "standard", TokenPrices::cacheWrite5m),
  LONG_CACHE_READ("long_cache_read", "standard", TokenPrices::cacheRead),
  BATCH_INPUT("batch_input", "batch", TokenPrices::input),
  BATCH_OUTPUT("batch_output", "batch", TokenPrices::output),
  FLEX_INPUT("flex_input", "flex", TokenPrices::input),
  FLEX_OUTPUT("flex_output", "flex", TokenPrices::output),
  PRIORITY_INPUT("priority_input", "priority", TokenPrices::input),
  PRIORITY_OUTPUT("priority_output", "priority", TokenPrices::output);

  private final String csvName;
  private final String serviceTier;
  private final Function<TokenPrices, BigDecimal> price;

  PriceKind(String csvName, String serviceTier, Function<TokenPrices, BigDecimal> price) {
    this.csvName = csvName;
    this.serviceTier = serviceTier;
    this.price = price;
  }

  /** The name card-check.csv gives the kind. */
  public String csvName() {
    return csvName;
  }

  private boolean longTier() {
    return csvName.startsWith("long_");
  }

  /**
   * The card's value of this kind on {@code rate} for a request of scope {@code geo}, or empty where the card prices no
   * such request (no long tier, a tier or scope the rate does not list, a combination it marks unavailable).
   */
  public Optional<BigDecimal> onCard(Rate rate, String geo) {
    if (this == LONG_PROMPT_ABOVE_TOKENS) {
      return rate.longPrompt().map(tier -> BigDecimal.valueOf(tier.abovePromptTokens()));
    }
    Optional<TokenPrices> prices = longTier() ? rate.longPrompt().map(LongPromptTier::prices) : Optional.of(rate.prices());
    BigDecimal tier = rate.modifiers().getOrDefault(PricingOption.SERVICE_TIER, Map.of()).get(serviceTier);
    BigDecimal scope = rate.modifiers().getOrDefault(PricingOption.INFERENCE_GEO, Map.of()).get(geo);
    if (prices.isEmpty() || tier == null || scope == null || unavailable(rate, geo)) {
      return Optional.empty();
    }
    return Optional.of(price.apply(prices.get()).multiply(tier).multiply(scope));
  }

  private boolean unavailable(Rate rate, String geo) {
    Map<PricingOption, String> request = Map.of(PricingOption.SERVICE_TIER, serviceTier,
        PricingOption.SPEED, PricingOption.SPEED.defaultValue(), PricingOption.INFERENCE_GEO, geo);
    return rate.unavailable().stream().anyMatch(combination -> combination.entrySet().stream()
        .allMatch(value -> value.getValue().equals(request.get(value.getKey()))));
  }
}
