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
import java.sql.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;

/**
 * What a scenario needs to know of each single request, computed in the same pass that sums the actual
 * usage: the token counts on the target model's tokenizer (each count scaled by target over source
 * factor, rounded half up to a whole token) and whether the request is a long prompt on the target. Both
 * depend on the single request, so they cannot be derived from sums; everything else a scenario needs is.
 */
public final class ScenarioColumns {
  private final List<Scenario> scenarios;
  private final RateCardTables card;

  public ScenarioColumns(List<Scenario> scenarios, RateCardTables card) {
    this.scenarios = List.copyOf(scenarios);
    this.card = card;
  }

  public List<Scenario> scenarios() {
    return scenarios;
  }

  /**
   * Per-request values to group by, by column name: the long-prompt flag on each target that has a long tier, and
   * whether the request used a fee that some target's rate does not price, so that the requests without such uses
   * stay priceable in a group of their own.
   */
  public Map<String, Column> keys() {
    Map<String, Column> keys = new LinkedHashMap<>();
    for (int i = 0; i < scenarios.size(); i++) {
      Scenario scenario = scenarios.get(i);
      if (scenario.target().isPresent() && hasLongTier(scenario.target().get())) {
        keys.put(longPromptColumn(i), longPromptOn(scenario.target().get(), i));
      }
    }
    for (Fee fee : Fee.values()) {
      boolean someTargetLacksIt = scenarios.stream().flatMap(scenario -> scenario.target().stream())
          .anyMatch(target -> target.rates().stream().anyMatch(rate -> !rate.fees().containsKey(fee)));
      if (someTargetLacksIt) {
        keys.put("cf_uses_" + fee.key(), col(fee.countColumn()).gt(0));
      }
    }
    return keys;
  }

  /**
   * Per-request values to sum, by column name: the token counts scaled to each target tokenizer that some
   * model of the card differs from. Targets with the same factor share one set of sums.
   */
  public Map<String, Column> sums() {
    Map<String, Column> sums = new LinkedHashMap<>();
    for (int i = 0; i < scenarios.size(); i++) {
      Scenario scenario = scenarios.get(i);
      if (scenario.target().isPresent() && needsScaling(scenario.target().get())) {
        for (String tokens : CanonicalSchema.TOKEN_COLUMNS) {
          sums.putIfAbsent(scaledColumn(i, tokens), scaled(col(tokens), scenario.target().get()));
        }
      }
    }
    return sums;
  }

  /** The column of scenario {@code i}'s long-prompt flag, present only when its target has a long tier. */
  public String longPromptColumn(int i) {
    return "cf" + i + "_long_prompt";
  }

  /** The column of scenario {@code i}'s scaled count of one token kind, present only when it scales. */
  public String scaledColumn(int i, String tokens) {
    return "cf_factor" + card.tokenFactorUnits(scenarios.get(i).target().orElseThrow()) + "_" + tokens;
  }

  public boolean hasLongTier(CardModel target) {
    return target.rates().stream().anyMatch(rate -> rate.longPrompt().isPresent());
  }

  /** Whether some model of the card counts tokens differently from the target. */
  public boolean needsScaling(CardModel target) {
    long factor = card.tokenFactorUnits(target);
    return card.card().models().stream().anyMatch(model -> card.tokenFactorUnits(model) != factor);
  }

  /** round_half_up(count x target / source) in whole-number arithmetic: floor((2 count Ft + Fs) / (2 Fs)). */
  private Column scaled(Column count, CardModel target) {
    long targetFactor = card.tokenFactorUnits(target);
    Column sourceFactor = col(RateCardTables.TOKEN_FACTOR);
    return call_function("div", count.multiply(2 * targetFactor).plus(sourceFactor), sourceFactor.multiply(2));
  }

  private Column longPromptOn(CardModel target, int i) {
    Column prompt = null;
    for (String tokens : List.of(CanonicalSchema.INPUT_TOKENS, CanonicalSchema.CACHE_WRITE_5M_TOKENS,
        CanonicalSchema.CACHE_WRITE_1H_TOKENS, CanonicalSchema.CACHE_READ_TOKENS)) {
      Column count = needsScaling(target) ? scaled(col(tokens), target) : col(tokens);
      prompt = prompt == null ? count : prompt.plus(count);
    }
    Column day = col(CanonicalSchema.DAY);
    Column flag = null;
    List<Rate> rates = target.rates();
    for (int r = 0; r < rates.size(); r++) {
      Rate rate = rates.get(r);
      if (rate.longPrompt().isEmpty()) {
        continue;
      }
      Column inForce = day.geq(lit(Date.valueOf(rate.effectiveFrom())));
      if (r + 1 < rates.size()) {
        inForce = inForce.and(day.lt(lit(Date.valueOf(rates.get(r + 1).effectiveFrom()))));
      }
      Column isLong = prompt.gt(rate.longPrompt().get().abovePromptTokens());
      flag = flag == null ? when(inForce, isLong) : flag.when(inForce, isLong);
    }
    return flag.otherwise(lit(false));
  }
}
