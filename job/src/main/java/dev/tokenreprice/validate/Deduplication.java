package dev.tokenreprice.validate;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import dev.tokenreprice.input.CanonicalSchema;
import dev.tokenreprice.input.RunSize;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;

/**
 * Counts each request once when at-least-once log shipping delivered it twice. The records of one
 * {@code request_id} that would be priced, or lie outside the period, take part; the first of them by
 * timestamp, then file path, then place in the file is the request, and every later one the period would
 * price becomes {@link QuarantineReason#DUPLICATE_REQUEST_ID}. Records without a request id, and records
 * quarantined for another reason, keep their status: a priced request is never lost to a bad copy of it,
 * and never counted twice.
 *
 * <p>Ranking needs the records of an id side by side, which means shuffling them whole. Most ids are read
 * once, so a first, narrow pass finds the ids read more than once (by a 64-bit hash of the id alone, a few
 * bytes a record), and only the records of those ids are ranked; the rest keep their status without
 * crossing a shuffle. With no repeated id, nothing is ranked at all. This stage therefore runs a Spark job
 * of its own and reads the input more than once (the ids alone, then twice when some repeat), an exception
 * to one pass made on purpose: ranking every record in the one pass made a run of ten million Parquet rows
 * 4.6 times as long, the narrow pass about 1.45 times (docs/benchmarks.md, "What deduplication costs", has the
 * current figures; the 4.6 is in the git history of README.md). A small input is ranked whole in the one pass
 * ({@link Plan#RANK_IN_PASS}): the job and the broadcast the narrow pass costs are most of such a run's time.
 */
public final class Deduplication {
  /** Where the first record of a duplicate's request was read, for the quarantine's detail; null otherwise. */
  public static final String FIRST_READ = "first_read";

  /**
   * Above this many repeated ids, ranking every record in one shuffle is cheaper than broadcasting the ids
   * and reading the logs twice; below it the broadcast hash set stays within tens of MiB.
   */
  static final long MAX_BROADCAST_IDS = 2_000_000L;

  private static final String ID_HASH = "__reprice_request_id_hash";
  private static final String RECORDS = "__reprice_records_of_id";
  private static final String FIRST = "__reprice_first_of_request";
  private static final String RANK = "__reprice_rank_in_request";
  private static final String WINDOW = "__reprice_window_of_request";
  private static final String DUPLICATE = "__reprice_duplicate";

  /** How a run finds the later records of a request id. */
  public enum Plan {
    /** Every record counts ({@code --no-dedupe}). */
    NONE,
    /** Every record is ranked in the one pass, for a small input. */
    RANK_IN_PASS,
    /** A narrow pass finds the repeated ids first, and only their records are ranked. */
    FIND_REPEATED_IDS_FIRST;

    /** The plan for a run of {@code size}. */
    public static Plan forInput(boolean dedupe, RunSize size) {
      return !dedupe ? NONE : size == RunSize.SMALL ? RANK_IN_PASS : FIND_REPEATED_IDS_FIRST;
    }
  }

  private Deduplication() {}

  /** Marks the later records of each request id as {@code plan} says; takes and gives {@link Validation}'s columns. */
  static Dataset<Row> apply(Plan plan, Dataset<Row> normalized, Dataset<Row> classified) {
    return switch (plan) {
      case NONE -> keepAll(classified);
      case RANK_IN_PASS -> rank(classified);
      case FIND_REPEATED_IDS_FIRST -> markDuplicates(normalized, classified);
    };
  }

  /**
   * Re-classifies the later records of each request id; takes and gives {@link Validation#classify}'s columns.
   * {@code normalized} is what {@code classified} was classified from: the repeated ids are found from it,
   * before the rate card is joined. Runs one Spark job, to learn how many ids repeat.
   */
  static Dataset<Row> markDuplicates(Dataset<Row> normalized, Dataset<Row> classified) {
    return markDuplicates(normalized, classified, MAX_BROADCAST_IDS);
  }

  /** The same, ranking every record in one shuffle above {@code maxBroadcastIds} repeated ids. */
  static Dataset<Row> markDuplicates(Dataset<Row> normalized, Dataset<Row> classified, long maxBroadcastIds) {
    // Persisted, not checkpointed locally: a cluster that loses an executor recomputes the ids from their
    // lineage instead of failing the run. When they are used, their few MiB stay cached for the session.
    Dataset<Row> repeated = repeatedIdHashes(normalized).persist(StorageLevel.MEMORY_AND_DISK());
    long repeatedIds = repeated.count();
    if (repeatedIds == 0 || repeatedIds > maxBroadcastIds) {
      repeated.unpersist();
      return repeatedIds == 0 ? keepAll(classified) : rank(classified);
    }
    Column repeats = idHash(classified).equalTo(repeated.col(ID_HASH));
    Dataset<Row> once = classified.join(broadcast(repeated), repeats, "left_anti");
    Dataset<Row> again = classified.join(broadcast(repeated), repeats, "left_semi");
    return keepAll(once).unionByName(rank(again));
  }

  /**
   * The hashes of the request ids read more than once, whatever their status: a superset of the ids that
   * take part (a hash may collide, a copy may be bad), which is all the split into ranked and unranked needs.
   * Public for the benchmark, which times it alone on the logs' own {@code request_id} column.
   */
  public static Dataset<Row> repeatedIdHashes(Dataset<Row> normalized) {
    // No filter on the id: Spark would push it below the parsing of a JSON line and parse every line once
    // for the filter and again for the hash. Records without an id share one group and count zero. A malformed
    // or skipped record never takes part: counting Claude Code's repeated lines of one message, which the merge
    // already folded into one request, made nearly every request "repeated" and ranked them all.
    Column mayTakePart = col(CanonicalSchema.MALFORMED_DETAIL).isNull().and(col(CanonicalSchema.SKIPPED_AS).isNull());
    return normalized
        .groupBy(idHash(normalized).as(ID_HASH))
        .agg(count(when(mayTakePart, col(CanonicalSchema.REQUEST_ID))).as(RECORDS))
        .filter(col(RECORDS).gt(1))
        .select(col(ID_HASH));
  }

  /**
   * Null without an id, so that such records never meet a hash (xxhash64 of null is a number). The usage part
   * is hashed with the id: an advisor's usage shares its request's id and is no copy of it.
   */
  private static Column idHash(Dataset<Row> rows) {
    Column id = rows.col(CanonicalSchema.REQUEST_ID);
    return when(id.isNotNull(), xxhash64(id, rows.col(CanonicalSchema.USAGE_PART)));
  }

  /** Ranks the records of each request id in one shuffle, and marks the later ones the period would price. */
  static Dataset<Row> rank(Dataset<Row> classified) {
    Column status = col(RowStatus.COLUMN);
    Column takesPart = col(CanonicalSchema.REQUEST_ID).isNotNull()
        .and(status.isin(RowStatus.PRICED, RowStatus.OUTSIDE_PERIOD));
    // Records that take no part get a window of their own text, so they neither pile up in one nor rank.
    Column partition = when(takesPart, concat(lit("i"), col(CanonicalSchema.USAGE_PART).cast(DataTypes.StringType),
            lit("."), col(CanonicalSchema.REQUEST_ID)))
        .otherwise(concat(lit("r"), col(CanonicalSchema.SOURCE_FILE), col(CanonicalSchema.RAW_RECORD)));
    // Equal times: the earlier file by path, then the earlier record in the file (the text only orders
    // records of one position, which are the spans of one OTLP line). One column to partition by and both window
    // functions added at once: one shuffle and one sort, where two would each get their own.
    WindowSpec firstSeen = Window.partitionBy(col(WINDOW)).orderBy(col(CanonicalSchema.EVENT_TIME),
        col(CanonicalSchema.SOURCE_FILE), col(CanonicalSchema.RECORD_POSITION), col(CanonicalSchema.RAW_RECORD));
    Map<String, Column> windowed = new LinkedHashMap<>();
    windowed.put(RANK, row_number().over(firstSeen));
    windowed.put(FIRST, first(struct(col(CanonicalSchema.SOURCE_FILE), col(CanonicalSchema.EVENT_TIME))).over(firstSeen));
    Dataset<Row> ranked = classified.withColumn(WINDOW, partition).withColumns(windowed).drop(WINDOW);
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
