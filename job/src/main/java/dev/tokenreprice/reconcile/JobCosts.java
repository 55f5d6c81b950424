package dev.tokenreprice.reconcile;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;

import dev.tokenreprice.input.CanonicalSchema;
import dev.tokenreprice.pricing.PricingColumns;
import dev.tokenreprice.rollup.UsageAggregation;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
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

  /** The run's cost and tokens of each day, provider and model: what a bill and a usage report are compared with. */
  public record Sums(SortedMap<BillKey, BigDecimal> costs, SortedMap<BillKey, UsageTokens> tokens) {}

  /** Every per-use fee in each model's cost. */
  public static SortedMap<BillKey, BigDecimal> byDayAndModel(Dataset<Row> rollup) {
    return of(rollup, Set.of(), false).costs();
  }

  /** With the per-use fees of {@code toolFeesApart}'s providers on a line of their own per day. */
  public static SortedMap<BillKey, BigDecimal> byDayAndModel(Dataset<Row> rollup, Set<String> toolFeesApart) {
    return of(rollup, toolFeesApart, false).costs();
  }

  /**
   * Costs (as {@link #byDayAndModel(Dataset, Set)}) and, {@code withTokens}, tokens by day, provider and model, in
   * one Spark job over the rollup: a usage report's tokens need no second pass.
   */
  public static Sums of(Dataset<Row> rollup, Set<String> toolFeesApart, boolean withTokens) {
    SortedMap<BillKey, BigDecimal> costs = new TreeMap<>();
    SortedMap<BillKey, UsageTokens> tokens = new TreeMap<>();
    List<Column> sums = new ArrayList<>(List.of(sum(col(PricingColumns.TOOL_COST))));
    if (withTokens) {
      for (String kind : CanonicalSchema.TOKEN_COLUMNS) {
        sums.add(sum(col(kind)));
      }
    }
    for (Row row : rollup.groupBy(col(CanonicalSchema.DAY), col(CanonicalSchema.PROVIDER), col(UsageAggregation.MODEL))
        .agg(sum(col(PricingColumns.TOTAL_COST)), sums.toArray(Column[]::new))
        .collectAsList()) {
      LocalDate day = day(row.get(0));
      String provider = row.getString(1);
      BillKey key = new BillKey(day, provider, row.getString(2));
      BigDecimal total = row.getDecimal(3);
      BigDecimal tools = row.getDecimal(4);
      if (toolFeesApart.contains(provider)) {
        costs.put(key, total.subtract(tools));
        if (tools.signum() != 0) {
          costs.merge(BillKey.toolFees(day, provider), tools, BigDecimal::add);
        }
      } else {
        costs.put(key, total);
      }
      if (withTokens) {
        // TOKEN_COLUMNS: input, output, 5-minute writes, 1-hour writes, reads, as UsageTokens takes them.
        tokens.put(key, new UsageTokens(row.getLong(5), row.getLong(6), row.getLong(7), row.getLong(8),
            row.getLong(9)));
      }
    }
    return new Sums(costs, tokens);
  }

  /** Spark hands a DATE over as {@code java.sql.Date}, or as {@code LocalDate} with its Java 8 time API on. */
  private static LocalDate day(Object value) {
    return value instanceof LocalDate day ? day : ((java.sql.Date) value).toLocalDate();
  }
}
