package dev.tokenreprice.report;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count_distinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import dev.tokenreprice.input.CanonicalSchema;
import dev.tokenreprice.output.OutputPublisher;
import dev.tokenreprice.pricing.PricingColumns;
import dev.tokenreprice.rollup.UsageAggregation;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Optional;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** The period of the same length just before this run's, as the published {@code rollup/} holds it. */
public record PreviousPeriod(LocalDate from, LocalDate to, long daysWithRows, long requests, BigDecimal totalCost) {

  public long days() {
    return to.toEpochDay() - from.toEpochDay() + 1;
  }

  /** The period before the figures' own, when they have days, summed from {@code earlierRollup}; see {@link #of}. */
  public static Optional<PreviousPeriod> before(ReportFigures figures, Optional<Dataset<Row>> earlierRollup) {
    if (figures.firstDay().isEmpty() || figures.lastDay().isEmpty() || earlierRollup.isEmpty()) {
      return Optional.empty();
    }
    return of(earlierRollup.get(), figures.firstDay().get(), figures.lastDay().get());
  }

  /**
   * The period before the figures' own, summed from the rollup an earlier run published in the output directory,
   * read before this run publishes its own. Only the day folders of that period are read, and none when it has
   * none (the common case: no Spark job); empty when the rollup is missing or unreadable.
   */
  public static Optional<PreviousPeriod> publishedBefore(ReportFigures figures, SparkSession spark,
      Path publishedRollup) {
    if (figures.firstDay().isEmpty() || figures.lastDay().isEmpty()) {
      return Optional.empty();
    }
    LocalDate from = figures.firstDay().get();
    LocalDate to = figures.lastDay().get();
    long days = to.toEpochDay() - from.toEpochDay() + 1;
    String first = OutputPublisher.dayPartition(from.minusDays(days));
    String last = OutputPublisher.dayPartition(from.minusDays(1));
    try {
      FileSystem fs = publishedRollup.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(publishedRollup) || !fs.getFileStatus(publishedRollup).isDirectory()) {
        return Optional.empty();
      }
      // Day folders are named day=YYYY-MM-DD: their names compare as the days do.
      String[] dayFolders = Arrays.stream(fs.listStatus(publishedRollup))
          .filter(status -> status.isDirectory())
          .map(status -> status.getPath().getName())
          .filter(name -> name.compareTo(first) >= 0 && name.compareTo(last) <= 0)
          .map(name -> new Path(publishedRollup, name).toString())
          .toArray(String[]::new);
      if (dayFolders.length == 0) {
        return Optional.empty();
      }
      return of(spark.read().option("basePath", publishedRollup.toString()).parquet(dayFolders), from, to);
    } catch (IOException | RuntimeException e) {
      // An earlier output this job cannot read is no reason to fail a run: the page only omits the change.
      return Optional.empty();
    }
  }

  /**
   * The days before {@code from..to}, as many as it has, summed from an earlier rollup (the one published in the
   * output directory, or the rollup table as the run found it); empty when that rollup is unreadable or has no
   * rows of those days.
   */
  public static Optional<PreviousPeriod> of(Dataset<Row> earlierRollup, LocalDate from, LocalDate to) {
    long days = to.toEpochDay() - from.toEpochDay() + 1;
    LocalDate previousFrom = from.minusDays(days);
    LocalDate previousTo = from.minusDays(1);
    try {
      // The day is a partition directory (day=2026-10-31) or a date column; its text compares as the date does.
      Row sums = earlierRollup
          .filter(col(CanonicalSchema.DAY).cast("string").between(previousFrom.toString(), previousTo.toString()))
          .agg(count_distinct(col(CanonicalSchema.DAY)), coalesce(sum(col(UsageAggregation.REQUESTS)), lit(0L)),
              sum(col(PricingColumns.TOTAL_COST)))
          .first();
      if (sums.getLong(0) == 0) {
        return Optional.empty();
      }
      return Optional.of(new PreviousPeriod(previousFrom, previousTo, sums.getLong(0), sums.getLong(1), sums.getDecimal(2)));
    } catch (RuntimeException e) {
      // An earlier output this job cannot read is no reason to fail a run: the page only omits the change.
      return Optional.empty();
    }
  }
}
