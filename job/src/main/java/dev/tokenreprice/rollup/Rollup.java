package dev.tokenreprice.rollup;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import dev.tokenreprice.input.CanonicalSchema;
import dev.tokenreprice.pricing.PricingColumns;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;

/** The daily rollup: one row per day, feature, provider and model, with requests, tokens, uses and costs. */
public final class Rollup {
  public static final List<String> KEY_COLUMNS =
      List.of(CanonicalSchema.DAY, CanonicalSchema.FEATURE, CanonicalSchema.PROVIDER, UsageAggregation.MODEL);
  public static final List<String> COST_COLUMNS = List.of(PricingColumns.INPUT_COST, PricingColumns.OUTPUT_COST,
      PricingColumns.CACHE_WRITE_COST, PricingColumns.CACHE_READ_COST, PricingColumns.TOOL_COST,
      PricingColumns.TOTAL_COST);
  /** Measures in output order: requests, the five token counts, the use counts, the six costs. */
  public static final List<String> MEASURE_COLUMNS = measures();
  /** The columns of {@code rollup/} and {@code rollup.csv}, in order. */
  public static final List<String> COLUMNS = concat(KEY_COLUMNS, MEASURE_COLUMNS);

  private Rollup() {}

  /** Sums priced usage groups to the rollup's grain; costs become DECIMAL(38, scale). */
  public static Dataset<Row> of(Dataset<Row> pricedUsage, int costScale) {
    return pricedUsage
        .groupBy(KEY_COLUMNS.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new))
        .agg(sum(col(UsageAggregation.REQUESTS)).as(UsageAggregation.REQUESTS), measureSums(costScale))
        .select(COLUMNS.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new));
  }

  /** Sums of every measure but requests, costs at the output decimal type. */
  static Column[] measureSums(int costScale) {
    DecimalType outputCost = outputCostType(costScale);
    List<Column> sums = new ArrayList<>();
    for (String tokens : CanonicalSchema.COUNT_COLUMNS) {
      sums.add(coalesce(sum(col(tokens)), lit(0L)).cast(DataTypes.LongType).as(tokens));
    }
    for (String cost : COST_COLUMNS) {
      // coalesce: a grand total over no rows is zero, not empty.
      sums.add(coalesce(sum(col(cost)), lit(0)).cast(outputCost).as(cost));
    }
    return sums.toArray(Column[]::new);
  }

  /** Costs in the outputs: the widest decimal, at the card's exact scale. */
  public static DecimalType outputCostType(int costScale) {
    return DataTypes.createDecimalType(38, costScale);
  }

  private static List<String> measures() {
    List<String> measures = new ArrayList<>();
    measures.add(UsageAggregation.REQUESTS);
    measures.addAll(CanonicalSchema.COUNT_COLUMNS);
    measures.addAll(COST_COLUMNS);
    return List.copyOf(measures);
  }

  static List<String> concat(List<String> first, List<String> second) {
    List<String> all = new ArrayList<>(first);
    all.addAll(second);
    return List.copyOf(all);
  }
}
