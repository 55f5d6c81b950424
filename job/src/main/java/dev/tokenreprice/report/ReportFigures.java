package dev.tokenreprice.report;

import dev.tokenreprice.input.CanonicalSchema;
import dev.tokenreprice.output.RunManifest;
import dev.tokenreprice.pricing.PricingColumns;
import dev.tokenreprice.rollup.Totals;
import dev.tokenreprice.rollup.UsageAggregation;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.spark.sql.Row;

/**
 * Every figure the report shows, collected to the driver from the run's small aggregates (totals, the daily
 * rollup by model, the counterfactual sheet) and its manifest; never from the logs. The
 * period of an open-ended run is the days it priced.
 */
public record ReportFigures(
    String periodLabel,
    Optional<LocalDate> firstDay,
    Optional<LocalDate> lastDay,
    String currency,
    String rateCardPath,
    String rateCardSha256,
    long rowsRead,
    Map<String, Long> quarantined,
    CostRow total,
    Optional<PreviousPeriod> previous,
    List<DayModelCost> dailyByModel,
    List<CostRow> byDay,
    List<CostRow> byFeature,
    List<CostRow> byModel,
    List<ScenarioSavings> scenarios) {

  /** Features shown under each scenario. */
  public static final int TOP_FEATURES_PER_SCENARIO = 3;

  /** One stack segment of the daily chart: a model's cost on a day. */
  public record DayModelCost(String day, String model, BigDecimal cost) {}

  public boolean anyPriced() {
    return total.requests() > 0;
  }

  /** The figures of a run; {@code sheet} is the counterfactual sheet when the run made one. */
  public static ReportFigures collect(RunManifest manifest, List<DayModelCost> dailyByModel, List<Row> totals,
      List<ScenarioSavings> scenarios) {
    return collect(ReportRun.of(manifest), dailyByModel, totals, scenarios);
  }

  /** The same, from the facts of a run wherever they are kept (its manifest, or its row in the runs table). */
  public static ReportFigures collect(ReportRun run, List<DayModelCost> dailyByModel, List<Row> totals,
      List<ScenarioSavings> scenarios) {
    List<CostRow> byDay = level(totals, Totals.LEVEL_DAY, row -> String.valueOf(row.<Object>getAs(CanonicalSchema.DAY)));
    List<CostRow> byFeature = level(totals, Totals.LEVEL_FEATURE, row -> row.getAs(CanonicalSchema.FEATURE));
    byFeature.sort(Comparator.comparing(CostRow::totalCost).reversed().thenComparing(CostRow::name));
    List<CostRow> byModel = level(totals, Totals.LEVEL_MODEL,
        row -> row.getAs(CanonicalSchema.PROVIDER) + "/" + row.getAs(UsageAggregation.MODEL));
    byModel.sort(Comparator.comparing(CostRow::totalCost).reversed().thenComparing(CostRow::name));
    List<CostRow> grand = level(totals, Totals.LEVEL_TOTAL, row -> "total");
    CostRow total = grand.isEmpty() ? new CostRow("total", 0, 0, 0, 0, 0, 0, BigDecimal.ZERO,
        BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO) : grand.get(0);
    return new ReportFigures(run.period().label(),
        run.period().from().or(() -> byDay.stream().map(day -> LocalDate.parse(day.name())).min(Comparator.naturalOrder())),
        run.period().to().or(() -> byDay.stream().map(day -> LocalDate.parse(day.name())).max(Comparator.naturalOrder())),
        run.currency(), run.rateCardPath(), run.rateCardSha256(), run.rowsRead(), new TreeMap<>(run.quarantined()), total,
        Optional.empty(), dailyByModel, byDay, byFeature, byModel, scenarios);
  }

  /** The same figures, with the period before this one to compare against. */
  public ReportFigures withPrevious(Optional<PreviousPeriod> previousPeriod) {
    return new ReportFigures(periodLabel, firstDay, lastDay, currency, rateCardPath, rateCardSha256, rowsRead,
        quarantined, total, previousPeriod, dailyByModel, byDay, byFeature, byModel, scenarios);
  }

  /** The rows of one level of the collected totals, in key order. */
  private static List<CostRow> level(List<Row> totals, String level, Function<Row, String> name) {
    List<CostRow> rows = new ArrayList<>();
    for (Row row : totals) {
      if (level.equals(row.getAs(Totals.LEVEL))) {
        rows.add(new CostRow(name.apply(row), row.<Long>getAs(UsageAggregation.REQUESTS),
            row.<Long>getAs(CanonicalSchema.INPUT_TOKENS), row.<Long>getAs(CanonicalSchema.OUTPUT_TOKENS),
            row.<Long>getAs(CanonicalSchema.CACHE_WRITE_5M_TOKENS) + row.<Long>getAs(CanonicalSchema.CACHE_WRITE_1H_TOKENS),
            row.<Long>getAs(CanonicalSchema.CACHE_READ_TOKENS), row.<Long>getAs(CanonicalSchema.WEB_SEARCH_REQUESTS),
            row.getAs(PricingColumns.INPUT_COST), row.getAs(PricingColumns.OUTPUT_COST),
            row.getAs(PricingColumns.CACHE_WRITE_COST), row.getAs(PricingColumns.CACHE_READ_COST),
            row.getAs(PricingColumns.TOOL_COST), row.getAs(PricingColumns.TOTAL_COST)));
      }
    }
    rows.sort(Comparator.comparing(CostRow::name));
    return rows;
  }
}
