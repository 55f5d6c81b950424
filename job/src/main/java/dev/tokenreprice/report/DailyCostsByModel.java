package dev.tokenreprice.report;

import dev.tokenreprice.input.CanonicalSchema;
import dev.tokenreprice.pricing.PricingColumns;
import dev.tokenreprice.rollup.UsageAggregation;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.spark.sql.Row;

/**
 * The report's daily chart, added up on the driver from the rollup rows as rollup.csv streams them there:
 * the chart costs no Spark job of its own.
 */
public final class DailyCostsByModel implements Consumer<Row> {
  private final Map<String, Map<String, BigDecimal>> costs = new TreeMap<>();

  @Override
  public void accept(Row rollupRow) {
    String day = String.valueOf(rollupRow.<Object>getAs(CanonicalSchema.DAY));
    String model = rollupRow.<String>getAs(CanonicalSchema.PROVIDER) + "/" + rollupRow.<String>getAs(UsageAggregation.MODEL);
    BigDecimal cost = rollupRow.getAs(PricingColumns.TOTAL_COST);
    costs.computeIfAbsent(day, d -> new TreeMap<>()).merge(model, cost, BigDecimal::add);
  }

  /** Each day's cost per model, by day and then model. */
  public List<ReportFigures.DayModelCost> costs() {
    return costs.entrySet().stream()
        .flatMap(day -> day.getValue().entrySet().stream()
            .map(model -> new ReportFigures.DayModelCost(day.getKey(), model.getKey(), model.getValue())))
        .toList();
  }
}
