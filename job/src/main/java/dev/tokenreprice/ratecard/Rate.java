package dev.tokenreprice.ratecard;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
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
 * @param unavailable option combinations the provider does not offer (Claude's fast mode with Batch): a row with
 *     all the values of one of them has no price ({@code UNPRICED_OPTION}), whatever the multipliers would say
 */
public record Rate(
    LocalDate effectiveFrom,
    TokenPrices prices,
    Optional<LongPromptTier> longPrompt,
    Map<PricingOption, Map<String, BigDecimal>> modifiers,
    Map<Fee, BigDecimal> fees,
    Optional<LocalDate> promotionalUntil,
    List<Map<PricingOption, String>> unavailable) {

  public Rate {
    unavailable = unavailable.stream().map(Map::copyOf).toList();
  }

  /** A rate that every combination of its option values prices. */
  public Rate(LocalDate effectiveFrom, TokenPrices prices, Optional<LongPromptTier> longPrompt,
      Map<PricingOption, Map<String, BigDecimal>> modifiers, Map<Fee, BigDecimal> fees,
      Optional<LocalDate> promotionalUntil) {
    this(effectiveFrom, prices, longPrompt, modifiers, fees, promotionalUntil, List.of());
  }

  /** A rate without a promotion's end. */
  public Rate(LocalDate effectiveFrom, TokenPrices prices, Optional<LongPromptTier> longPrompt,
      Map<PricingOption, Map<String, BigDecimal>> modifiers, Map<Fee, BigDecimal> fees) {
    this(effectiveFrom, prices, longPrompt, modifiers, fees, Optional.empty());
  }
}
