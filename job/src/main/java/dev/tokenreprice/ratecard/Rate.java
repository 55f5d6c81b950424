package dev.tokenreprice.ratecard;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;

/**
 * The prices of one model from {@code effectiveFrom} (a UTC day, inclusive) until the next rate of the
 * same model. Cache prices are already resolved (explicit, or multiplier times input), and the modifier
 * tables are already merged over the card's defaults, with each option's default value present. The fees
 * (USD per use) are merged too: the rate's own over its provider's defaults over the card's defaults; a fee
 * absent from the map is not priced on this rate.
 *
 * @param promotionalUntil the last day a source confirms a promotional price for: rows after it are still priced
 *     at this rate (no later price is known) but the run flags them
 */
public record Rate(
    LocalDate effectiveFrom,
    TokenPrices prices,
    Optional<LongPromptTier> longPrompt,
    Map<PricingOption, Map<String, BigDecimal>> modifiers,
    Map<Fee, BigDecimal> fees,
    Optional<LocalDate> promotionalUntil) {

  /** A rate without a promotion's end. */
  public Rate(LocalDate effectiveFrom, TokenPrices prices, Optional<LongPromptTier> longPrompt,
      Map<PricingOption, Map<String, BigDecimal>> modifiers, Map<Fee, BigDecimal> fees) {
    this(effectiveFrom, prices, longPrompt, modifiers, fees, Optional.empty());
  }
}
