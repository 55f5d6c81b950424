package dev.tokenreprice.testing;

import static org.apache.spark.sql.functions.col;

import dev.tokenreprice.cli.Period;
import dev.tokenreprice.counterfactual.Counterfactual;
import dev.tokenreprice.counterfactual.RequestFacts;
import dev.tokenreprice.counterfactual.Scenario;
import dev.tokenreprice.counterfactual.ScenarioPrices;
import dev.tokenreprice.input.CanonicalSchema;
import dev.tokenreprice.ratecard.RateCard;
import dev.tokenreprice.ratecard.RateCardTables;
import dev.tokenreprice.rollup.UsageAggregation;
import dev.tokenreprice.validate.UsageFacts;
import dev.tokenreprice.validate.Validation;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** The counterfactual sheet of inline JSON lines, through the same stages as the job, ordered by scenario and feature. */
public final class Sheets {
  private Sheets() {}

  public static List<Row> of(RateCard rateCard, List<Scenario> scenarios, String... lines) {
    SparkSession spark = SharedSpark.session();
    RateCardTables card = RateCardTables.of(rateCard, spark);
    RequestFacts facts = RequestFacts.of(scenarios, card);
    Dataset<Row> usage = UsageAggregation.byStatusAndPrice(
        Validation.classify(Logs.fromJsonLines(lines), card, Period.ALL_DAYS), facts.rowValues(), facts.keys(), facts.sums()).cache();
    Dataset<Row> prices = ScenarioPrices.of(scenarios,
        UsageFacts.of(usage, UsageAggregation.ROWS, UsageAggregation.REQUESTS).priceIds(), facts, card, spark);
    Dataset<Row> byDay = Counterfactual.byDay(UsageAggregation.priced(usage, facts.sums().keySet()), prices, facts,
        card);
    List<Row> sheet = Counterfactual.sheet(byDay, card.costScale())
        .orderBy(col(Counterfactual.SCENARIO), col(CanonicalSchema.FEATURE)).collectAsList();
    usage.unpersist();
    return sheet;
  }
}
