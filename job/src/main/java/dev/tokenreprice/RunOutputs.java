package dev.tokenreprice;

import dev.tokenreprice.cli.Period;
import dev.tokenreprice.input.RunSize;
import dev.tokenreprice.output.FocusExport;
import dev.tokenreprice.output.OutputFiles;
import dev.tokenreprice.output.OutputLanes;
import dev.tokenreprice.output.OutputPublisher;
import dev.tokenreprice.ratecard.RateCard;
import dev.tokenreprice.reconcile.Bill;
import dev.tokenreprice.reconcile.JobCosts;
import dev.tokenreprice.report.DailyCostsByModel;
import dev.tokenreprice.report.Progress;
import dev.tokenreprice.report.PromotionsPastEnd;
import dev.tokenreprice.report.ScenarioFigures;
import dev.tokenreprice.pricing.PricingColumns;
import dev.tokenreprice.rollup.Totals;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;

/**
 * Stages a run's data outputs in two lanes side by side (see {@link OutputLanes}): the quarantine, rollup.csv and
 * rollup/ in one; counterfactual/ and counterfactual.csv in the other. The CSV files stream their rows to the driver,
 * where the same rows add up the figures the rest of the run needs: the totals, the report's chart and scenario
 * figures, the promotions past their end and the costs a bill is compared with. Nothing is published here.
 *
 * @param totals the rows of totals.csv, in order
 */
record RunOutputs(List<Row> totals, DailyCostsByModel dailyByModel, PromotionsPastEnd promotions, JobCosts jobCosts,
    ScenarioFigures scenarioFigures) {
  /** Called once the rollup is staged, before anything is published: tests make it throw (see RepriceJob). */
  static Runnable afterRollupStaged = () -> {};

  /**
   * @param rollupsPublished whether the run publishes its rollups and counterfactual (not a strict run with
   *     quarantined rows): else only the quarantine is staged, and the rest streams to the figures alone
   */
  static RunOutputs write(RunResults results, boolean rollupsPublished, boolean withCounterfactual, boolean withFocus,
      long rowsQuarantined, RateCard card, Optional<Bill> bill, Period period, RunSize size, OutputPublisher publisher,
      Progress progress, Configuration hadoopConf) throws IOException {
    Totals totals = new Totals(results.rollup().schema(), results.costScale());
    RunOutputs figures = new RunOutputs(new ArrayList<>(), new DailyCostsByModel(), PromotionsPastEnd.tally(card, period),
        JobCosts.tally(bill.map(Bill::toolFeesApart).orElse(Set.of()), bill.map(Bill::hasUsageReport).orElse(false)),
        new ScenarioFigures());
    Optional<OutputPublisher> csvFiles = rollupsPublished ? Optional.of(publisher) : Optional.empty();
    // The FOCUS rows are made from the same stream as the totals; written only where the rollups are published.
    Optional<FocusExport> focus = withFocus && rollupsPublished
        ? Optional.of(new FocusExport(results.rollup().schema().apply(PricingColumns.TOTAL_COST).dataType(),
            card.currency()))
        : Optional.empty();
    Consumer<Row> focusRows = focus.<Consumer<Row>>map(export -> export).orElse(row -> { });
    try (OutputLanes lanes = OutputLanes.of(2)) {
      List<OutputLanes.Output> rollups = new ArrayList<>();
      rollups.add(() -> {
        Progress.Stage writing = progress.start("writing quarantine " + period.label());
        OutputFiles.writeQuarantine(results.quarantined(), rowsQuarantined > 0, publisher, size);
        writing.done(Progress.count(rowsQuarantined, "row", "rows"));
      });
      rollups.add(() -> {
        Progress.Stage writing = progress.start("writing rollups " + period.label());
        writing.describe("rollup.csv and the totals");
        OutputFiles.streamRollup(results.rollup(), csvFiles, hadoopConf, size,
            totals.andThen(figures.dailyByModel()).andThen(figures.promotions()).andThen(figures.jobCosts())
                .andThen(focusRows));
        figures.totals().addAll(totals.inOrder());
        if (rollupsPublished) {
          writing.describe("rollup/ by day");
          OutputFiles.writeRollup(results.rollup(), publisher, size);
          afterRollupStaged.run();
          OutputFiles.writeTotalsCsv(figures.totals(), publisher, hadoopConf);
        }
        if (focus.isPresent()) {
          writing.describe("focus.csv and focus/");
          OutputFiles.writeFocus(focus.get(), results.rollup().sparkSession(), publisher, hadoopConf);
        }
        writing.done();
      });
      lanes.start(rollups);
      if (withCounterfactual) {
        lanes.start(List.of(() -> {
          Progress.Stage writing = progress.start("writing counterfactual " + period.label());
          if (rollupsPublished) {
            writing.describe("counterfactual/ by day");
            OutputFiles.writeCounterfactual(results.counterfactualByDay(), publisher, size);
          }
          writing.describe("counterfactual.csv");
          OutputFiles.streamSheet(results.sheet(), csvFiles, hadoopConf, size, figures.scenarioFigures());
          writing.done();
        }));
      }
      lanes.awaitAll();
    }
    return new RunOutputs(List.copyOf(figures.totals()), figures.dailyByModel(), figures.promotions(),
        figures.jobCosts(), figures.scenarioFigures());
  }
}
