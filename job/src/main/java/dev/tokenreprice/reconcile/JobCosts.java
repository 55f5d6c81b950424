package dev.tokenreprice.reconcile;


import dev.tokenreprice.input.CanonicalSchema;
import dev.tokenreprice.pricing.PricingColumns;
import dev.tokenreprice.rollup.UsageAggregation;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.spark.sql.Row;

/**
 * The run's cost by day, provider and model, from the rollup's rows: a few rows per day, added up on the driver. Each
 * model's cost is its {@code total_cost}, per-use fees included, except for a provider whose bill reports those fees
 * on lines of their own: there the model keeps its token cost and the day's {@code tool_cost} of all its models is
 * the line {@link BillKey#TOOL_FEES}, so both are compared with what the bill put on each.
 */
public final class JobCosts implements Consumer<Row> {
  private final Set<String> toolFeesApart;
  private final boolean withTokens;
  private final SortedMap<BillKey, BigDecimal> costs = new TreeMap<>();
  private final SortedMap<BillKey, UsageTokens> tokens = new TreeMap<>();

  private JobCosts(Set<String> toolFeesApart, boolean withTokens) {
    this.toolFeesApart = Set.copyOf(toolFeesApart);
    this.withTokens = withTokens;
  }

  /** The run's cost and tokens of each day, provider and model: what a bill and a usage report are compared with. */
  public record Sums(SortedMap<BillKey, BigDecimal> costs, SortedMap<BillKey, UsageTokens> tokens) {}

  /**
   * A tally of the rollup's rows, as they stream to the driver for rollup.csv: costs (with the per-use fees of
   * {@code toolFeesApart}'s providers on a line of their own per day) and, {@code withTokens}, tokens by day,
   * provider and model. It costs no Spark job: a usage report's tokens need no second pass either.
   */
  public static JobCosts tally(Set<String> toolFeesApart, boolean withTokens) {
    return new JobCosts(toolFeesApart, withTokens);
  }

  /** Every per-use fee in each model's cost, from rollup rows. */
  public static SortedMap<BillKey, BigDecimal> byDayAndModel(List<Row> rollup) {
    return byDayAndModel(rollup, Set.of());
  }

  /** With the per-use fees of {@code toolFeesApart}'s providers on a line of their own per day. */
  public static SortedMap<BillKey, BigDecimal> byDayAndModel(List<Row> rollup, Set<String> toolFeesApart) {
    JobCosts tally = tally(toolFeesApart, false);
    rollup.forEach(tally);
    return tally.sums().costs();
  }

  @Override
  public void accept(Row rollupRow) {
    LocalDate day = day(rollupRow.getAs(CanonicalSchema.DAY));
    String provider = rollupRow.getAs(CanonicalSchema.PROVIDER);
    BillKey key = new BillKey(day, provider, rollupRow.getAs(UsageAggregation.MODEL));
    BigDecimal total = rollupRow.getAs(PricingColumns.TOTAL_COST);
    BigDecimal tools = rollupRow.getAs(PricingColumns.TOOL_COST);
    if (toolFeesApart.contains(provider)) {
      costs.merge(key, total.subtract(tools), BigDecimal::add);
      if (tools.signum() != 0) {
        costs.merge(BillKey.toolFees(day, provider), tools, BigDecimal::add);
      }
    } else {
      costs.merge(key, total, BigDecimal::add);
    }
    if (withTokens) {
      // TOKEN_COLUMNS: input, output, 5-minute writes, 1-hour writes, reads, as UsageTokens takes them.
      List<Long> counts = CanonicalSchema.TOKEN_COLUMNS.stream().map(kind -> rollupRow.<Long>getAs(kind)).toList();
      UsageTokens row = new UsageTokens(counts.get(0), counts.get(1), counts.get(2), counts.get(3), counts.get(4));
      tokens.merge(key, row, UsageTokens::plus);
    }
  }

  /** What the rows tallied so far add up to. */
  public Sums sums() {
    return new Sums(new TreeMap<>(costs), new TreeMap<>(tokens));
  }

  /** Spark hands a DATE over as {@code java.sql.Date}, or as {@code LocalDate} with its Java 8 time API on. */
  private static LocalDate day(Object value) {
    return value instanceof LocalDate day ? day : ((java.sql.Date) value).toLocalDate();
  }
}
