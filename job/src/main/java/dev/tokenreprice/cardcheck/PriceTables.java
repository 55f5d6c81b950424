package dev.tokenreprice.cardcheck;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.tokenreprice.cli.UsageException;
import dev.tokenreprice.ratecard.ModelNames;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a downloaded public price table in the shape its maintainers publish it: LiteLLM's
 * {@code model_prices_and_context_window.json} (USD per token), pydantic genai-prices' {@code data.json} or a
 * {@code providers/*.yml} file (USD per million tokens, dated prices), or models.dev's {@code api.json} or a
 * {@code providers/PROVIDER/models/MODEL.toml} file (USD per million tokens). Every number is read from its text into
 * {@link BigDecimal} ({@code 3e-06} is exactly 3 USD per million tokens), never through a double.
 */
public final class PriceTables {
  private static final ObjectMapper JSON = decimals(new ObjectMapper());
  private static final ObjectMapper YAML = decimals(new ObjectMapper(new YAMLFactory()));
  private static final ObjectMapper TOML = decimals(new TomlMapper());

  /** LiteLLM's suffixed keys: a long-context price above N thousand prompt tokens. */
  private static final Pattern LITELLM_LONG = Pattern.compile("(.+)_above_(\\d+)k_tokens");
  private static final Set<String> LITELLM_TOKEN_MODES = Set.of("chat", "responses", "completion");
  /** Bedrock's cross-region profile prefixes, as in {@code us.anthropic.claude-fable-5-2}; a bare id is in-region. */
  private static final Set<String> BEDROCK_SCOPES = Set.of("global", "us", "eu", "apac", "jp", "au", "us-gov", "ca");
  private static final String IN_REGION = "in_region";
  private static final String GLOBAL = "global";
  private static final Pattern MODELS_DEV_FILE = Pattern.compile("(?:.*/)?providers/([^/]+)/models/(.+)\\.toml");

  private PriceTables() {}

  /** The table in {@code bytes}, read from {@code location}, on {@code day} (genai-prices' dated prices). */
  public static PriceTable read(String location, byte[] bytes, LocalDate day) {
    if (location.toLowerCase(Locale.ROOT).endsWith(".toml")) {
      return modelsDevToml(location, tree(TOML, location, bytes));
    }
    JsonNode root = tree(location.toLowerCase(Locale.ROOT).matches(".*\\.ya?ml") ? YAML : JSON, location, bytes);
    if (isLiteLlm(root)) {
      return liteLlm(location, root);
    }
    if (isModelsDevApi(root)) {
      return modelsDevApi(location, root);
    }
    if (isGenaiPrices(root)) {
      return genaiPrices(location, root, day);
    }
    throw neither(location, "its top level has none of their keys");
  }

  // ---- LiteLLM: {"<key>": {"litellm_provider": ..., "input_cost_per_token": 3e-06, ...}, ...}

  private static boolean isLiteLlm(JsonNode root) {
    return root.isObject() && anyValue(root, entry -> entry.isObject()
        && (entry.has("litellm_provider") || entry.has("input_cost_per_token")));
  }

  private static PriceTable liteLlm(String location, JsonNode root) {
    List<TablePrice> entries = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> fields = root.fields(); fields.hasNext(); ) {
      Map.Entry<String, JsonNode> field = fields.next();
      JsonNode entry = field.getValue();
      Optional<String> provider = liteLlmProvider(entry.path("litellm_provider").asText(""));
      String mode = entry.path("mode").asText("chat");
      if (field.getKey().equals("sample_spec") || provider.isEmpty() || !LITELLM_TOKEN_MODES.contains(mode)) {
        continue;
      }
      Map<PriceKind, BigDecimal> prices = new EnumMap<>(PriceKind.class);
      for (Iterator<Map.Entry<String, JsonNode>> keys = entry.fields(); keys.hasNext(); ) {
        Map.Entry<String, JsonNode> price = keys.next();
        if (price.getValue().isNumber()) {
          liteLlmPrice(price.getKey(), perMillion(price.getValue()), prices);
        }
      }
      String id = field.getKey().substring(field.getKey().lastIndexOf('/') + 1);
      entries.add(scoped(provider.get(), field.getKey(), id, prices));
    }
    return new PriceTable(location, PriceTable.Shape.LITELLM, entries);
  }

  private static Optional<String> liteLlmProvider(String provider) {
    return switch (provider) {
      case "openai", "anthropic" -> Optional.of(provider);
      case "bedrock", "bedrock_converse" -> Optional.of("bedrock");
      case "gemini", "vertex_ai-language-models" -> Optional.of("google");
      default -> Optional.empty();
    };
  }

  private static void liteLlmPrice(String key, BigDecimal perMillion, Map<PriceKind, BigDecimal> prices) {
    Matcher longTier = LITELLM_LONG.matcher(key);
    if (longTier.matches()) {
      PriceKind kind = switch (longTier.group(1)) {
        case "input_cost_per_token" -> PriceKind.LONG_INPUT;
        case "output_cost_per_token" -> PriceKind.LONG_OUTPUT;
        case "cache_read_input_token_cost" -> PriceKind.LONG_CACHE_READ;
        case "cache_creation_input_token_cost" -> PriceKind.LONG_CACHE_WRITE_5M;
        default -> null;
      };
      if (kind != null) {
        prices.put(kind, perMillion);
        prices.put(PriceKind.LONG_PROMPT_ABOVE_TOKENS, new BigDecimal(longTier.group(2)).movePointRight(3));
      }
      return;
    }
    PriceKind kind = switch (key) {
      case "input_cost_per_token" -> PriceKind.INPUT;
      case "output_cost_per_token" -> PriceKind.OUTPUT;
      case "cache_read_input_token_cost" -> PriceKind.CACHE_READ;
      case "cache_creation_input_token_cost" -> PriceKind.CACHE_WRITE_5M;
      case "cache_creation_input_token_cost_above_1hr" -> PriceKind.CACHE_WRITE_1H;
      case "input_cost_per_token_batches" -> PriceKind.BATCH_INPUT;
      case "output_cost_per_token_batches" -> PriceKind.BATCH_OUTPUT;
      case "input_cost_per_token_flex" -> PriceKind.FLEX_INPUT;
      case "output_cost_per_token_flex" -> PriceKind.FLEX_OUTPUT;
      case "input_cost_per_token_priority" -> PriceKind.PRIORITY_INPUT;
      case "output_cost_per_token_priority" -> PriceKind.PRIORITY_OUTPUT;
      default -> null;
    };
    if (kind != null) {
      prices.put(kind, perMillion);
    }
  }

  /** USD per token, as printed, to USD per million tokens: the decimal point moves; nothing is rounded. */
  private static BigDecimal perMillion(JsonNode perToken) {
    return decimal(perToken).movePointRight(6);
  }

  // ---- models.dev: api.json {"<provider>": {"models": {"<id>": {"cost": {...}}}}}, or one providers/P/models/M.toml

  private static boolean isModelsDevApi(JsonNode root) {
    return root.isObject() && anyValue(root, provider -> provider.isObject() && provider.path("models").isObject());
  }

  private static PriceTable modelsDevApi(String location, JsonNode root) {
    List<TablePrice> entries = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> providers = root.fields(); providers.hasNext(); ) {
      Map.Entry<String, JsonNode> provider = providers.next();
      Optional<String> cardProvider = modelsDevProvider(provider.getKey());
      if (cardProvider.isEmpty()) {
        continue;
      }
      for (Iterator<Map.Entry<String, JsonNode>> models = provider.getValue().path("models").fields(); models.hasNext(); ) {
        Map.Entry<String, JsonNode> model = models.next();
        if (model.getValue().path("cost").isObject()) {
          entries.add(scoped(cardProvider.get(), model.getKey(), model.getKey(), modelsDevCost(model.getValue().path("cost"))));
        }
      }
    }
    return new PriceTable(location, PriceTable.Shape.MODELS_DEV, entries);
  }

  private static PriceTable modelsDevToml(String location, JsonNode root) {
    Matcher file = MODELS_DEV_FILE.matcher(location.replace('\\', '/'));
    if (!root.isObject() || !(root.has("cost") || root.has("name") || root.has("extends") || root.has("base_model"))) {
      throw neither(location, "a TOML file without a [cost] table or a name");
    }
    if (!file.matches()) {
      throw new UsageException("--check-card " + location + ": a models.dev TOML file is read where the repository keeps"
          + " it, providers/PROVIDER/models/MODEL.toml (its path names the provider and the model), cannot be: "
          + location);
    }
    List<TablePrice> entries = new ArrayList<>();
    // A file that only extends another model's (base_model, [extends]) holds no prices of its own to compare.
    modelsDevProvider(file.group(1)).filter(provider -> root.path("cost").isObject()).ifPresent(provider ->
        entries.add(scoped(provider, file.group(2), file.group(2), modelsDevCost(root.path("cost")))));
    return new PriceTable(location, PriceTable.Shape.MODELS_DEV, entries);
  }

  private static Optional<String> modelsDevProvider(String provider) {
    return switch (provider) {
      case "openai", "anthropic", "google" -> Optional.of(provider);
      case "amazon-bedrock" -> Optional.of("bedrock");
      default -> Optional.empty();
    };
  }

  /** {@code cost}: input, output, cache_read, cache_write; a long tier as v2's first {@code tiers} or v1's {@code context_over_200k}. */
  private static Map<PriceKind, BigDecimal> modelsDevCost(JsonNode cost) {
    Map<PriceKind, BigDecimal> prices = new EnumMap<>(PriceKind.class);
    putIfNumber(prices, PriceKind.INPUT, cost.path("input"));
    putIfNumber(prices, PriceKind.OUTPUT, cost.path("output"));
    putIfNumber(prices, PriceKind.CACHE_READ, cost.path("cache_read"));
    putIfNumber(prices, PriceKind.CACHE_WRITE_5M, cost.path("cache_write"));
    JsonNode tier = cost.path("tiers").path(0);
    JsonNode size = tier.path("tier").path("size");
    if (tier.isMissingNode() && cost.path("context_over_200k").isObject()) {
      tier = cost.path("context_over_200k");
      size = JSON.getNodeFactory().numberNode(200_000);
    }
    if (tier.isObject() && size.isNumber()) {
      prices.put(PriceKind.LONG_PROMPT_ABOVE_TOKENS, decimal(size));
      putIfNumber(prices, PriceKind.LONG_INPUT, tier.path("input"));
      putIfNumber(prices, PriceKind.LONG_OUTPUT, tier.path("output"));
      putIfNumber(prices, PriceKind.LONG_CACHE_READ, tier.path("cache_read"));
      putIfNumber(prices, PriceKind.LONG_CACHE_WRITE_5M, tier.path("cache_write"));
    }
    return prices;
  }

  // ---- genai-prices: data.json [{"id": provider, "models": [{"id", "match", "prices"}]}], or one providers/*.yml

  private static boolean isGenaiPrices(JsonNode root) {
    JsonNode first = root.isArray() ? root.path(0) : root;
    return first.isObject() && first.has("id") && first.path("models").isArray();
  }

  private static PriceTable genaiPrices(String location, JsonNode root, LocalDate day) {
    List<TablePrice> entries = new ArrayList<>();
    for (JsonNode provider : root.isArray() ? root : List.of(root)) {
      Optional<String> cardProvider = genaiProvider(provider.path("id").asText(""));
      if (cardProvider.isEmpty()) {
        continue;
      }
      for (JsonNode model : provider.path("models")) {
        String id = model.path("id").asText("");
        JsonNode clause = model.has("match") ? model.path("match") : JSON.createObjectNode().put("equals", id);
        inForce(location, model.path("prices"), day).ifPresent(prices ->
            entries.add(new TablePrice(cardProvider.get(), id, cardProvider.get().equals("bedrock") ? IN_REGION : GLOBAL,
                name -> matches(location, clause, ModelNames.key(name)), genaiModelPrice(prices))));
      }
    }
    return new PriceTable(location, PriceTable.Shape.GENAI_PRICES, entries);
  }

  /**
   * Whether genai-prices' {@code match} clause accepts a model id: equals, starts_with, ends_with, contains, regex, or
   * (any of a list) and and (all of a list), compared in lower case as the card's names are.
   */
  private static boolean matches(String location, JsonNode clause, String name) {
    if (clause.has("or")) {
      return java.util.stream.StreamSupport.stream(clause.path("or").spliterator(), false)
          .anyMatch(part -> matches(location, part, name));
    }
    if (clause.has("and")) {
      return java.util.stream.StreamSupport.stream(clause.path("and").spliterator(), false)
          .allMatch(part -> matches(location, part, name));
    }
    for (Iterator<Map.Entry<String, JsonNode>> tests = clause.fields(); tests.hasNext(); ) {
      Map.Entry<String, JsonNode> test = tests.next();
      String value = ModelNames.key(test.getValue().asText(""));
      return switch (test.getKey()) {
        case "equals" -> name.equals(value);
        case "starts_with" -> name.startsWith(value);
        case "ends_with" -> name.endsWith(value);
        case "contains" -> name.contains(value);
        case "regex" -> Pattern.compile(test.getValue().asText()).matcher(name).find();
        default -> false;
      };
    }
    return false;
  }

  private static Optional<String> genaiProvider(String provider) {
    return switch (provider) {
      case "openai", "anthropic", "google" -> Optional.of(provider);
      case "aws" -> Optional.of("bedrock");
      default -> Optional.empty();
    };
  }

  /**
   * A model's prices on {@code day}: one ModelPrice, or a list of {constraint?, prices} tried last to first, where a
   * {@code start_date} constraint applies from that day on; time-of-day constraints (off-peak prices) are left out.
   */
  private static Optional<JsonNode> inForce(String location, JsonNode prices, LocalDate day) {
    if (prices.isObject()) {
      return Optional.of(prices);
    }
    JsonNode found = null;
    for (JsonNode conditional : prices) {
      JsonNode constraint = conditional.path("constraint");
      if (constraint.isMissingNode() || constraint.isNull()) {
        found = found == null ? conditional.path("prices") : found;
      } else if (constraint.has("start_date") && !startDate(location, constraint).isAfter(day)) {
        found = conditional.path("prices");
      }
    }
    return Optional.ofNullable(found).filter(JsonNode::isObject);
  }

  private static LocalDate startDate(String location, JsonNode constraint) {
    try {
      return LocalDate.parse(constraint.path("start_date").asText().substring(0, 10));
    } catch (DateTimeParseException | StringIndexOutOfBoundsException e) {
      throw new UsageException("--check-card " + location + ": a genai-prices start_date must be a day as YYYY-MM-DD,"
          + " cannot be: " + constraint.path("start_date").asText());
    }
  }

  private static Map<PriceKind, BigDecimal> genaiModelPrice(JsonNode price) {
    Map<PriceKind, BigDecimal> prices = new EnumMap<>(PriceKind.class);
    genaiTiered(prices, price.path("input_mtok"), PriceKind.INPUT, PriceKind.LONG_INPUT);
    genaiTiered(prices, price.path("output_mtok"), PriceKind.OUTPUT, PriceKind.LONG_OUTPUT);
    genaiTiered(prices, price.path("cache_read_mtok"), PriceKind.CACHE_READ, PriceKind.LONG_CACHE_READ);
    genaiTiered(prices, price.path("cache_write_mtok"), PriceKind.CACHE_WRITE_5M, PriceKind.LONG_CACHE_WRITE_5M);
    return prices;
  }

  /** A number, or {base, tiers: [{start, price}]}: the base and the first tier (its start as the threshold). */
  private static void genaiTiered(Map<PriceKind, BigDecimal> prices, JsonNode value, PriceKind base, PriceKind longTier) {
    if (value.isNumber()) {
      prices.put(base, decimal(value));
    } else if (value.isObject()) {
      putIfNumber(prices, base, value.path("base"));
      JsonNode tier = value.path("tiers").path(0);
      if (tier.path("start").isNumber() && tier.path("price").isNumber()) {
        prices.put(longTier, decimal(tier.path("price")));
        prices.put(PriceKind.LONG_PROMPT_ABOVE_TOKENS, decimal(tier.path("start")));
      }
    }
  }

  // ---- shared

  /** An entry with its Bedrock scope split off its id ({@code us.anthropic.x} is {@code anthropic.x} at {@code us}). */
  private static TablePrice scoped(String provider, String key, String id, Map<PriceKind, BigDecimal> prices) {
    if (!provider.equals("bedrock")) {
      return TablePrice.named(provider, key, id, GLOBAL, prices);
    }
    int dot = id.indexOf('.');
    String prefix = dot > 0 ? id.substring(0, dot) : "";
    if (BEDROCK_SCOPES.contains(prefix) && id.indexOf('.', dot + 1) > 0) {
      return TablePrice.named(provider, key, id.substring(dot + 1), prefix.replace('-', '_'), prices);
    }
    return TablePrice.named(provider, key, id, IN_REGION, prices);
  }

  private static void putIfNumber(Map<PriceKind, BigDecimal> prices, PriceKind kind, JsonNode value) {
    if (value.isNumber()) {
      prices.put(kind, decimal(value));
    }
  }

  /** The number as its text prints it: the readers keep floats as {@link BigDecimal}, never as double. */
  private static BigDecimal decimal(JsonNode number) {
    return number.isBigDecimal() || number.isBigInteger() || number.isIntegralNumber()
        ? number.decimalValue() : new BigDecimal(number.asText());
  }

  private static boolean anyValue(JsonNode root, java.util.function.Predicate<JsonNode> test) {
    for (Iterator<JsonNode> values = root.elements(); values.hasNext(); ) {
      if (test.test(values.next())) {
        return true;
      }
    }
    return false;
  }

  private static JsonNode tree(ObjectMapper mapper, String location, byte[] bytes) {
    try {
      JsonNode root = mapper.readTree(bytes);
      if (root == null || root.isMissingNode()) {
        throw neither(location, "it is empty");
      }
      return root;
    } catch (IOException e) {
      String message = e.getMessage() == null ? "unreadable" : e.getMessage().lines().findFirst().orElse("unreadable");
      throw neither(location, "it does not parse (" + message + ")");
    }
  }

  private static UsageException neither(String location, String why) {
    return new UsageException("--check-card " + location + ": is neither LiteLLM's model_prices_and_context_window.json,"
        + " genai-prices' data.json or providers/*.yml, nor models.dev's api.json or providers/*/models/*.toml (" + why
        + "); give a file as its maintainers publish it");
  }

  private static ObjectMapper decimals(ObjectMapper mapper) {
    return mapper.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
        .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);
  }
}
