package dev.tokenreprice.validate;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.sum;

import dev.tokenreprice.input.CanonicalSchema;
import dev.tokenreprice.ratecard.RateCardTables;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Where the rows went, which days they cover and which of the card's prices the priced ones were priced at, from
 * one Spark job over the usage groups: one row per file, status and day, with the prices of its groups, reaches the
 * driver, and the facts are added up from those rows (a job each cost a second apiece of a small run). A plain
 * grouping keeps the groups' partitioning: a small run's one partition needs no shuffle.
 *
 * @param priceIds the {@link RateCardTables#PRICE_ID}s of the priced groups, which the counterfactual prices again
 */
public record UsageFacts(RowCounts counts, DaysSeen days, Set<Integer> priceIds) {
  public UsageFacts {
    priceIds = Set.copyOf(priceIds);
  }

  public static UsageFacts of(Dataset<Row> usage, String countColumn, String requestColumn) {
    List<Row> rows = usage.groupBy(col(CanonicalSchema.SOURCE_FILE), col(RowStatus.COLUMN), col(CanonicalSchema.DAY))
        .agg(sum(col(countColumn)), sum(col(requestColumn)), collect_set(col(RateCardTables.PRICE_ID)))
        .select(col(CanonicalSchema.SOURCE_FILE), col(RowStatus.COLUMN), col("sum(" + countColumn + ")"),
            col("sum(" + requestColumn + ")"), col(CanonicalSchema.DAY),
            col("collect_set(" + RateCardTables.PRICE_ID + ")"))
        .collectAsList();
    Set<Integer> priceIds = new TreeSet<>();
    for (Row row : rows) {
      priceIds.addAll(row.<Integer>getList(5));
    }
    return new UsageFacts(RowCounts.fromRows(rows), DaysSeen.fromRows(rows), priceIds);
  }
}
