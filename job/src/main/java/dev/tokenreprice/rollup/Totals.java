package dev.tokenreprice.rollup;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_position;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.grouping_id;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.tokenreprice.input.CanonicalSchema;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Subtotals of the rollup by day, by feature, by model (with its provider) and one grand total, in one
 * pass with grouping sets; {@code level} says which each row is.
 */
public final class Totals {
  public static final String LEVEL = "level";
  public static final String LEVEL_DAY = "day";
  public static final String LEVEL_FEATURE = "feature";
  public static final String LEVEL_MODEL = "model";
  public static final String LEVEL_TOTAL = "total";
  /** The columns of {@code totals.csv}, in order. */
  public static final List<String> COLUMNS = Rollup.concat(List.of(LEVEL), Rollup.COLUMNS);

  // grouping_id over (day, feature, provider, model): a set bit is a column rolled up, the first column highest.
  private static final int BY_DAY = 0b0111;
  private static final int BY_FEATURE = 0b1011;
  private static final int BY_MODEL = 0b1100;

  private Totals() {}

  public static Dataset<Row> of(Dataset<Row> rollup, int costScale) {
    Column day = col(CanonicalSchema.DAY);
    Column feature = col(CanonicalSchema.FEATURE);
    Column provider = col(CanonicalSchema.PROVIDER);
    Column model = col(UsageAggregation.MODEL);
    List<List<Column>> sets = List.of(List.of(day), List.of(feature), List.of(provider, model), List.of());
    List<scala.collection.immutable.Seq<Column>> scalaSets = new ArrayList<>();
    for (List<Column> set : sets) {
      scalaSets.add(CollectionConverters.asScala(set).toList());
    }
    Column groupingId = grouping_id(day, feature, provider, model);
    Column level = when(groupingId.equalTo(BY_DAY), lit(LEVEL_DAY))
        .when(groupingId.equalTo(BY_FEATURE), lit(LEVEL_FEATURE))
        .when(groupingId.equalTo(BY_MODEL), lit(LEVEL_MODEL))
        .otherwise(lit(LEVEL_TOTAL));
    List<Column> aggregates = new ArrayList<>();
    aggregates.add(level.as(LEVEL));
    aggregates.add(coalesce(sum(col(UsageAggregation.REQUESTS)), lit(0L)).as(UsageAggregation.REQUESTS));
    aggregates.addAll(List.of(Rollup.measureSums(costScale)));
    return rollup
        .groupingSets(CollectionConverters.asScala(scalaSets).toList(), day, feature, provider, model)
        .agg(aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(Column[]::new))
        .select(COLUMNS.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new));
  }

  /**
   * The totals on the driver in the order of {@code totals.csv}: subtotals by day, feature and model, then
   * the grand total. They are a few hundred rows; one collect serves the CSV file, the manifest's total and
   * the summary, instead of a Spark job for each.
   */
  public static List<Row> collectInOrder(Dataset<Row> totals) {
    Column levelOrder = array_position(array(lit(LEVEL_DAY), lit(LEVEL_FEATURE), lit(LEVEL_MODEL), lit(LEVEL_TOTAL)),
        col(LEVEL));
    // One partition: a global sort would first run a job to sample the range of a few hundred rows.
    return totals.repartition(1).sortWithinPartitions(levelOrder, col(CanonicalSchema.DAY), col(CanonicalSchema.FEATURE),
        col(CanonicalSchema.PROVIDER), col(UsageAggregation.MODEL)).collectAsList();
  }
}
