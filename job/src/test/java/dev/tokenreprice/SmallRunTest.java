package dev.tokenreprice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenreprice.bench.DoubledCard;
import dev.tokenreprice.cli.LogInput;
import dev.tokenreprice.cli.Period;
import dev.tokenreprice.counterfactual.Counterfactual;
import dev.tokenreprice.counterfactual.RequestFacts;
import dev.tokenreprice.counterfactual.Scenario;
import dev.tokenreprice.counterfactual.ScenarioParser;
import dev.tokenreprice.counterfactual.ScenarioPrices;
import dev.tokenreprice.input.InputFile;
import dev.tokenreprice.input.InputFiles;
import dev.tokenreprice.input.LogFormats;
import dev.tokenreprice.input.LogReader;
import dev.tokenreprice.input.RunSize;
import dev.tokenreprice.ratecard.RateCard;
import dev.tokenreprice.ratecard.RateCardLoader;
import dev.tokenreprice.ratecard.RateCardTables;
import dev.tokenreprice.rollup.UsageAggregation;
import dev.tokenreprice.testing.JobRun;
import dev.tokenreprice.testing.SharedSpark;
import dev.tokenreprice.validate.Deduplication;
import dev.tokenreprice.validate.Validation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small run is one pass over the logs and a handful of Spark jobs over its kept usage groups, and its plans are as
 * wide with a card of twice the models: counts, which, unlike times, do not depend on the machine.
 */
class SmallRunTest {
  private static final Path ROOT = Path.of(System.getProperty("repo.root"));
  private static final String SAMPLE = ROOT.resolve("sample-data/logs/jsonl").toString();
  private static final String CARD = ROOT.resolve("conf/rate-card.yaml").toString();

  @TempDir
  Path dir;

  @Test
  void theSampleRunWithItsSheetAndReportStartsAtMostEightSparkJobsEachNamed() throws Exception {
    SparkSession spark = SharedSpark.session();
    List<String> jobs = Collections.synchronizedList(new ArrayList<>());
    SparkListener listener = new SparkListener() {
      @Override
      public void onJobStart(SparkListenerJobStart start) {
        jobs.add(String.valueOf(start.properties().getProperty("spark.job.description")));
      }
    };
    spark.sparkContext().addSparkListener(listener);
    try {
      JobRun run = JobRun.of("--input", SAMPLE, "--rate-card", CARD, "--out", dir.resolve("out").toString());
      assertEquals(0, run.status(), run.err());
      spark.sparkContext().listenerBus().waitUntilEmpty();
    } finally {
      spark.sparkContext().removeSparkListener(listener);
    }
    assertTrue(jobs.size() <= 8, jobs.size() + " Spark jobs: " + jobs);
    assertTrue(jobs.stream().noneMatch(description -> description.equals("null")), "a job without a name: " + jobs);
  }

  @Test
  void thePassAndTheCounterfactualPlanAsWideWithACardOfTwiceTheModels() throws Exception {
    Path doubled = dir.resolve("doubled.yaml");
    DoubledCard.write(Path.of(CARD), doubled);
    assertEquals(planShape(CARD), planShape(doubled.toString()));
  }

  /** The optimized plans of the pass and of the counterfactual, without the ids that differ from plan to plan. */
  private static String planShape(String cardPath) {
    SparkSession spark = SharedSpark.session();
    RateCard card = RateCardLoader.load(cardPath, spark.sparkContext().hadoopConfiguration());
    RateCardTables tables = RateCardTables.of(card, spark, RunSize.SMALL);
    List<Scenario> scenarios = ScenarioParser.forRun(Optional.empty(), card, Period.ALL_DAYS);
    RequestFacts facts = RequestFacts.of(scenarios, tables);
    List<InputFile> files = InputFiles.list(List.of(new LogInput(SAMPLE, "canonical", Optional.empty())),
        Optional.empty(), spark.sparkContext().hadoopConfiguration(),
        new LogFormats(spark.sparkContext().hadoopConfiguration()), spark).read();
    Dataset<Row> usage = UsageAggregation.byStatusAndPrice(Validation.statusOfEachRow(LogReader.read(spark, files),
        tables, Period.ALL_DAYS, Deduplication.Plan.RANK_IN_PASS), facts.rowValues(), facts.keys(), facts.sums());
    Dataset<Row> byDay = Counterfactual.byDay(UsageAggregation.priced(usage, facts.sums().keySet()),
        ScenarioPrices.none(tables, spark), facts, tables);
    return (usage.queryExecution().optimizedPlan().treeString() + byDay.queryExecution().optimizedPlan().treeString())
        .replaceAll("#\\d+L?|_common_expr_\\d+", "");
  }
}
