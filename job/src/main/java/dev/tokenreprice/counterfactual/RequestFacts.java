package dev.tokenreprice.counterfactual;

import static org.apache.spark.sql.functions.call_function;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import dev.tokenreprice.input.CanonicalSchema;
import dev.tokenreprice.ratecard.CardModel;
import dev.tokenreprice.ratecard.Fee;
import dev.tokenreprice.ratecard.Rate;
import dev.tokenreprice.ratecard.RateCardTables;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.apache.spark.sql.Column;

/**
 * What the counterfactual needs to know of each single request, worked out in the one pass that sums the actual
 * usage, because sums cannot give it: the token counts on each target tokenizer (each count scaled by target over
 * source factor, rounded half up to a whole token), and how many of the targets' long-prompt thresholds the
 * request's prompt is above on that tokenizer. Both depend on the distinct tokenizer factors and thresholds of the
 * scenarios' target models, which are few, and not on the number of scenarios: a scenario reads them through
 * {@link ScenarioPrices} (its target's factor index and the index of its rate's threshold).
 */
public final class RequestFacts {
  private static final String PREFIX = "cf_factor";
  /** The counts a long-prompt threshold is measured on: uncached input, both cache writes and cache reads. */
  private static final List<String> PROMPT_TOKENS = List.of(CanonicalSchema.INPUT_TOKENS,
      CanonicalSchema.CACHE_WRITE_5M_TOKENS, CanonicalSchema.CACHE_WRITE_1H_TOKENS, CanonicalSchema.CACHE_READ_TOKENS);

  private final RateCardTables card;
  /** The targets' distinct tokenizer factors in whole units, in ascending order; a target's index is its place. */
  private final List<Long> factors;
  /** For each factor, the distinct long-prompt thresholds of its targets' rates, in ascending order. */
  private final List<List<Long>> thresholds;
  /** Whether some model of the card counts tokens differently from each factor, so that counts must be scaled. */
  private final List<Boolean> scaled;
  private final List<Fee> feesSomeTargetLacks;

  private RequestFacts(RateCardTables card, List<Long> factors, List<List<Long>> thresholds, List<Boolean> scaled,
      List<Fee> feesSomeTargetLacks) {
    this.card = card;
    this.factors = List.copyOf(factors);
    this.thresholds = List.copyOf(thresholds);
    this.scaled = List.copyOf(scaled);
    this.feesSomeTargetLacks = List.copyOf(feesSomeTargetLacks);
  }

  /** The facts the targets of {@code scenarios} need. */
  public static RequestFacts of(List<Scenario> scenarios, RateCardTables card) {
    List<CardModel> targets = scenarios.stream().flatMap(scenario -> scenario.target().stream()).distinct().toList();
    List<Long> factors = List.copyOf(new TreeSet<>(targets.stream().map(card::tokenFactorUnits).toList()));
    List<List<Long>> thresholds = new ArrayList<>();
    List<Boolean> scaled = new ArrayList<>();
    for (long factor : factors) {
      TreeSet<Long> above = new TreeSet<>();
      targets.stream().filter(target -> card.tokenFactorUnits(target) == factor)
          .flatMap(target -> target.rates().stream())
          .forEach(rate -> rate.longPrompt().ifPresent(tier -> above.add(tier.abovePromptTokens())));
      thresholds.add(List.copyOf(above));
      scaled.add(card.card().models().stream().anyMatch(model -> card.tokenFactorUnits(model) != factor));
    }
    List<Fee> fees = new ArrayList<>();
    for (Fee fee : Fee.values()) {
      if (targets.stream().anyMatch(target -> target.rates().stream().anyMatch(rate -> !rate.fees().containsKey(fee)))) {
        fees.add(fee);
      }
    }
    return new RequestFacts(card, factors, thresholds, scaled, fees);
  }

  /**
   * Per-request values the keys and sums are worked out from, by column name, added to each row before it is grouped:
   * the token counts on each target tokenizer that needs scaling, and the prompt on each factor with thresholds.
   * Computed once a row and read by name, the keys and sums stay small: an expression repeated in each of them made
   * the pass's generated code too long for the JIT to compile (docs/benchmarks.md).
   */
  public Map<String, Column> rowValues() {
    Map<String, Column> values = new LinkedHashMap<>();
    for (int i = 0; i < factors.size(); i++) {
      if (scaled.get(i)) {
        for (String tokens : CanonicalSchema.TOKEN_COLUMNS) {
          values.put(scaledColumn(i, tokens), scaledCount(col(tokens), factors.get(i)));
        }
      }
      if (!thresholds.get(i).isEmpty()) {
        Column prompt = null;
        for (String tokens : PROMPT_TOKENS) {
          Column count = col(scaled.get(i) ? scaledColumn(i, tokens) : tokens);
          prompt = prompt == null ? count : prompt.plus(count);
        }
        values.put(promptColumn(i), prompt);
      }
    }
    return values;
  }

  /**
   * Per-request values to group by, by column name: for each target factor with long-prompt tiers, how many of its
   * thresholds the prompt is above; and whether the request used a fee that some target's rate does not price, so
   * that the requests without such uses stay priceable in a group of their own.
   */
  public Map<String, Column> keys() {
    Map<String, Column> keys = new LinkedHashMap<>();
    for (int i = 0; i < factors.size(); i++) {
      if (!thresholds.get(i).isEmpty()) {
        keys.put(thresholdsPassedColumn(i), thresholdsPassed(i));
      }
    }
    for (Fee fee : feesSomeTargetLacks) {
      keys.put("cf_uses_" + fee.key(), col(fee.countColumn()).gt(0));
    }
    return keys;
  }

  /** Per-request values to sum, by column name: the token counts scaled to each target factor that needs it. */
  public Map<String, Column> sums() {
    Map<String, Column> sums = new LinkedHashMap<>();
    for (int i = 0; i < factors.size(); i++) {
      if (scaled.get(i)) {
        for (String tokens : CanonicalSchema.TOKEN_COLUMNS) {
          sums.put(scaledColumn(i, tokens), col(scaledColumn(i, tokens)));
        }
      }
    }
    return sums;
  }

  /** The index of a target's tokenizer factor, which {@link ScenarioPrices} gives each of its rows. */
  public int factorIndex(CardModel target) {
    int index = factors.indexOf(card.tokenFactorUnits(target));
    if (index < 0) {
      throw new IllegalArgumentException("model " + target.model() + " is no scenario's target");
    }
    return index;
  }

  /**
   * For a target's rate: how many thresholds of its factor a prompt must be above to be long on that rate (the
   * place of its threshold, from 1), or empty where the rate has no long-prompt tier.
   */
  public Optional<Integer> thresholdsToPass(CardModel target, Rate rate) {
    List<Long> ofFactor = thresholds.get(factorIndex(target));
    return rate.longPrompt().map(tier -> ofFactor.indexOf(tier.abovePromptTokens()) + 1);
  }

  /**
   * A token count on the tokenizer of factor {@code index}, given the row's factor index column: scaled where the
   * card's factors differ, else the count as it is.
   */
  public Column tokensOn(Column factorIndex, String tokens) {
    return byFactor(factorIndex, i -> scaled.get(i) ? col(scaledColumn(i, tokens)) : col(tokens), col(tokens));
  }

  /** Whether a row's prompt is above {@code thresholdsToPass} of the thresholds of its factor index. */
  public Column longOn(Column factorIndex, Column thresholdsToPass) {
    return byFactor(factorIndex, i -> thresholds.get(i).isEmpty() ? lit(false)
        : col(thresholdsPassedColumn(i)).geq(thresholdsToPass), lit(false));
  }

  private Column byFactor(Column factorIndex, java.util.function.IntFunction<Column> value, Column otherwise) {
    Column result = null;
    for (int i = 0; i < factors.size(); i++) {
      Column when = factorIndex.equalTo(i);
      result = result == null ? when(when, value.apply(i)) : result.when(when, value.apply(i));
    }
    return result == null ? otherwise : result.otherwise(otherwise);
  }

  private static String thresholdsPassedColumn(int factorIndex) {
    return PREFIX + factorIndex + "_thresholds_passed";
  }

  private static String promptColumn(int factorIndex) {
    return PREFIX + factorIndex + "_prompt";
  }

  private static String scaledColumn(int factorIndex, String tokens) {
    return PREFIX + factorIndex + "_" + tokens;
  }

  /** round_half_up(count x target / source) in whole-number arithmetic: floor((2 count Ft + Fs) / (2 Fs)). */
  private static Column scaledCount(Column count, long targetFactor) {
    Column sourceFactor = col(RateCardTables.TOKEN_FACTOR);
    return call_function("div", count.multiply(2 * targetFactor).plus(sourceFactor), sourceFactor.multiply(2));
  }

  /** The number of thresholds of factor {@code i} the request's prompt on that tokenizer is above. */
  private Column thresholdsPassed(int i) {
    Column prompt = col(promptColumn(i));
    List<Long> above = thresholds.get(i);
    Column passed = null;
    for (int k = above.size(); k >= 1; k--) {
      Column isAbove = prompt.gt(above.get(k - 1));
      passed = passed == null ? when(isAbove, lit(k)) : passed.when(isAbove, lit(k));
    }
    return passed.otherwise(lit(0));
  }
}
