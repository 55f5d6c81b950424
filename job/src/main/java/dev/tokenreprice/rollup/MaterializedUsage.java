package dev.tokenreprice.rollup;

import dev.tokenreprice.input.RunSize;
import dev.tokenreprice.ratecard.RateCardTables;
import dev.tokenreprice.validate.UsageFacts;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * The usage groups of the one pass over the logs, computed once and kept, with the facts the driver needs of them.
 * The first Spark job over the kept groups is the pass itself (reading, normalizing, validation, the rate lookup
 * and grouping) and brings back the {@link UsageFacts}; every later output is derived from the kept groups, so no
 * later job reads the logs again, and every later plan is a scan of the cache once Spark has matched it. The groups
 * are cached, not checkpointed: a cluster that loses an executor recomputes the lost part from its lineage instead
 * of failing the run. A small run keeps them in one partition, which Spark knows: its outputs need no shuffle.
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
    Dataset<Row> cached = usage.coalesce(size.groupPartitions(spark.sparkContext().defaultParallelism()))
        .persist(StorageLevel.MEMORY_AND_DISK());
    // Why the card had no price for a record is worked out once per distinct record, over the kept groups.
    Dataset<Row> groups = UsageAggregation.explained(cached, card);
    UsageFacts facts = UsageFacts.of(groups, UsageAggregation.ROWS, UsageAggregation.REQUESTS);
    return new MaterializedUsage(cached, groups, facts, extraSums);
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
    cached.unpersist();
  }
}
