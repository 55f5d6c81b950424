package dev.tokenreprice.validate;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

import dev.tokenreprice.input.CanonicalSchema;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;

/**
 * Counts each request once when at-least-once log shipping delivered it twice. The records of one
 * {@code request_id} that would be priced, or lie outside the period, take part; the first of them by
 * timestamp, then file path, then record text is the request, and every later one the period would price
 * becomes {@link QuarantineReason#DUPLICATE_REQUEST_ID}. Records without a request id, and records
 * quarantined for another reason, keep their status: a priced request is never lost to a bad copy of it,
 * and never counted twice.
 */
public final class Deduplication {
  /** Where the first record of a duplicate's request was read, for the quarantine's detail; null otherwise. */
  public static final String FIRST_READ = "first_read";

  private static final String FIRST = "__reprice_first_of_request";
  private static final String RANK = "__reprice_rank_in_request";
  private static final String DUPLICATE = "__reprice_duplicate";

  private Deduplication() {}

  /** Re-classifies the later records of each request id; takes and gives {@link Validation#classify}'s columns. */
  public static Dataset<Row> markDuplicates(Dataset<Row> classified) {
    Column status = col(RowStatus.COLUMN);
    Column takesPart = col(CanonicalSchema.REQUEST_ID).isNotNull()
        .and(status.isin(RowStatus.PRICED, RowStatus.OUTSIDE_PERIOD));
    // Records that take no part get a window of their own text, so they neither pile up in one nor rank.
    Column partition = when(takesPart, concat(lit("i"), col(CanonicalSchema.REQUEST_ID)))
        .otherwise(concat(lit("r"), col(CanonicalSchema.SOURCE_FILE), col(CanonicalSchema.RAW_RECORD)));
    // Text readers give no line number, so identical times in one file are ordered by the record's text.
    WindowSpec firstSeen = Window.partitionBy(partition).orderBy(col(CanonicalSchema.EVENT_TIME),
        col(CanonicalSchema.SOURCE_FILE), col(CanonicalSchema.RAW_RECORD));
    Dataset<Row> ranked = classified
        .withColumn(RANK, row_number().over(firstSeen))
        .withColumn(FIRST, first(struct(col(CanonicalSchema.SOURCE_FILE), col(CanonicalSchema.EVENT_TIME))).over(firstSeen));
    // Decided once, before the status it reads is replaced.
    Dataset<Row> marked = ranked.withColumn(DUPLICATE,
        takesPart.and(col(RANK).gt(1)).and(status.equalTo(lit(RowStatus.PRICED))));
    Column duplicate = col(DUPLICATE);
    return marked
        .withColumn(RowStatus.COLUMN, when(duplicate, lit(QuarantineReason.DUPLICATE_REQUEST_ID.name())).otherwise(status))
        .withColumn(FIRST_READ, when(duplicate, concat(lit("request_id "), col(CanonicalSchema.REQUEST_ID),
            lit(" was read first from "), col(FIRST + "." + CanonicalSchema.SOURCE_FILE), lit(" at "),
            col(FIRST + "." + CanonicalSchema.EVENT_TIME).cast(DataTypes.StringType), lit(" UTC"))))
        .drop(RANK, FIRST, DUPLICATE);
  }

  /** The classified rows unchanged, with the column {@link #markDuplicates} would add: for {@code --no-dedupe}. */
  public static Dataset<Row> keepAll(Dataset<Row> classified) {
    return classified.withColumn(FIRST_READ, lit(null).cast(DataTypes.StringType));
  }
}
