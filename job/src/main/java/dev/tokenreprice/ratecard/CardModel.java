package dev.tokenreprice.ratecard;

import java.math.BigDecimal;
import java.util.List;

/**
 * One model of the rate card: its canonical id, the other names logs use for it, and its rates in
 * ascending order of {@code effectiveFrom}.
 */
public record CardModel(
    String provider,
    String model,
    List<String> aliases,
    BigDecimal tokensPerReferenceToken,
    List<Rate> rates) {}
