package dev.tokenreprice.rollup;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.tokenreprice.input.CanonicalSchema;
import dev.tokenreprice.pricing.PricingColumns;
import dev.tokenreprice.ratecard.PricingOption;
import dev.tokenreprice.ratecard.RateCardTables;
import dev.tokenreprice.validate.RowStatus;
import dev.tokenreprice.validate.UnresolvedPrices;
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
 * record, so the quarantine is written from these groups without reading the logs again; a row the card had no
 * price for keeps the same, with its provider, model and option values, for {@link UnresolvedPrices} to say why;
 * rows of any other status collapse into one group per file and status, which is all the counts need. The result is
 * small (groups, not requests, and the few quarantined records) and prices exactly like the rows it sums,
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
   * later stages need and cannot derive from sums (the counterfactual's {@link dev.tokenreprice.counterfactual.RequestFacts}).
   */
  public static Dataset<Row> byStatusAndPrice(Dataset<Row> classified, Map<String, Column> extraKeys,
      Map<String, Column> extraSums) {
    Column status = col(RowStatus.COLUMN);
    Column priced = status.equalTo(lit(RowStatus.PRICED));
    Column unresolved = status.equalTo(lit(RowStatus.UNRESOLVED_PRICE));
    Column quarantined = Validation.isQuarantined();
    Column keepsRecord = Validation.keepsItsRecord();
    List<Column> keys = new ArrayList<>(List.of(
        // Per file for the manifest's counts; files are few next to rows, and later stages sum over them.
        col(CanonicalSchema.SOURCE_FILE),
        status,
        // Rows outside the period keep their day too: the manifest records the days of every file, which
        // --since-last-run re-prices when the file changes.
        when(priced.or(keepsRecord).or(status.equalTo(lit(RowStatus.OUTSIDE_PERIOD))),
            col(CanonicalSchema.DAY)).as(CanonicalSchema.DAY),
        when(quarantined, Validation.detail()).as(Validation.DETAIL),
        when(keepsRecord, col(CanonicalSchema.RAW_RECORD)).as(CanonicalSchema.RAW_RECORD),
        whenPriced(priced, CanonicalSchema.FEATURE).as(CanonicalSchema.FEATURE),
        when(priced.or(unresolved), col(CanonicalSchema.PROVIDER)).as(CanonicalSchema.PROVIDER),
        // The card's id of a priced row's model; the log's name of a model the card may not know.
        when(priced, col(PricingColumns.CARD_MODEL)).when(unresolved, col(CanonicalSchema.MODEL)).as(MODEL),
        whenPriced(priced, RateCardTables.PRICE_ID).as(RateCardTables.PRICE_ID),
        whenPriced(priced, PricingColumns.LONG_PROMPT).as(PricingColumns.LONG_PROMPT)));
    for (PricingOption option : PricingOption.values()) {
      keys.add(when(unresolved, col(option.column())).as(option.column()));
    }
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

  /**
   * The groups with every {@link RowStatus#UNRESOLVED_PRICE} replaced by its quarantine reason and detail: once per
   * distinct record without a price, after the pass.
   */
  public static Dataset<Row> explained(Dataset<Row> usage, RateCardTables card) {
    Dataset<Row> explained = UnresolvedPrices.explain(usage, card);
    return explained
        .withColumn(Validation.DETAIL, coalesce(col(Validation.DETAIL), Validation.priceNotFoundDetail()))
        .drop(PricingColumns.CARD_MODEL);
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
    List<String> notPriced = new ArrayList<>(List.of(RowStatus.COLUMN, CanonicalSchema.SOURCE_FILE, Validation.DETAIL,
        CanonicalSchema.RAW_RECORD, ROWS));
    for (PricingOption option : PricingOption.values()) {
      notPriced.add(option.column());
    }
    return usage.filter(col(RowStatus.COLUMN).equalTo(lit(RowStatus.PRICED))).drop(notPriced.toArray(String[]::new));
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
