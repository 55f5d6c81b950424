package dev.tokenreprice.validate;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;

import dev.tokenreprice.input.CanonicalSchema;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Where the rows went and which days they cover, from one Spark job over the usage groups: one row per file,
 * status and day reaches the driver, and both facts are added up from it (a job each cost a second apiece of
 * a small run).
 */
public record UsageFacts(RowCounts counts, DaysSeen days) {
  public static UsageFacts of(Dataset<Row> usage, String countColumn, String requestColumn) {
    List<Row> rows = usage.groupBy(col(CanonicalSchema.SOURCE_FILE), col(RowStatus.COLUMN), col(CanonicalSchema.DAY))
        .agg(sum(col(countColumn)), sum(col(requestColumn)))
        .select(col(CanonicalSchema.SOURCE_FILE), col(RowStatus.COLUMN), col("sum(" + countColumn + ")"),
            col("sum(" + requestColumn + ")"), col(CanonicalSchema.DAY))
        .collectAsList();
    return new UsageFacts(RowCounts.fromRows(rows), DaysSeen.fromRows(rows));
  }
}
