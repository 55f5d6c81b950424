package dev.tokenreprice.report;

import dev.tokenreprice.counterfactual.Counterfactual;
import dev.tokenreprice.input.CanonicalSchema;
import dev.tokenreprice.rollup.UsageAggregation;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.spark.sql.Row;

/**
 * Each scenario's total and the features it changes most, added up on the driver from the counterfactual
 * sheet's rows as counterfactual.csv streams them there: the report and the summary cost no Spark job of
 * their own.
 */
public final class ScenarioFigures implements Consumer<Row> {
  private final Map<String, Map<String, BigDecimal>> featureDeltas = new TreeMap<>();
  private final List<Row> totalRows = new ArrayList<>();

  @Override
  public void accept(Row sheetRow) {
    String feature = sheetRow.getAs(CanonicalSchema.FEATURE);
    String scenario = sheetRow.getAs(Counterfactual.SCENARIO);
    if (Counterfactual.ALL.equals(feature)) {
      totalRows.add(sheetRow);
    } else {
      featureDeltas.computeIfAbsent(scenario, s -> new TreeMap<>())
          .merge(feature, sheetRow.<BigDecimal>getAs(Counterfactual.DELTA), BigDecimal::add);
    }
  }

  /** Every scenario's total row with its top features, largest saving first. */
  public List<ScenarioSavings> scenarios() {
    List<ScenarioSavings> scenarios = new ArrayList<>();
    for (Row row : totalRows) {
      String scenario = row.getAs(Counterfactual.SCENARIO);
      List<ScenarioSavings.FeatureDelta> top = featureDeltas.getOrDefault(scenario, Map.of()).entrySet().stream()
          .map(entry -> new ScenarioSavings.FeatureDelta(entry.getKey(), entry.getValue()))
          .sorted(Comparator.comparing(ScenarioSavings.FeatureDelta::delta).thenComparing(ScenarioSavings.FeatureDelta::feature))
          .limit(ReportFigures.TOP_FEATURES_PER_SCENARIO)
          .toList();
      scenarios.add(new ScenarioSavings(scenario, row.<Long>getAs(UsageAggregation.REQUESTS),
          row.getAs(Counterfactual.ACTUAL_COST), row.getAs(Counterfactual.SCENARIO_COST), row.getAs(Counterfactual.DELTA),
          Optional.ofNullable(row.<BigDecimal>getAs(Counterfactual.DELTA_PCT)),
          row.<Long>getAs(Counterfactual.ROWS_UNPRICED), top));
    }
    scenarios.sort(Comparator.comparing(ScenarioSavings::delta).thenComparing(ScenarioSavings::scenario));
    return List.copyOf(scenarios);
  }
}
