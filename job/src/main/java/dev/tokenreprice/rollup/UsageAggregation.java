package dev.tokenreprice.rollup;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.tokenreprice.input.CanonicalSchema;
import dev.tokenreprice.pricing.PricingColumns;
import dev.tokenreprice.ratecard.RateCardTables;
import dev.tokenreprice.validate.RowStatus;
import dev.tokenreprice.validate.UnresolvedPrices;
import dev.tokenreprice.validate.Validation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The one pass over the logs: sums the token and use counts of every (source file, status, day, feature, provider,
 * model, price) group. Only priced rows keep their keys; a quarantined row keeps its day, raw record and the fields
 * its detail is written from, so the quarantine is written from these groups without reading the logs again; a row
 * the card had no price for keeps the same, for {@link UnresolvedPrices} to say why;
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
  /** The {@link Validation#DETAIL_FIELDS} of the rows of a quarantined group, or of one without a price. */
  private static final String RECORD_FIELDS = "record_fields";

  private UsageAggregation() {}

  public static Dataset<Row> byStatusAndPrice(Dataset<Row> classified) {
    return byStatusAndPrice(classified, Map.of(), Map.of(), Map.of());
  }

  /**
   * The same, also grouping by {@code extraKeys} and summing {@code extraSums}: per-request values that
   * later stages need and cannot derive from sums (the counterfactual's {@link dev.tokenreprice.counterfactual.RequestFacts}),
   * worked out from {@code rowValues}, which each row gets first.
   */
  public static Dataset<Row> byStatusAndPrice(Dataset<Row> classified, Map<String, Column> rowValues,
      Map<String, Column> extraKeys, Map<String, Column> extraSums) {
    Column status = col(RowStatus.COLUMN);
    Column priced = status.equalTo(lit(RowStatus.PRICED));
    Column keepsRecord = Validation.keepsItsRecord();
    List<Column> keys = new ArrayList<>(List.of(
        // Per file for the manifest's counts; files are few next to rows, and later stages sum over them.
        col(CanonicalSchema.SOURCE_FILE),
        status,
        // Rows outside the period keep their day too: the manifest records the days of every file, which
        // --since-last-run re-prices when the file changes.
        when(priced.or(keepsRecord).or(status.equalTo(lit(RowStatus.OUTSIDE_PERIOD))),
            col(CanonicalSchema.DAY)).as(CanonicalSchema.DAY),
        when(keepsRecord, col(CanonicalSchema.RAW_RECORD)).as(CanonicalSchema.RAW_RECORD),
        // What a quarantined row's detail is written from, once per group after the pass: writing it here, for every
        // row, made the pass's generated code too long for the JIT to compile (docs/benchmarks.md).
        when(keepsRecord, struct(Validation.DETAIL_FIELDS.stream().map(field -> col(field)).toArray(Column[]::new)))
            .as(RECORD_FIELDS),
        whenPriced(priced, CanonicalSchema.FEATURE).as(CanonicalSchema.FEATURE),
        whenPriced(priced, CanonicalSchema.PROVIDER).as(CanonicalSchema.PROVIDER),
        // The card's id of a priced row's model.
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
    return (rowValues.isEmpty() ? classified : classified.withColumns(rowValues))
        .groupBy(keys.toArray(Column[]::new))
        .agg(count(lit(1)).as(ROWS), allSums(sums));
  }

  /**
   * The groups with every {@link RowStatus#UNRESOLVED_PRICE} replaced by its quarantine reason, and each quarantined
   * group's {@link Validation#DETAIL} written from the fields its rows kept: once per distinct record, after the pass.
   */
  public static Dataset<Row> explained(Dataset<Row> usage, RateCardTables card) {
    Function<String, Column> kept = field -> col(RECORD_FIELDS + "." + field);
    Dataset<Row> explained = UnresolvedPrices.explain(usage, card, kept);
    // The card's model of a row without a price is the one its name found in the card, if any.
    Function<String, Column> field = name -> name.equals(PricingColumns.CARD_MODEL)
        ? coalesce(kept.apply(name), col(PricingColumns.CARD_MODEL)) : kept.apply(name);
    return explained
        .withColumn(Validation.DETAIL, when(Validation.isQuarantined(), Validation.detail(field)))
        .drop(PricingColumns.CARD_MODEL, RECORD_FIELDS);
  }

  private static Column[] allSums(List<Column> sums) {
    List<Column> all = new ArrayList<>();
    all.add(sum(when(col(CanonicalSchema.USAGE_PART).equalTo(CanonicalSchema.OWN_USAGE), 1L).otherwise(0L))
        .as(REQUESTS));
    all.addAll(sums);
    return all.toArray(Column[]::new);
  }

  /** The priced groups, ready for {@link dev.tokenreprice.pricing.Pricer#price}; see {@link #priced(Dataset, Set)}. */
  public static Dataset<Row> priced(Dataset<Row> usage) {
    return priced(usage, Set.of());
  }

  /**
   * The priced groups, ready for {@link dev.tokenreprice.pricing.Pricer#price}, added up over the files they came
   * from: what is priced the same on the same day is one group, however many files it came from (a Claude Code
   * tree's thousands of session files), so the rollup and each scenario price fewer groups.
   *
   * @param extraSums the columns {@link #byStatusAndPrice(Dataset, Map, Map)} summed beside the counts
   */
  public static Dataset<Row> priced(Dataset<Row> usage, Set<String> extraSums) {
    List<String> notPriced = new ArrayList<>(List.of(RowStatus.COLUMN, CanonicalSchema.SOURCE_FILE, Validation.DETAIL,
        CanonicalSchema.RAW_RECORD, RECORD_FIELDS, ROWS));
    Dataset<Row> priced = usage.filter(col(RowStatus.COLUMN).equalTo(lit(RowStatus.PRICED)))
        .drop(notPriced.toArray(String[]::new));
    List<String> measures = new ArrayList<>(List.of(REQUESTS));
    measures.addAll(CanonicalSchema.COUNT_COLUMNS);
    measures.addAll(extraSums);
    Column[] keys = Arrays.stream(priced.columns()).filter(column -> !measures.contains(column))
        .map(column -> col(column)).toArray(Column[]::new);
    Column[] sums = measures.stream().map(column -> sum(col(column)).as(column)).toArray(Column[]::new);
    return priced.groupBy(keys).agg(sums[0], Arrays.copyOfRange(sums, 1, sums.length))
        .select(priced.columns()[0], Arrays.copyOfRange(priced.columns(), 1, priced.columns().length));
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
