package dev.tokenreprice.ratecard;

import java.util.List;
import java.util.Optional;

/** A validated rate card, with where it came from and the SHA-256 of its bytes for the manifest. */
public record RateCard(String source, String sha256, String currency, List<CardModel> models) {

  /** The provider's model with this id or alias, compared as logs are ({@link ModelNames#key}). */
  public Optional<CardModel> model(String provider, String name) {
    String key = ModelNames.key(name);
    return models.stream()
        .filter(model -> model.provider().equals(provider))
        .filter(model -> ModelNames.key(model.model()).equals(key)
            || model.aliases().stream().anyMatch(alias -> ModelNames.key(alias).equals(key)))
        .findFirst();
  }
}
