package dev.tokenreprice.counterfactual;

import dev.tokenreprice.cli.Period;
import dev.tokenreprice.cli.UsageException;
import dev.tokenreprice.ratecard.CardModel;
import dev.tokenreprice.ratecard.ModelNames;
import dev.tokenreprice.ratecard.RateCard;
import dev.tokenreprice.ratecard.Rate;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Turns {@code --scenarios} into {@link Scenario}s checked against the rate card, before any data is read. */
public final class ScenarioParser {
  private ScenarioParser() {}

  /** The run's scenarios: the default set when none were asked for, none for {@code none}. */
  public static List<Scenario> forRun(Optional<String> spec, RateCard card, Period period) {
    if (spec.isEmpty()) {
      return defaults(card, period);
    }
    if (spec.get().trim().equalsIgnoreCase(dev.tokenreprice.cli.ArgumentParser.SCENARIOS_NONE)) {
      return List.of();
    }
    return parse(spec.get(), card);
  }

  /**
   * The default set: {@code batch}, {@code no-cache}, and one {@code model:} scenario for every model of
   * the card with a rate in force in the period and still offered at its end, applied to the other models of
   * its provider: a retired model is no choice a team can make.
   */
  public static List<Scenario> defaults(RateCard card, Period period) {
    List<Scenario> scenarios = new ArrayList<>();
    scenarios.add(new Scenario(Optional.empty(), true, false, false));
    scenarios.add(new Scenario(Optional.empty(), false, true, false));
    for (CardModel model : card.models()) {
      if (inForceDuring(model, period) && model.offeredOn(lastDay(period))) {
        scenarios.add(new Scenario(Optional.of(model), false, false, true));
      }
    }
    return List.copyOf(scenarios);
  }

  /** Parses a comma-separated list of scenarios, each a {@code +}-joined combination. */
  public static List<Scenario> parse(String spec, RateCard card) {
    Map<String, Scenario> scenarios = new LinkedHashMap<>();
    for (String item : spec.split(",")) {
      if (item.isBlank()) {
        continue;
      }
      Scenario scenario = parseOne(item.trim(), card);
      scenarios.putIfAbsent(scenario.name(), scenario);
    }
    if (scenarios.isEmpty()) {
      throw invalid(spec, card);
    }
    return List.copyOf(scenarios.values());
  }

  private static Scenario parseOne(String item, RateCard card) {
    Optional<CardModel> target = Optional.empty();
    boolean batch = false;
    boolean noCache = false;
    for (String raw : item.split("\\+")) {
      String part = raw.trim();
      if (part.equals(Scenario.BATCH) && !batch) {
        batch = true;
      } else if (part.equals(Scenario.NO_CACHE) && !noCache) {
        noCache = true;
      } else if (part.startsWith(Scenario.MODEL_PREFIX) && target.isEmpty()) {
        target = Optional.of(model(part.substring(Scenario.MODEL_PREFIX.length()), item, card));
      } else if (part.equals(Scenario.BATCH) || part.equals(Scenario.NO_CACHE) || part.startsWith(Scenario.MODEL_PREFIX)) {
        throw new UsageException("--scenarios: '" + item + "' names '" + part.replaceAll(":.*", ":") + "' twice"
            + " (a scenario combines at most one model with batch and no-cache)");
      } else {
        throw invalid(item, card);
      }
    }
    return new Scenario(target, batch, noCache, false);
  }

  /** A model by id or alias, optionally as {@code provider/id} where an id exists under several providers. */
  private static CardModel model(String name, String item, RateCard card) {
    String provider = null;
    String id = name;
    int slash = name.indexOf('/');
    if (slash > 0) {
      provider = name.substring(0, slash).toLowerCase(java.util.Locale.ROOT);
      id = name.substring(slash + 1);
    }
    String key = ModelNames.key(id);
    List<CardModel> matches = new ArrayList<>();
    for (CardModel model : card.models()) {
      boolean named = ModelNames.key(model.model()).equals(key)
          || model.aliases().stream().anyMatch(alias -> ModelNames.key(alias).equals(key));
      if (named && (provider == null || provider.equals(model.provider()))) {
        matches.add(model);
      }
    }
    if (matches.size() == 1) {
      return matches.get(0);
    }
    // The same id under several providers (the Claude API and Bedrock): the default provider's, as in the logs.
    List<CardModel> defaultProvider = matches.stream()
        .filter(m -> m.provider().equals(dev.tokenreprice.input.CanonicalSchema.DEFAULT_PROVIDER)).toList();
    if (defaultProvider.size() == 1) {
      return defaultProvider.get(0);
    }
    if (matches.size() > 1) {
      throw new UsageException("--scenarios: model '" + id + "' in '" + item + "' is in the rate card under several providers"
          + " (" + String.join(", ", matches.stream().map(m -> m.provider() + "/" + m.model()).toList())
          + "): write model:PROVIDER/" + id);
    }
    throw invalid(item, card);
  }

  private static UsageException invalid(String item, RateCard card) {
    List<String> models = card.models().stream().map(m -> m.provider() + "/" + m.model()).toList();
    return new UsageException("--scenarios: unknown scenario '" + item + "' (valid: batch, no-cache, model:MODEL_ID,"
        + " combined with +, comma-separated; MODEL_ID is an id or alias of the rate card " + String.join(", ", models) + ")");
  }

  /**
   * One line for each scenario that moves traffic to a model retired by the end of the period (only a scenario
   * asked for by name can): its figures still stand, but no team can make that move.
   */
  public static List<String> retiredTargets(List<Scenario> scenarios, Period period) {
    LocalDate end = lastDay(period);
    return scenarios.stream()
        .filter(scenario -> scenario.target().filter(model -> !model.offeredOn(end)).isPresent())
        .map(scenario -> "scenario " + scenario.name() + ": " + scenario.target().get().provider() + "/"
            + scenario.target().get().model() + " is retired since " + scenario.target().get().retiredOn().get()
            + " (rate card); its figures compare prices, no team can move to it")
        .toList();
  }

  /** The period's last day; an open period ends today (UTC), as no log can come from a later day. */
  private static LocalDate lastDay(Period period) {
    return period.to().orElseGet(() -> LocalDate.now(ZoneOffset.UTC));
  }

  private static boolean inForceDuring(CardModel model, Period period) {
    List<Rate> rates = model.rates();
    LocalDate firstDay = rates.get(0).effectiveFrom();
    return period.to().map(to -> !firstDay.isAfter(to)).orElse(true);
  }
}
