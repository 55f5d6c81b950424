package dev.tokenreprice.ratecard;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.tokenreprice.cli.UsageException;
import java.io.IOException;
import java.math.BigDecimal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the YAML rate card into a validated {@link RateCard}. Prices are parsed from their text
 * straight into {@link BigDecimal}; every problem is a {@link UsageException} naming the file, the
 * model, the rate and the field.
 */
public final class RateCardParser {
  static final BigDecimal DEFAULT_CACHE_WRITE_5M_MULTIPLIER = new BigDecimal("1.25");
  static final BigDecimal DEFAULT_CACHE_WRITE_1H_MULTIPLIER = new BigDecimal("2.0");
  static final BigDecimal DEFAULT_CACHE_READ_MULTIPLIER = new BigDecimal("0.1");
  static final String DEFAULT_PROVIDER = "anthropic";
  /** Tokenizer factors are scaled to whole numbers for exact rounding; this keeps their products inside a long. */
  static final int MAX_TOKEN_RATIO_DIGITS = 6;

  private static final Set<String> CARD_KEYS = Set.of("currency", "defaults", "provider_defaults", "models");
  private static final Set<String> DEFAULTS_KEYS = Set.of(
      "cache_write_5m_multiplier", "cache_write_1h_multiplier", "cache_read_multiplier", "modifiers", "fees",
      "unavailable");
  private static final Set<String> PROVIDER_DEFAULTS_KEYS = Set.of("fees");
  private static final Set<String> MODEL_KEYS =
      Set.of("provider", "model", "aliases", "tokens_per_reference_token", "rates", "retired_on");
  private static final Set<String> RATE_KEYS = Set.of(
      "effective_from", "promotional_until", "input", "output", "cache_write_5m", "cache_write_1h", "cache_read",
      "long_prompt", "modifiers", "fees", "unavailable");
  private static final Set<String> LONG_PROMPT_KEYS = Set.of(
      "above_prompt_tokens", "input", "output", "cache_write_5m", "cache_write_1h", "cache_read");

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private final String source;

  private RateCardParser(String source) {
    this.source = source;
  }

  /** Parses and validates the card's bytes; {@code source} is the path used in messages. */
  public static RateCard parse(String source, byte[] yaml) {
    return new RateCardParser(source).parse(yaml);
  }

  private RateCard parse(byte[] yaml) {
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (IOException e) {
      throw fail("", "is not valid YAML (" + firstLine(e.getMessage()) + ")");
    }
    if (root == null || !root.isObject()) {
      throw fail("", "must be a YAML mapping with 'models', cannot be: " + describe(root));
    }
    rejectUnknownKeys(root, CARD_KEYS, "");
    String currency = optionalText(root, "currency", "").orElse("USD");
    Defaults defaults = parseDefaults(root.get("defaults"));
    Map<String, Map<Fee, BigDecimal>> providerFees = parseProviderDefaults(root.get("provider_defaults"));
    JsonNode models = root.get("models");
    if (models == null || !models.isArray() || models.isEmpty()) {
      throw fail("", "'models' must be a non-empty list of models");
    }
    List<CardModel> parsed = new ArrayList<>();
    for (JsonNode model : models) {
      parsed.add(parseModel(model, defaults, providerFees));
    }
    rejectDuplicateNames(parsed);
    for (String provider : providerFees.keySet()) {
      if (parsed.stream().noneMatch(model -> model.provider().equals(provider))) {
        // A misspelt provider would leave its models' fees unpriced without a word.
        throw fail("provider_defaults: " + provider + ": ", "no model of the card has this provider (providers: "
            + String.join(", ", parsed.stream().map(CardModel::provider).distinct().sorted().toList()) + ")");
      }
    }
    return new RateCard(source, sha256(yaml), currency, List.copyOf(parsed));
  }

  private record Defaults(
      BigDecimal cacheWrite5m,
      BigDecimal cacheWrite1h,
      BigDecimal cacheRead,
      Map<PricingOption, Map<String, BigDecimal>> modifiers,
      Map<Fee, BigDecimal> fees,
      List<Map<PricingOption, String>> unavailable) {
    /** These defaults with a provider's fees merged over the card's, fee by fee. */
    Defaults forProvider(Map<Fee, BigDecimal> providerFees) {
      return new Defaults(cacheWrite5m, cacheWrite1h, cacheRead, modifiers, mergeFees(fees, providerFees),
          unavailable);
    }
  }

  private Defaults parseDefaults(JsonNode node) {
    if (node == null || node.isNull()) {
      return new Defaults(DEFAULT_CACHE_WRITE_5M_MULTIPLIER, DEFAULT_CACHE_WRITE_1H_MULTIPLIER,
          DEFAULT_CACHE_READ_MULTIPLIER, Map.of(), Map.of(), List.of());
    }
    String where = "defaults: ";
    requireMapping(node, "defaults", "");
    rejectUnknownKeys(node, DEFAULTS_KEYS, where);
    return new Defaults(
        multiplier(node, "cache_write_5m_multiplier", where).orElse(DEFAULT_CACHE_WRITE_5M_MULTIPLIER),
        multiplier(node, "cache_write_1h_multiplier", where).orElse(DEFAULT_CACHE_WRITE_1H_MULTIPLIER),
        multiplier(node, "cache_read_multiplier", where).orElse(DEFAULT_CACHE_READ_MULTIPLIER),
        parseModifiers(node.get("modifiers"), where),
        parseFees(node.get("fees"), where),
        parseUnavailable(node.get("unavailable"), where));
  }

  /** provider_defaults: provider name to the defaults of that provider's models (today only their fees). */
  private Map<String, Map<Fee, BigDecimal>> parseProviderDefaults(JsonNode node) {
    Map<String, Map<Fee, BigDecimal>> byProvider = new HashMap<>();
    if (node == null || node.isNull()) {
      return byProvider;
    }
    requireMapping(node, "'provider_defaults'", "");
    Iterator<Map.Entry<String, JsonNode>> providers = node.fields();
    while (providers.hasNext()) {
      Map.Entry<String, JsonNode> provider = providers.next();
      String where = "provider_defaults: " + provider.getKey() + ": ";
      requireMapping(provider.getValue(), "'provider_defaults." + provider.getKey() + "'", "");
      rejectUnknownKeys(provider.getValue(), PROVIDER_DEFAULTS_KEYS, where);
      byProvider.put(provider.getKey().trim().toLowerCase(Locale.ROOT),
          parseFees(provider.getValue().get("fees"), where));
    }
    return byProvider;
  }

  private Optional<BigDecimal> multiplier(JsonNode node, String field, String where) {
    Optional<BigDecimal> value = optionalDecimal(node, field, where);
    value.ifPresent(factor -> {
      if (factor.signum() < 0) {
        throw fail(where, "'" + field + "' must be zero or more, cannot be: " + factor.toPlainString());
      }
    });
    return value;
  }

  private CardModel parseModel(JsonNode node, Defaults cardDefaults, Map<String, Map<Fee, BigDecimal>> providerFees) {
    requireMapping(node, "every entry of 'models'", "");
    String provider = optionalText(node, "provider", "model entry: ").orElse(DEFAULT_PROVIDER)
        .toLowerCase(Locale.ROOT);
    String model = optionalText(node, "model", "model entry: ")
        .orElseThrow(() -> fail("model entry of provider " + provider + ": ", "'model' is missing"));
    Defaults defaults = cardDefaults.forProvider(providerFees.getOrDefault(provider, Map.of()));
    String modelName = "model " + model.trim();
    String where = modelName + ": ";
    rejectUnknownKeys(node, MODEL_KEYS, where);
    List<String> aliases = new ArrayList<>();
    JsonNode aliasNode = node.get("aliases");
    if (aliasNode != null && !aliasNode.isNull()) {
      if (!aliasNode.isArray()) {
        throw fail(where, "'aliases' must be a list of model ids, cannot be: " + describe(aliasNode));
      }
      for (JsonNode alias : aliasNode) {
        if (!alias.isValueNode() || alias.asText().isBlank()) {
          throw fail(where, "'aliases' must hold non-empty model ids, cannot hold: " + describe(alias));
        }
        aliases.add(alias.asText().trim());
      }
    }
    BigDecimal tokenRatio = optionalDecimal(node, "tokens_per_reference_token", where).orElse(BigDecimal.ONE);
    if (tokenRatio.signum() <= 0 || tokenRatio.stripTrailingZeros().scale() > MAX_TOKEN_RATIO_DIGITS
        || tokenRatio.compareTo(BigDecimal.valueOf(1000)) >= 0) {
      throw fail(where, "'tokens_per_reference_token' must be positive, below 1000, with at most "
          + MAX_TOKEN_RATIO_DIGITS + " digits after the point, cannot be: " + tokenRatio.toPlainString());
    }
    JsonNode rates = node.get("rates");
    if (rates == null || !rates.isArray() || rates.isEmpty()) {
      throw fail(where, "'rates' must be a non-empty list of dated rates");
    }
    List<Rate> parsedRates = new ArrayList<>();
    Map<LocalDate, Boolean> seen = new HashMap<>();
    for (JsonNode rate : rates) {
      Rate parsed = parseRate(rate, defaults, modelName);
      if (seen.put(parsed.effectiveFrom(), Boolean.TRUE) != null) {
        throw fail(modelName + ", rate " + parsed.effectiveFrom() + ": ",
            "'effective_from' appears twice (each rate of a model needs its own day)");
      }
      parsedRates.add(parsed);
    }
    parsedRates.sort(Comparator.comparing(Rate::effectiveFrom));
    Optional<LocalDate> retiredOn = retiredOn(node, parsedRates.get(0).effectiveFrom(), where);
    return new CardModel(provider, model.trim(), List.copyOf(aliases), tokenRatio, List.copyOf(parsedRates),
        retiredOn);
  }

  /** {@code retired_on}: the first day the provider serves the model no more, after the model's first rate. */
  private Optional<LocalDate> retiredOn(JsonNode node, LocalDate firstRate, String where) {
    return optionalText(node, "retired_on", where).map(text -> {
      LocalDate day;
      try {
        day = LocalDate.parse(text.trim());
      } catch (DateTimeParseException e) {
        throw fail(where, "'retired_on' must be a day as YYYY-MM-DD, cannot be: " + text);
      }
      if (!day.isAfter(firstRate)) {
        throw fail(where, "'retired_on' must be after the model's first effective_from " + firstRate
            + " (a model is retired after it was offered), cannot be: " + text);
      }
      return day;
    });
  }

  private Rate parseRate(JsonNode node, Defaults defaults, String modelName) {
    String undated = modelName + ", rate: ";
    requireMapping(node, "every entry of 'rates'", undated);
    String fromText = optionalText(node, "effective_from", undated)
        .orElseThrow(() -> fail(undated, "'effective_from' is missing"));
    LocalDate from;
    try {
      from = LocalDate.parse(fromText.trim());
    } catch (DateTimeParseException e) {
      throw fail(undated, "'effective_from' must be a day as YYYY-MM-DD, cannot be: " + fromText);
    }
    String where = modelName + ", rate " + from + ": ";
    rejectUnknownKeys(node, RATE_KEYS, where);
    TokenPrices prices = parsePrices(node, defaults, where);
    Optional<LongPromptTier> longPrompt = Optional.empty();
    JsonNode longNode = node.get("long_prompt");
    if (longNode != null && !longNode.isNull()) {
      String longWhere = where + "long_prompt: ";
      requireMapping(longNode, "'long_prompt'", where);
      rejectUnknownKeys(longNode, LONG_PROMPT_KEYS, longWhere);
      longPrompt = Optional.of(new LongPromptTier(threshold(longNode, longWhere), parsePrices(longNode, defaults, longWhere)));
    }
    Map<PricingOption, Map<String, BigDecimal>> modifiers =
        mergeModifiers(defaults.modifiers(), parseModifiers(node.get("modifiers"), where));
    // Fees are not multiplied by the modifiers: the facts price a web search per call whatever the service tier,
    // speed or region of the request that ran it (pricing-facts, Anthropic "Server tools", OpenAI "Built-in tools").
    Map<Fee, BigDecimal> fees = mergeFees(defaults.fees(), parseFees(node.get("fees"), where));
    Optional<LocalDate> promotionalUntil = optionalText(node, "promotional_until", where).map(text -> {
      try {
        LocalDate until = LocalDate.parse(text.trim());
        if (until.isBefore(from)) {
          throw fail(where, "'promotional_until' must be on or after effective_from, cannot be: " + text);
        }
        return until;
      } catch (DateTimeParseException e) {
        throw fail(where, "'promotional_until' must be a day as YYYY-MM-DD, cannot be: " + text);
      }
    });
    List<Map<PricingOption, String>> unavailable = new ArrayList<>(defaults.unavailable());
    unavailable.addAll(parseUnavailable(node.get("unavailable"), where));
    return new Rate(from, prices, longPrompt, modifiers, fees, promotionalUntil, unavailable);
  }

  /** {@code unavailable:} a list of option combinations, each a mapping of option name to value. */
  private List<Map<PricingOption, String>> parseUnavailable(JsonNode node, String where) {
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw fail(where, "'unavailable' must be a list of option combinations ({service_tier: batch, speed: fast}),"
          + " cannot be: " + node);
    }
    List<Map<PricingOption, String>> combinations = new ArrayList<>();
    for (JsonNode combination : node) {
      if (!combination.isObject() || combination.isEmpty()) {
        throw fail(where, "each entry of 'unavailable' must be a mapping of option to value, cannot be: "
            + combination);
      }
      Map<PricingOption, String> values = new EnumMap<>(PricingOption.class);
      for (Iterator<Map.Entry<String, JsonNode>> entries = combination.fields(); entries.hasNext(); ) {
        Map.Entry<String, JsonNode> entry = entries.next();
        PricingOption option = PricingOption.byColumn(entry.getKey()).orElseThrow(() -> fail(where,
            "'unavailable' names an unknown option '" + entry.getKey() + "' (known: service_tier, speed, inference_geo)"));
        values.put(option, entry.getValue().asText().trim().toLowerCase(Locale.ROOT));
      }
      combinations.add(values);
    }
    return List.copyOf(combinations);
  }

  private long threshold(JsonNode node, String where) {
    JsonNode value = node.get("above_prompt_tokens");
    if (value == null || value.isNull()) {
      throw fail(where, "'above_prompt_tokens' is missing");
    }
    BigDecimal number = decimal(value, "above_prompt_tokens", where);
    if (number.signum() <= 0 || number.stripTrailingZeros().scale() > 0
        || number.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
      throw fail(where, "'above_prompt_tokens' must be a positive whole number of tokens, cannot be: "
          + value.asText());
    }
    return number.longValueExact();
  }

  private TokenPrices parsePrices(JsonNode node, Defaults defaults, String where) {
    BigDecimal input = requiredPrice(node, "input", where);
    BigDecimal output = requiredPrice(node, "output", where);
    return new TokenPrices(
        input,
        output,
        optionalPrice(node, "cache_write_5m", where).orElse(input.multiply(defaults.cacheWrite5m())),
        optionalPrice(node, "cache_write_1h", where).orElse(input.multiply(defaults.cacheWrite1h())),
        optionalPrice(node, "cache_read", where).orElse(input.multiply(defaults.cacheRead())));
  }

  private BigDecimal requiredPrice(JsonNode node, String field, String where) {
    return optionalPrice(node, field, where).orElseThrow(() -> fail(where, "'" + field + "' is missing"));
  }

  private Optional<BigDecimal> optionalPrice(JsonNode node, String field, String where) {
    Optional<BigDecimal> price = optionalDecimal(node, field, where);
    price.ifPresent(value -> {
      if (value.signum() < 0) {
        throw fail(where, "'" + field + "' must be a price of zero or more USD per million tokens, cannot be: "
            + value.toPlainString());
      }
    });
    return price;
  }

  private Map<PricingOption, Map<String, BigDecimal>> parseModifiers(JsonNode node, String where) {
    Map<PricingOption, Map<String, BigDecimal>> modifiers = new EnumMap<>(PricingOption.class);
    if (node == null || node.isNull()) {
      return modifiers;
    }
    requireMapping(node, "'modifiers'", where);
    Iterator<Map.Entry<String, JsonNode>> options = node.fields();
    while (options.hasNext()) {
      Map.Entry<String, JsonNode> option = options.next();
      PricingOption known = PricingOption.byColumn(option.getKey()).orElseThrow(() -> fail(where,
          "'modifiers' key must be one of service_tier, speed, inference_geo, cannot be: " + option.getKey()));
      String optionWhere = where + "modifiers." + option.getKey() + ": ";
      requireMapping(option.getValue(), "'modifiers." + option.getKey() + "'", where);
      Map<String, BigDecimal> table = new LinkedHashMap<>();
      Iterator<Map.Entry<String, JsonNode>> values = option.getValue().fields();
      while (values.hasNext()) {
        Map.Entry<String, JsonNode> value = values.next();
        BigDecimal factor = decimal(value.getValue(), value.getKey(), optionWhere);
        if (factor.signum() < 0) {
          throw fail(optionWhere, "'" + value.getKey() + "' must be a multiplier of zero or more, cannot be: "
              + factor.toPlainString());
        }
        table.put(value.getKey().trim().toLowerCase(Locale.ROOT), factor);
      }
      modifiers.put(known, table);
    }
    return modifiers;
  }

  /** fees: fee name to USD per use, each a known {@link Fee} and zero or more. */
  private Map<Fee, BigDecimal> parseFees(JsonNode node, String where) {
    Map<Fee, BigDecimal> fees = new EnumMap<>(Fee.class);
    if (node == null || node.isNull()) {
      return fees;
    }
    requireMapping(node, "'fees'", where);
    Iterator<Map.Entry<String, JsonNode>> entries = node.fields();
    while (entries.hasNext()) {
      Map.Entry<String, JsonNode> entry = entries.next();
      Fee fee = Fee.byKey(entry.getKey()).orElseThrow(() -> fail(where, "'fees' key must be one of "
          + String.join(", ", Arrays.stream(Fee.values()).map(Fee::key).toList()) + ", cannot be: " + entry.getKey()));
      BigDecimal price = decimal(entry.getValue(), "fees." + fee.key(), where);
      if (price.signum() < 0) {
        throw fail(where, "'fees." + fee.key() + "' must be a price of zero or more USD per use, cannot be: "
            + price.toPlainString());
      }
      fees.put(fee, price);
    }
    return fees;
  }

  /** The later map wins fee by fee; a fee neither names is not priced. */
  private static Map<Fee, BigDecimal> mergeFees(Map<Fee, BigDecimal> under, Map<Fee, BigDecimal> over) {
    Map<Fee, BigDecimal> merged = new EnumMap<>(Fee.class);
    merged.putAll(under);
    merged.putAll(over);
    return Map.copyOf(merged);
  }

  /** The rate's values win over the defaults value by value; each option's default value prices at 1 unless listed. */
  private static Map<PricingOption, Map<String, BigDecimal>> mergeModifiers(
      Map<PricingOption, Map<String, BigDecimal>> defaults, Map<PricingOption, Map<String, BigDecimal>> rate) {
    Map<PricingOption, Map<String, BigDecimal>> merged = new EnumMap<>(PricingOption.class);
    for (PricingOption option : PricingOption.values()) {
      Map<String, BigDecimal> table = new LinkedHashMap<>();
      table.put(option.defaultValue(), BigDecimal.ONE);
      table.putAll(defaults.getOrDefault(option, Map.of()));
      table.putAll(rate.getOrDefault(option, Map.of()));
      merged.put(option, Map.copyOf(table));
    }
    return Map.copyOf(merged);
  }

  private void rejectDuplicateNames(List<CardModel> models) {
    Map<String, String> owners = new HashMap<>();
    for (CardModel model : models) {
      List<String> names = new ArrayList<>();
      names.add(model.model());
      names.addAll(model.aliases());
      for (String name : names) {
        String key = model.provider() + "\u0000" + name.toLowerCase(Locale.ROOT);
        String owner = owners.putIfAbsent(key, model.model());
        if (owner != null) {
          throw fail("model " + model.model() + ": ", "name '" + name + "' is already used by model " + owner
              + " of provider " + model.provider() + " (each model id and alias must be unique within a provider)");
        }
      }
    }
  }

  private Optional<String> optionalText(JsonNode node, String field, String where) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isValueNode() || value.asText().isBlank()) {
      throw fail(where, "'" + field + "' must be a non-empty text, cannot be: " + describe(value));
    }
    return Optional.of(value.asText());
  }

  private Optional<BigDecimal> optionalDecimal(JsonNode node, String field, String where) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    return Optional.of(decimal(value, field, where));
  }

  private BigDecimal decimal(JsonNode value, String field, String where) {
    try {
      if (value.isNumber()) {
        return new BigDecimal(value.asText());
      }
      if (value.isTextual()) {
        return new BigDecimal(value.asText().trim());
      }
    } catch (NumberFormatException e) {
      // fall through to the message below
    }
    throw fail(where, "'" + field + "' must be a decimal number, cannot be: " + describe(value));
  }

  private void requireMapping(JsonNode node, String what, String where) {
    if (node == null || !node.isObject()) {
      throw fail(where, what + " must be a mapping of keys to values, cannot be: " + describe(node));
    }
  }

  private void rejectUnknownKeys(JsonNode node, Set<String> known, String where) {
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!known.contains(name)) {
        throw fail(where, "unknown key '" + name + "' (valid keys: " + String.join(", ", known.stream().sorted().toList()) + ")");
      }
    }
  }

  private UsageException fail(String where, String problem) {
    return new UsageException("rate card " + source + ": " + where + problem);
  }

  private static String describe(JsonNode node) {
    if (node == null || node.isMissingNode()) {
      return "nothing";
    }
    String text = node.isValueNode() ? node.asText() : node.toString();
    return text.length() > 60 ? text.substring(0, 57) + "..." : text;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
