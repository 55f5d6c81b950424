package dev.tokenreprice.reconcile;

import dev.tokenreprice.input.CanonicalSchema;
import dev.tokenreprice.ratecard.CardModel;
import dev.tokenreprice.ratecard.RateCard;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Maps the model names bills use to the rate card's canonical ids, so a bill line and the rollup name the same
 * model the same way. A name is first looked up as the logs' names are (id or alias, case-insensitive); failing
 * that, as a display name: {@code Claude Sonnet 4.5 (Amazon Bedrock Edition)} and {@code claude-sonnet-4.5} both
 * read as {@code claude-sonnet-4-5} (lower case, a trailing parenthesis dropped, spaces, dots and underscores
 * as hyphens) and match the one card model of the provider that reads the same. Both are tried on the name as
 * given and as the log formats read it ({@link #logsModelId}).
 */
final class BillModels {
  private static final Pattern TRAILING_PARENTHESIS = Pattern.compile("\\s*\\([^)]*\\)\\s*$");
  private static final Pattern SEPARATORS = Pattern.compile("[\\s._-]+");
  private static final Pattern INFERENCE_PROFILE_PREFIX = Pattern.compile("^[a-z]{2,6}(-[a-z]+)?[.](?=[a-z0-9-]+[.])");
  private static final Pattern SNAPSHOT_DATE = Pattern.compile("-[0-9]{4}-[0-9]{2}-[0-9]{2}$");
  /** A gateway's provider prefix ({@code anthropic/claude-sonnet-4-6}, LiteLLM's model names). */
  private static final Pattern PROVIDER_PREFIX = Pattern.compile("^([A-Za-z0-9_-]+)/(?=[^/]+$)");
  /** LiteLLM's provider names that the card names otherwise. */
  private static final Map<String, String> GATEWAY_PROVIDERS = Map.of("vertex_ai", "google", "gemini", "google",
      "vertex_ai_beta", "google");

  private final RateCard card;
  private final Map<List<String>, Optional<String>> found = new HashMap<>();

  BillModels(RateCard card) {
    this.card = card;
  }

  /** The card's id of the provider's model with this name; empty when the card does not have it. */
  Optional<String> find(String provider, String name) {
    // A large FOCUS export repeats a few service and SKU names on every line: look each up once.
    return found.computeIfAbsent(List.of(provider, name), key -> lookUp(provider, name));
  }

  private Optional<String> lookUp(String provider, String name) {
    return Stream.of(name, logsModelId(name)).distinct()
        .flatMap(candidate -> byIdOrAlias(provider, candidate).or(() -> byDisplayName(provider, candidate)).stream())
        .findFirst();
  }

  private Optional<String> byIdOrAlias(String provider, String name) {
    return card.model(provider, name).map(CardModel::model);
  }

  private Optional<String> byDisplayName(String provider, String name) {
    String display = displayKey(name);
    List<CardModel> byDisplayName = card.models().stream()
        .filter(model -> model.provider().equals(provider))
        .filter(model -> Stream.concat(Stream.of(model.model()), model.aliases().stream())
            .anyMatch(known -> displayKey(known).equals(display)))
        .toList();
    return byDisplayName.size() == 1 ? Optional.of(byDisplayName.get(0).model()) : Optional.empty();
  }

  /**
   * The name as the log formats read a model id: without a Bedrock inference profile's region prefix
   * ({@code us.}, {@code global.}; conf/formats/bedrock.yaml) and an OpenAI snapshot's date
   * ({@code -2026-03-05}; conf/formats/openai.yaml).
   */
  static String logsModelId(String name) {
    String id = PROVIDER_PREFIX.matcher(name.trim()).replaceFirst("");
    id = INFERENCE_PROFILE_PREFIX.matcher(id).replaceFirst("");
    return SNAPSHOT_DATE.matcher(id).replaceFirst("");
  }

  /**
   * The provider of the card model with this name, for a bill line that names no provider: the default provider
   * when it has the model (as the logs default to it), else the one other provider that has it.
   */
  Optional<String> providerOf(String name) {
    List<String> providers = card.models().stream().map(CardModel::provider).distinct()
        .filter(provider -> find(provider, name).isPresent()).toList();
    if (providers.contains(CanonicalSchema.DEFAULT_PROVIDER)) {
      return Optional.of(CanonicalSchema.DEFAULT_PROVIDER);
    }
    return providers.size() == 1 ? Optional.of(providers.get(0)) : Optional.empty();
  }

  /** The card provider a gateway's model name starts with ({@code anthropic/…}, {@code vertex_ai/…}), if any. */
  Optional<String> prefixProvider(String name) {
    java.util.regex.Matcher prefix = PROVIDER_PREFIX.matcher(name.trim());
    if (!prefix.find()) {
      return Optional.empty();
    }
    String named = prefix.group(1).toLowerCase(Locale.ROOT);
    String provider = GATEWAY_PROVIDERS.getOrDefault(named, named);
    return card.models().stream().map(CardModel::provider).filter(provider::equals).findFirst();
  }

  /** Whether the card has any model of this provider. */
  boolean knowsProvider(String provider) {
    return card.models().stream().anyMatch(model -> model.provider().equals(provider));
  }

  /** The card's id, or the bill's own name (trimmed) for a model the card does not have. */
  String canonical(String provider, String name) {
    return find(provider, name).orElse(name.trim());
  }

  static String displayKey(String name) {
    String bare = TRAILING_PARENTHESIS.matcher(name.trim()).replaceAll("");
    return SEPARATORS.matcher(bare.toLowerCase(Locale.ROOT)).replaceAll("-");
  }
}
