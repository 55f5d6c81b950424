package dev.tokenreprice.reconcile;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;

import dev.tokenreprice.input.CanonicalSchema;
import dev.tokenreprice.pricing.PricingColumns;
import dev.tokenreprice.rollup.UsageAggregation;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** The run's cost by day, provider and model, from the rollup: a few rows per day, small enough for the driver. */
public final class JobCosts {
  private JobCosts() {}

  public static SortedMap<BillKey, BigDecimal> byDayAndModel(Dataset<Row> rollup) {
    SortedMap<BillKey, BigDecimal> costs = new TreeMap<>();
    for (Row row : rollup.groupBy(col(CanonicalSchema.DAY), col(CanonicalSchema.PROVIDER), col(UsageAggregation.MODEL))
        .agg(sum(col(PricingColumns.TOTAL_COST)))
        .collectAsList()) {
      costs.put(new BillKey(day(row.get(0)), row.getString(1), row.getString(2)), row.getDecimal(3));
    }
    return costs;
  }

  /** Spark hands a DATE over as {@code java.sql.Date}, or as {@code LocalDate} with its Java 8 time API on. */
  private static LocalDate day(Object value) {
    return value instanceof LocalDate day ? day : ((java.sql.Date) value).toLocalDate();
  }
}
