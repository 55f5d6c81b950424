package dev.tokenreprice.input;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.last;
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
 *
 * <p>With {@code split-at-turns}, the records it selects (Claude Code's lines without a requestId) merge only
 * within one turn of their file: the turn is the last turn mark (a user prompt's promptId) before the record in
 * file order, and it is added to the record's request_id, so two turns that repeat one message id are two
 * requests. Those records and the turn marks share their file's partition; the turn costs one sort, no shuffle.
 */
final class RepeatedLines {
  /** The key column a normalized Dataset carries into this step: null when the record has no full key. */
  static final String KEY = "__reprice_repeat_key";

  /** Whether a record merges only within its file's turn (a boolean, never null). */
  static final String IN_TURNS = "__reprice_in_turns";
  /** A value on a record that starts a turn (a user prompt's id), null on every other record. */
  static final String TURN_MARK = "__reprice_turn_mark";

  private static final String TURN = "__reprice_turn";
  private static final String MERGEABLE = "__reprice_mergeable";
  private static final String PARTITION = "__reprice_request_partition";

  private RepeatedLines() {}

  static Dataset<Row> merge(Dataset<Row> normalized, boolean inTurns) {
    Column mergeable = col(KEY).isNotNull()
        .and(col(CanonicalSchema.MALFORMED_DETAIL).isNull())
        .and(col(CanonicalSchema.SKIPPED_AS).isNull());
    // Records that take no part get a partition of their own text, so they neither merge nor pile up in one.
    Column partition = when(mergeable, concat(lit("k"), col(KEY)))
        .otherwise(concat(lit("r"), col(CanonicalSchema.SOURCE_FILE), col(CanonicalSchema.RAW_RECORD)));
    Dataset<Row> keyed = normalized.withColumn(MERGEABLE, mergeable);
    WindowSpec request;
    if (inTurns) {
      Column inFile = col(IN_TURNS).and(mergeable).or(col(TURN_MARK).isNotNull());
      keyed = keyed.withColumn(PARTITION, when(inFile, concat(lit("f"), col(CanonicalSchema.SOURCE_FILE)))
          .otherwise(partition));
      WindowSpec fileOrder = Window.partitionBy(col(PARTITION))
          .orderBy(col(CanonicalSchema.RECORD_POSITION), col(CanonicalSchema.RAW_RECORD))
          .rowsBetween(Window.unboundedPreceding(), Window.currentRow());
      Column turn = when(col(IN_TURNS).and(mergeable), last(col(TURN_MARK), true).over(fileOrder));
      keyed = keyed.withColumn(TURN, turn)
          .withColumn(CanonicalSchema.REQUEST_ID, when(col(TURN).isNotNull(),
              concat_ws(" ", col(CanonicalSchema.REQUEST_ID), lit("in turn"), col(TURN)))
              .otherwise(col(CanonicalSchema.REQUEST_ID)));
      // The same hash partitioning on PARTITION serves this finer window: no second shuffle.
      request = Window.partitionBy(col(PARTITION), col(TURN), col(KEY));
    } else {
      keyed = keyed.withColumn(PARTITION, partition);
      request = Window.partitionBy(col(PARTITION));
    }
    WindowSpec firstSeen = request.orderBy(col(CanonicalSchema.EVENT_TIME).asc_nulls_last(),
        col(CanonicalSchema.SOURCE_FILE), col(CanonicalSchema.RECORD_POSITION), col(CanonicalSchema.RAW_RECORD));
    Dataset<Row> merged = keyed;
    for (String tokens : CanonicalSchema.COUNT_COLUMNS) {
      merged = merged.withColumn(tokens, when(col(MERGEABLE), max(col(tokens)).over(request)).otherwise(col(tokens)));
    }
    merged = merged.withColumn(CanonicalSchema.SKIPPED_AS,
        when(col(MERGEABLE).and(row_number().over(firstSeen).gt(1)), lit(SkipReason.REPEATED_LINE.name()))
            .otherwise(col(CanonicalSchema.SKIPPED_AS)));
    return merged.drop(KEY, MERGEABLE, PARTITION, TURN, IN_TURNS, TURN_MARK);
  }
}
