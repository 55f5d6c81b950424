package dev.tokenreprice.report;

import static org.apache.spark.sql.functions.col;

import dev.tokenreprice.input.CanonicalSchema;
import dev.tokenreprice.pricing.PricingColumns;
import dev.tokenreprice.rollup.Totals;
import dev.tokenreprice.rollup.UsageAggregation;
import java.math.BigDecimal;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Reads the summary's figures from the totals (a few hundred aggregated rows, never the logs). */
public final class TopCosts {
  public static final int TOP = 5;

  private TopCosts() {}

  /** The grand total row: its requests and its cost. */
  public record GrandTotal(long requests, BigDecimal cost) {}

  public static GrandTotal grandTotal(Dataset<Row> totals) {
    List<Row> total = totals.filter(col(Totals.LEVEL).equalTo(Totals.LEVEL_TOTAL))
        .select(col(UsageAggregation.REQUESTS), col(PricingColumns.TOTAL_COST)).collectAsList();
    return total.isEmpty() ? new GrandTotal(0, BigDecimal.ZERO)
        : new GrandTotal(total.get(0).getLong(0), total.get(0).getDecimal(1));
  }

  public static List<CostLine> features(Dataset<Row> totals) {
    return top(totals, Totals.LEVEL_FEATURE, col(CanonicalSchema.FEATURE));
  }

  public static List<CostLine> models(Dataset<Row> totals) {
    return top(totals, Totals.LEVEL_MODEL, org.apache.spark.sql.functions.concat_ws("/",
        col(CanonicalSchema.PROVIDER), col(UsageAggregation.MODEL)));
  }

  private static List<CostLine> top(Dataset<Row> totals, String level, org.apache.spark.sql.Column name) {
    return totals.filter(col(Totals.LEVEL).equalTo(level))
        .orderBy(col(PricingColumns.TOTAL_COST).desc(), name)
        .select(name, col(UsageAggregation.REQUESTS), col(PricingColumns.TOTAL_COST))
        .limit(TOP)
        .collectAsList().stream()
        .map(row -> new CostLine(row.getString(0), row.getLong(1), row.getDecimal(2)))
        .toList();
  }
}
