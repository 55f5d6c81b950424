package dev.tokenreprice.samples;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One model of the synthetic traffic: its share of requests and what conf/rate-card.yaml prices for it, so
 * every good row the generator gives it can be priced.
 *
 * @param provider the log's provider value
 * @param model the canonical id in the rate card
 * @param share relative share of all requests
 * @param loggedAlias an alias the card lists, used for some of the model's rows
 * @param firstPricedDay the effective_from of the model's first rate: no good row is earlier
 * @param fastModePriced whether the card prices {@code speed: fast} for the model
 * @param usInferencePriced whether the card prices {@code inference_geo: us} for the model
 * @param longPromptAbove the card's long-prompt threshold (prompt tokens), if the model has that tier
 * @param premiumServiceTiers service tiers beyond standard and batch that the card prices for the model
 */
record ModelProfile(
    String provider,
    String model,
    double share,
    Optional<String> loggedAlias,
    LocalDate firstPricedDay,
    boolean fastModePriced,
    boolean usInferencePriced,
    OptionalLong longPromptAbove,
    List<String> premiumServiceTiers) {

  ModelProfile {
    if (share <= 0) {
      throw new IllegalArgumentException("share of " + model + " must be positive, cannot be: " + share);
    }
    premiumServiceTiers = List.copyOf(premiumServiceTiers);
  }

  static ModelProfile anthropic(String model, double share, String firstPricedDay) {
    return new ModelProfile(ModelMix.ANTHROPIC, model, share, Optional.empty(), LocalDate.parse(firstPricedDay),
        false, false, OptionalLong.empty(), List.of());
  }

  static ModelProfile openai(String model, double share, String firstPricedDay, String... premiumServiceTiers) {
    return new ModelProfile(ModelMix.OPENAI, model, share, Optional.empty(), LocalDate.parse(firstPricedDay),
        false, false, OptionalLong.empty(), List.of(premiumServiceTiers));
  }

  ModelProfile withAlias(String alias) {
    return new ModelProfile(provider, model, share, Optional.of(alias), firstPricedDay, fastModePriced,
        usInferencePriced, longPromptAbove, premiumServiceTiers);
  }

  ModelProfile withFastMode() {
    return new ModelProfile(provider, model, share, loggedAlias, firstPricedDay, true, usInferencePriced,
        longPromptAbove, premiumServiceTiers);
  }

  ModelProfile withUsInference() {
    return new ModelProfile(provider, model, share, loggedAlias, firstPricedDay, fastModePriced, true,
        longPromptAbove, premiumServiceTiers);
  }

  ModelProfile withLongPromptAbove(long promptTokens) {
    return new ModelProfile(provider, model, share, loggedAlias, firstPricedDay, fastModePriced, usInferencePriced,
        OptionalLong.of(promptTokens), premiumServiceTiers);
  }
}
