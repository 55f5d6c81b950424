package dev.tokenreprice.report;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

/**
 * One scenario of the counterfactual sheet over the whole run (its total row), with the features whose
 * cost it changes most. A negative delta is a saving.
 */
public record ScenarioSavings(String scenario, long requests, BigDecimal actualCost, BigDecimal scenarioCost,
    BigDecimal delta, Optional<BigDecimal> deltaPct, long rowsUnpriced, List<FeatureDelta> topFeatures) {

  /** What the scenario changes for one feature, summed over its providers and models. */
  public record FeatureDelta(String feature, BigDecimal delta) {}
}
