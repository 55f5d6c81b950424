package dev.tokenreprice;

import dev.tokenreprice.counterfactual.Counterfactual;
import dev.tokenreprice.counterfactual.RequestFacts;
import dev.tokenreprice.pricing.Pricer;
import dev.tokenreprice.ratecard.RateCardTables;
import dev.tokenreprice.rollup.MaterializedUsage;
import dev.tokenreprice.rollup.Rollup;
import dev.tokenreprice.rollup.UsageAggregation;
import dev.tokenreprice.tables.TableSchemas;
import dev.tokenreprice.counterfactual.ScenarioPrices;
import java.util.function.Supplier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What a run writes, derived from its usage groups: the rollup, the counterfactual at day grain and its sheet, and
 * the quarantined records. The counterfactual is planned when it is first asked for (its scenario prices are worked
 * out on the driver then, while other outputs may already be written) and cached when first computed, since two
 * outputs read it (a Parquet folder and a CSV file); the rollup is cheap to add up again from the kept groups.
 */
final class RunResults {
  private final Dataset<Row> rollup;
  private final Dataset<Row> quarantined;
  private final int costScale;
  private final Supplier<Dataset<Row>> planCounterfactual;
  private Dataset<Row> counterfactualByDay;

  private RunResults(Dataset<Row> rollup, Dataset<Row> quarantined, int costScale,
      Supplier<Dataset<Row>> planCounterfactual) {
    this.rollup = rollup;
    this.quarantined = quarantined;
    this.costScale = costScale;
    this.planCounterfactual = planCounterfactual;
  }

  /**
   * @param groups the usage groups, every record without a price explained
   * @param priced the priced groups among them
   * @param scenarioPrices the scenarios' prices of the priced groups ({@link ScenarioPrices}), worked out when the
   *     counterfactual is first asked for
   */
  static RunResults of(Dataset<Row> groups, Dataset<Row> priced, Supplier<Dataset<Row>> scenarioPrices,
      RequestFacts requestFacts, RateCardTables tables) {
    return new RunResults(Rollup.of(Pricer.price(priced, tables), tables.costScale()),
        UsageAggregation.quarantined(groups), tables.costScale(), () -> MaterializedUsage.keep(
            Counterfactual.byDay(priced, scenarioPrices.get(), requestFacts, tables), priced.sparkSession()));
  }

  Dataset<Row> rollup() {
    return rollup;
  }

  Dataset<Row> quarantined() {
    return quarantined;
  }

  int costScale() {
    return costScale;
  }

  synchronized Dataset<Row> counterfactualByDay() {
    if (counterfactualByDay == null) {
      counterfactualByDay = planCounterfactual.get();
    }
    return counterfactualByDay;
  }

  Dataset<Row> sheet() {
    return Counterfactual.sheet(counterfactualByDay(), costScale);
  }

  /** The schemas of the run's Iceberg tables, from the plans alone: no Spark job runs and nothing is kept. */
  static TableSchemas schemas(Dataset<Row> groups, Dataset<Row> priced, Dataset<Row> scenarioPrices,
      RequestFacts requestFacts, RateCardTables tables) {
    return TableSchemas.of(Rollup.of(Pricer.price(priced, tables), tables.costScale()).schema(),
        Counterfactual.byDay(priced, scenarioPrices, requestFacts, tables).schema(),
        UsageAggregation.quarantined(groups).schema(), tables.costScale());
  }

  synchronized void unpersist() {
    if (counterfactualByDay != null) {
      MaterializedUsage.release(counterfactualByDay);
    }
  }
}
