package dev.tokenreprice.report;

import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;

/** The largest savings among the scenarios, from their total rows (one per scenario). */
public final class Savings {
  public static final int TOP = 3;

  private Savings() {}

  public static List<Saving> largest(List<ScenarioSavings> scenarios) {
    return scenarios.stream()
        .filter(scenario -> scenario.delta().signum() < 0)
        .sorted(Comparator.comparing(ScenarioSavings::delta).thenComparing(ScenarioSavings::scenario))
        .limit(TOP)
        .map(scenario -> new Saving(scenario.scenario(), scenario.delta(), scenario.deltaPct(), scenario.rowsUnpriced()))
        .toList();
  }
}
