package dev.tokenreprice.input;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * The {@code merge-repeated-lines} step: requests that share a key (Claude Code's {@code message.id} and
 * {@code requestId}) are one request however many lines carry them, in one file or several. The first line
 * by time, then file and place in the file, stands for the request with the largest count of each token
 * kind seen on any of its lines (a streamed message's counts only grow); the other lines are
 * {@link SkipReason#REPEATED_LINE}.
 */
final class RepeatedLines {
  /** The key column a normalized Dataset carries into this step: null when the record has no full key. */
  static final String KEY = "__reprice_repeat_key";

  private static final String MERGEABLE = "__reprice_mergeable";
  private static final String PARTITION = "__reprice_request_partition";

  private RepeatedLines() {}

  static Dataset<Row> merge(Dataset<Row> normalized) {
    Column mergeable = col(KEY).isNotNull()
        .and(col(CanonicalSchema.MALFORMED_DETAIL).isNull())
        .and(col(CanonicalSchema.SKIPPED_AS).isNull());
    // Records that take no part get a partition of their own text, so they neither merge nor pile up in one.
    Column partition = when(mergeable, concat(lit("k"), col(KEY)))
        .otherwise(concat(lit("r"), col(CanonicalSchema.SOURCE_FILE), col(CanonicalSchema.RAW_RECORD)));
    Dataset<Row> keyed = normalized.withColumn(MERGEABLE, mergeable).withColumn(PARTITION, partition);
    WindowSpec request = Window.partitionBy(col(PARTITION));
    WindowSpec firstSeen = request.orderBy(col(CanonicalSchema.EVENT_TIME).asc_nulls_last(),
        col(CanonicalSchema.SOURCE_FILE), col(CanonicalSchema.RECORD_POSITION), col(CanonicalSchema.RAW_RECORD));
    Dataset<Row> merged = keyed;
    for (String tokens : CanonicalSchema.COUNT_COLUMNS) {
      merged = merged.withColumn(tokens, when(col(MERGEABLE), max(col(tokens)).over(request)).otherwise(col(tokens)));
    }
    merged = merged.withColumn(CanonicalSchema.SKIPPED_AS,
        when(col(MERGEABLE).and(row_number().over(firstSeen).gt(1)), lit(SkipReason.REPEATED_LINE.name()))
            .otherwise(col(CanonicalSchema.SKIPPED_AS)));
    return merged.drop(KEY, MERGEABLE, PARTITION);
  }
}
