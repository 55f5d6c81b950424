package dev.tokenreprice.report;

import dev.tokenreprice.input.CanonicalSchema;
import dev.tokenreprice.pricing.PricingColumns;
import dev.tokenreprice.rollup.Totals;
import dev.tokenreprice.rollup.UsageAggregation;
import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import org.apache.spark.sql.Row;

/** Reads the summary's figures from the totals, collected on the driver (a few hundred aggregated rows, never the logs). */
public final class TopCosts {
  public static final int TOP = 5;

  private TopCosts() {}

  /** The grand total row: its requests, its cost, and the part of it that is per-use fees for its web searches. */
  public record GrandTotal(long requests, BigDecimal cost, BigDecimal toolCost, long webSearchRequests) {}

  public static GrandTotal grandTotal(List<Row> totals) {
    return totals.stream().filter(row -> Totals.LEVEL_TOTAL.equals(row.getAs(Totals.LEVEL))).findFirst()
        .map(row -> new GrandTotal(row.<Long>getAs(UsageAggregation.REQUESTS),
            row.<BigDecimal>getAs(PricingColumns.TOTAL_COST), row.<BigDecimal>getAs(PricingColumns.TOOL_COST),
            row.<Long>getAs(CanonicalSchema.WEB_SEARCH_REQUESTS)))
        .orElse(new GrandTotal(0, BigDecimal.ZERO, BigDecimal.ZERO, 0));
  }

  public static List<CostLine> features(List<Row> totals) {
    return top(totals, Totals.LEVEL_FEATURE, row -> row.getAs(CanonicalSchema.FEATURE));
  }

  public static List<CostLine> models(List<Row> totals) {
    return top(totals, Totals.LEVEL_MODEL,
        row -> row.getAs(CanonicalSchema.PROVIDER) + "/" + row.getAs(UsageAggregation.MODEL));
  }

  /** The largest costs of one level, ties by name. */
  private static List<CostLine> top(List<Row> totals, String level, Function<Row, String> name) {
    return totals.stream()
        .filter(row -> level.equals(row.getAs(Totals.LEVEL)))
        .map(row -> new CostLine(name.apply(row), row.<Long>getAs(UsageAggregation.REQUESTS),
            row.<BigDecimal>getAs(PricingColumns.TOTAL_COST)))
        .sorted(Comparator.comparing(CostLine::cost).reversed().thenComparing(CostLine::name))
        .limit(TOP)
        .toList();
  }
}
