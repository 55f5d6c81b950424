package dev.tokenreprice.ratecard;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * One model of the rate card: its canonical id, the other names logs use for it, and its rates in
 * ascending order of {@code effectiveFrom}.
 *
 * @param retiredOn the first UTC day the provider serves the model no more, when the card knows one: it changes no
 *     price (a late log of a retired model still prices), only which models a team can still move to
 */
public record CardModel(
    String provider,
    String model,
    List<String> aliases,
    BigDecimal tokensPerReferenceToken,
    List<Rate> rates,
    Optional<LocalDate> retiredOn) {

  /** A model with no known retirement. */
  public CardModel(String provider, String model, List<String> aliases, BigDecimal tokensPerReferenceToken,
      List<Rate> rates) {
    this(provider, model, aliases, tokensPerReferenceToken, rates, Optional.empty());
  }

  /** Whether the provider still serves the model on {@code day}. */
  public boolean offeredOn(LocalDate day) {
    return retiredOn.map(day::isBefore).orElse(true);
  }
}
