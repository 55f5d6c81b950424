package dev.tokenreprice.validate;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import dev.tokenreprice.input.CanonicalSchema;
import dev.tokenreprice.ratecard.RateCardTables;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * Where the rows went, which days they cover and which of the card's prices the priced ones were priced at, from
 * one Spark job over the usage groups: one row per file, status and day, and one per price, reach the driver, and
 * the facts are added up from those rows (a job each cost a second apiece of a small run). Two plain groupings side
 * by side keep the groups' partitioning: a small run's one partition needs no shuffle (grouping sets would, and a
 * set of prices per row is an aggregate Spark sorts for).
 *
 * @param priceIds the {@link RateCardTables#PRICE_ID}s of the priced groups, which the counterfactual prices again
 */
public record UsageFacts(RowCounts counts, DaysSeen days, Set<Integer> priceIds) {
  private static final String ROWS = "__reprice_rows";
  private static final String REQUESTS = "__reprice_requests";

  public UsageFacts {
    priceIds = Set.copyOf(priceIds);
  }

  public static UsageFacts of(Dataset<Row> usage, String countColumn, String requestColumn) {
    Dataset<Row> byFile = usage.groupBy(col(CanonicalSchema.SOURCE_FILE), col(RowStatus.COLUMN), col(CanonicalSchema.DAY))
        .agg(sum(col(countColumn)).as(ROWS), sum(col(requestColumn)).as(REQUESTS))
        .withColumn(RateCardTables.PRICE_ID, lit(null).cast(DataTypes.IntegerType));
    Dataset<Row> prices = usage.filter(col(RateCardTables.PRICE_ID).isNotNull())
        .groupBy(col(RateCardTables.PRICE_ID))
        .agg(lit(null).cast(DataTypes.StringType).as(CanonicalSchema.SOURCE_FILE),
            lit(null).cast(DataTypes.StringType).as(RowStatus.COLUMN),
            lit(null).cast(DataTypes.DateType).as(CanonicalSchema.DAY), lit(0L).as(ROWS), lit(0L).as(REQUESTS));
    List<Row> rows = byFile.unionByName(prices)
        .select(col(CanonicalSchema.SOURCE_FILE), col(RowStatus.COLUMN), col(ROWS), col(REQUESTS),
            col(CanonicalSchema.DAY), col(RateCardTables.PRICE_ID))
        .collectAsList();
    List<Row> byFileRows = new ArrayList<>();
    Set<Integer> priceIds = new TreeSet<>();
    for (Row row : rows) {
      if (row.isNullAt(5)) {
        byFileRows.add(row);
      } else {
        priceIds.add(row.getInt(5));
      }
    }
    return new UsageFacts(RowCounts.fromRows(byFileRows), DaysSeen.fromRows(byFileRows), priceIds);
  }
}
