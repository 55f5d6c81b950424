package dev.tokenreprice.rollup;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.tokenreprice.input.CanonicalSchema;
import dev.tokenreprice.pricing.PricingColumns;
import dev.tokenreprice.ratecard.RateCardTables;
import dev.tokenreprice.validate.RowStatus;
import dev.tokenreprice.validate.Validation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The one pass over the logs: sums the token and use counts of every (source file, status, day, feature, provider,
 * model, price) group. Only priced rows keep their keys; a quarantined row keeps its day, detail and raw
 * record, so the quarantine is written from these groups without reading the logs again; rows of any other
 * status collapse into one group per file and status, which is all the counts need. The result is small
 * (groups, not requests, and the few quarantined records) and prices exactly like the rows it sums,
 * because pricing is linear in token counts.
 */
public final class UsageAggregation {
  public static final String MODEL = "model";
  /** Requests: rows of a request's own usage ({@link CanonicalSchema#OWN_USAGE}); an advisor's usage adds none. */
  public static final String REQUESTS = "requests";
  /** Rows of every usage part: what the run's counts and the quarantine's copies count. */
  public static final String ROWS = "rows";
  private static final String COPY = "copy";

  private UsageAggregation() {}

  public static Dataset<Row> byStatusAndPrice(Dataset<Row> classified) {
    return byStatusAndPrice(classified, Map.of(), Map.of());
  }

  /**
   * The same, also grouping by {@code extraKeys} and summing {@code extraSums}: per-request values that
   * later stages need and cannot derive from sums (the counterfactual's long-prompt flags and scaled counts).
   */
  public static Dataset<Row> byStatusAndPrice(Dataset<Row> classified, Map<String, Column> extraKeys,
      Map<String, Column> extraSums) {
    Column priced = col(RowStatus.COLUMN).equalTo(lit(RowStatus.PRICED));
    Column quarantined = Validation.isQuarantined();
    List<Column> keys = new ArrayList<>(List.of(
        // Per file for the manifest's counts; files are few next to rows, and later stages sum over them.
        col(CanonicalSchema.SOURCE_FILE),
        col(RowStatus.COLUMN),
        // Rows outside the period keep their day too: the manifest records the days of every file, which
        // --since-last-run re-prices when the file changes.
        when(priced.or(quarantined).or(col(RowStatus.COLUMN).equalTo(lit(RowStatus.OUTSIDE_PERIOD))),
            col(CanonicalSchema.DAY)).as(CanonicalSchema.DAY),
        when(quarantined, Validation.detail()).as(Validation.DETAIL),
        when(quarantined, col(CanonicalSchema.RAW_RECORD)).as(CanonicalSchema.RAW_RECORD),
        whenPriced(priced, CanonicalSchema.FEATURE).as(CanonicalSchema.FEATURE),
        whenPriced(priced, CanonicalSchema.PROVIDER).as(CanonicalSchema.PROVIDER),
        whenPriced(priced, PricingColumns.CARD_MODEL).as(MODEL),
        whenPriced(priced, RateCardTables.PRICE_ID).as(RateCardTables.PRICE_ID),
        whenPriced(priced, PricingColumns.LONG_PROMPT).as(PricingColumns.LONG_PROMPT)));
    extraKeys.forEach((name, value) -> keys.add(when(priced, value).as(name)));
    List<Column> sums = new ArrayList<>();
    for (String tokens : CanonicalSchema.COUNT_COLUMNS) {
      // Quarantined rows may hold any number; summing only priced ones keeps garbage from overflowing a sum.
      sums.add(sum(whenPriced(priced, tokens)).as(tokens));
    }
    extraSums.forEach((name, value) -> sums.add(sum(when(priced, value)).as(name)));
    return classified
        .groupBy(keys.toArray(Column[]::new))
        .agg(count(lit(1)).as(ROWS), allSums(sums));
  }

  private static Column[] allSums(List<Column> sums) {
    List<Column> all = new ArrayList<>();
    all.add(sum(when(col(CanonicalSchema.USAGE_PART).equalTo(CanonicalSchema.OWN_USAGE), 1L).otherwise(0L))
        .as(REQUESTS));
    all.addAll(sums);
    return all.toArray(Column[]::new);
  }

  /** The priced groups, ready for {@link dev.tokenreprice.pricing.Pricer#price}. */
  public static Dataset<Row> priced(Dataset<Row> usage) {
    return usage.filter(col(RowStatus.COLUMN).equalTo(lit(RowStatus.PRICED)))
        .drop(RowStatus.COLUMN, CanonicalSchema.SOURCE_FILE, Validation.DETAIL, CanonicalSchema.RAW_RECORD, ROWS);
  }

  /**
   * The quarantined records as {@link Validation#quarantined} gives them, from the groups: identical bad
   * records share a group, and come out again as many times as they were read.
   */
  public static Dataset<Row> quarantined(Dataset<Row> usage) {
    return usage.filter(Validation.isQuarantined())
        .select(col(RowStatus.COLUMN).as(Validation.REASON), col(Validation.DETAIL), col(CanonicalSchema.SOURCE_FILE),
            col(CanonicalSchema.DAY), col(CanonicalSchema.RAW_RECORD),
            explode(sequence(lit(1L), col(ROWS))).as(COPY))
        .drop(COPY);
  }

  private static Column whenPriced(Column priced, String column) {
    return when(priced, col(column));
  }
}
