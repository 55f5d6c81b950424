package dev.tokenreprice.input;

import static org.apache.spark.sql.functions.col;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * How much a run reads, which decides how its work after the pass over the logs is laid out. A small run (an
 * analyst's month on a laptop, the sample) is mostly the fixed cost of its Spark stages: its usage groups are kept
 * in one partition, which Spark then knows: the pass over its logs (ranking request ids, grouping) and every output
 * is one stage with no shuffle. A large run reads on every core, keeps its groups spread over the cluster's cores and
 * shuffles them where an output needs it.
 */
public enum RunSize {
  SMALL, LARGE;

  /**
   * Inputs up to this size (bytes as stored) are small: the 10M-row benchmark inputs are several hundred MiB, a
   * month of a team's logs tens (docs/benchmarks.md).
   */
  public static final long MAX_SMALL_BYTES = 64L << 20;

  public static RunSize of(List<InputFile> files) {
    return files.stream().mapToLong(InputFile::sizeBytes).sum() <= MAX_SMALL_BYTES ? SMALL : LARGE;
  }

  /** The rows in one partition, for a file written or streamed in one piece; a large run shuffles them there. */
  public Dataset<Row> onePartition(Dataset<Row> rows) {
    return this == SMALL ? rows.coalesce(1) : rows.repartition(1);
  }

  /** The rows with each day's in one partition, for one file per day; a small run has them all in one. */
  public Dataset<Row> byDay(Dataset<Row> rows, String dayColumn) {
    return this == SMALL ? rows.coalesce(1) : rows.repartition(col(dayColumn));
  }

  /** The logs as the pass reads them: a small run's in one partition, so that the pass needs no shuffle. */
  public Dataset<Row> forThePass(Dataset<Row> logs) {
    return this == SMALL ? logs.coalesce(1) : logs;
  }

  /** How many partitions the run's usage groups are kept in. */
  public int groupPartitions(int defaultParallelism) {
    return this == SMALL ? 1 : defaultParallelism;
  }
}
