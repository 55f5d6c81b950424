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
 */
public record Rate(
    LocalDate effectiveFrom,
    TokenPrices prices,
    Optional<LongPromptTier> longPrompt,
    Map<PricingOption, Map<String, BigDecimal>> modifiers,
    Map<Fee, BigDecimal> fees) {}
