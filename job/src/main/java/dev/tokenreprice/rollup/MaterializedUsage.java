package dev.tokenreprice.rollup;

import dev.tokenreprice.input.RunSize;
import dev.tokenreprice.ratecard.RateCardTables;
import dev.tokenreprice.validate.UsageFacts;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.LogicalRDD;
import org.apache.spark.storage.StorageLevel;

/**
 * The usage groups of the one pass over the logs, computed once and kept, with the facts the driver needs of them.
 * The first Spark job over the kept groups is the pass itself (reading, normalizing, validation, the rate lookup
 * and grouping) and brings back the {@link UsageFacts}; every later output is derived from the kept groups, so no
 * later job reads the logs again. See {@link #keep} for how they are kept. A small run keeps them in one partition,
 * which Spark knows: its outputs need no shuffle.
 */
public final class MaterializedUsage implements AutoCloseable {
  private final Dataset<Row> cached;
  private final Dataset<Row> groups;
  private final UsageFacts facts;
  private final Set<String> extraSums;

  private MaterializedUsage(Dataset<Row> cached, Dataset<Row> groups, UsageFacts facts, Set<String> extraSums) {
    this.cached = cached;
    this.groups = groups;
    this.facts = facts;
    this.extraSums = Set.copyOf(extraSums);
  }

  /**
   * Runs the pass that {@code usage} plans ({@link UsageAggregation#byStatusAndPrice}; one Spark job, plus the
   * broadcast of the card's price lookup in a large run) and keeps its groups, each record without a price explained.
   *
   * @param extraSums the columns the pass summed beside the counts
   */
  public static MaterializedUsage of(Dataset<Row> usage, Set<String> extraSums, RateCardTables card, RunSize size,
      SparkSession spark) {
    Dataset<Row> cached = keep(usage.coalesce(size.groupPartitions(spark.sparkContext().defaultParallelism())), spark);
    // Why the card had no price for a record is worked out once per distinct record, over the kept groups.
    Dataset<Row> groups = UsageAggregation.explained(cached, card);
    UsageFacts facts = UsageFacts.of(groups, UsageAggregation.ROWS, UsageAggregation.REQUESTS);
    return new MaterializedUsage(cached, groups, facts, extraSums);
  }

  /**
   * {@code rows} kept once computed, lazily: the first Spark job that reads them computes and keeps them. In local mode
   * they are checkpointed locally: later plans start from the kept rows (a scan, not the lineage that made them), and
   * a local checkpoint is as reliable as the run, whose executors are its own process; it also spares building and
   * reading Spark's compressed columnar cache (0.7 s of the sample run, 1.3 s of 1M Parquet rows, docs/benchmarks.md).
   * On a cluster they are cached: an executor lost recomputes its part from the lineage instead of failing the run.
   */
  public static Dataset<Row> keep(Dataset<Row> rows, SparkSession spark) {
    return spark.sparkContext().isLocal() ? rows.localCheckpoint(false) : rows.persist(StorageLevel.MEMORY_AND_DISK());
  }

  /** Lets go of rows {@link #keep} kept. */
  public static void release(Dataset<Row> kept) {
    if (kept.queryExecution().analyzed() instanceof LogicalRDD checkpointed) {
      checkpointed.rdd().unpersist(false);
    } else {
      kept.unpersist();
    }
  }

  /** The usage groups, as {@link UsageAggregation#explained} gives them. */
  public Dataset<Row> groups() {
    return groups;
  }

  /**
   * The priced groups ({@link UsageAggregation#priced}), read from the cache as it is: a priced group needs no
   * explaining, and a plan without that join is one the planner sizes right.
   */
  public Dataset<Row> priced() {
    return UsageAggregation.priced(cached, extraSums);
  }

  public UsageFacts facts() {
    return facts;
  }

  @Override
  public void close() {
    release(cached);
  }
}
