package dev.tokenreprice.reconcile;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;

import dev.tokenreprice.input.CanonicalSchema;
import dev.tokenreprice.pricing.PricingColumns;
import dev.tokenreprice.rollup.UsageAggregation;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The run's cost by day, provider and model, from the rollup: a few rows per day, small enough for the driver. Each
 * model's cost is its {@code total_cost}, per-use fees included, except for a provider whose bill reports those fees
 * on lines of their own: there the model keeps its token cost and the day's {@code tool_cost} of all its models is
 * the line {@link BillKey#TOOL_FEES}, so both are compared with what the bill put on each.
 */
public final class JobCosts {
  private JobCosts() {}

  /** Every per-use fee in each model's cost. */
  public static SortedMap<BillKey, BigDecimal> byDayAndModel(Dataset<Row> rollup) {
    return byDayAndModel(rollup, Set.of());
  }

  /** With the per-use fees of {@code toolFeesApart}'s providers on a line of their own per day. */
  public static SortedMap<BillKey, BigDecimal> byDayAndModel(Dataset<Row> rollup, Set<String> toolFeesApart) {
    SortedMap<BillKey, BigDecimal> costs = new TreeMap<>();
    for (Row row : rollup.groupBy(col(CanonicalSchema.DAY), col(CanonicalSchema.PROVIDER), col(UsageAggregation.MODEL))
        .agg(sum(col(PricingColumns.TOTAL_COST)), sum(col(PricingColumns.TOOL_COST)))
        .collectAsList()) {
      LocalDate day = day(row.get(0));
      String provider = row.getString(1);
      BigDecimal total = row.getDecimal(3);
      BigDecimal tools = row.getDecimal(4);
      if (toolFeesApart.contains(provider)) {
        costs.put(new BillKey(day, provider, row.getString(2)), total.subtract(tools));
        if (tools.signum() != 0) {
          costs.merge(BillKey.toolFees(day, provider), tools, BigDecimal::add);
        }
      } else {
        costs.put(new BillKey(day, provider, row.getString(2)), total);
      }
    }
    return costs;
  }

  /** The run's tokens by day, provider and model, for comparison with a usage report (one Spark job). */
  public static SortedMap<BillKey, UsageTokens> tokensByDayAndModel(Dataset<Row> rollup) {
    SortedMap<BillKey, UsageTokens> tokens = new TreeMap<>();
    for (Row row : rollup.groupBy(col(CanonicalSchema.DAY), col(CanonicalSchema.PROVIDER), col(UsageAggregation.MODEL))
        .agg(sum(col(CanonicalSchema.INPUT_TOKENS)), sum(col(CanonicalSchema.OUTPUT_TOKENS)),
            sum(col(CanonicalSchema.CACHE_WRITE_5M_TOKENS)), sum(col(CanonicalSchema.CACHE_WRITE_1H_TOKENS)),
            sum(col(CanonicalSchema.CACHE_READ_TOKENS)))
        .collectAsList()) {
      tokens.put(new BillKey(day(row.get(0)), row.getString(1), row.getString(2)), new UsageTokens(row.getLong(3),
          row.getLong(4), row.getLong(5), row.getLong(6), row.getLong(7)));
    }
    return tokens;
  }

  /** Spark hands a DATE over as {@code java.sql.Date}, or as {@code LocalDate} with its Java 8 time API on. */
  private static LocalDate day(Object value) {
    return value instanceof LocalDate day ? day : ((java.sql.Date) value).toLocalDate();
  }
}
