package dev.tokenreprice.cardcheck;

import dev.tokenreprice.ratecard.ModelNames;
import java.math.BigDecimal;
import java.util.Map;
import java.util.function.Predicate;

/**
 * One model entry of a public price table, in the card's terms.
 *
 * @param provider the card's provider the entry is for ({@code anthropic}, {@code openai}, {@code bedrock}, {@code google})
 * @param key the entry's id as the table writes it, for the report
 * @param geo the {@code inference_geo} the entry's prices are for ({@code global}; on Bedrock the profile's scope)
 * @param names which model ids and aliases of the card the entry is for
 * @param prices the entry's prices by kind, read as the decimals the table prints
 */
public record TablePrice(String provider, String key, String geo, Predicate<String> names,
    Map<PriceKind, BigDecimal> prices) {
  public TablePrice {
    prices = Map.copyOf(prices);
  }

  /** An entry for the card model with this id or alias, compared as logs are ({@link ModelNames#key}). */
  public static TablePrice named(String provider, String key, String modelId, String geo,
      Map<PriceKind, BigDecimal> prices) {
    String wanted = ModelNames.key(modelId);
    return new TablePrice(provider, key, geo, name -> ModelNames.key(name).equals(wanted), prices);
  }
}
