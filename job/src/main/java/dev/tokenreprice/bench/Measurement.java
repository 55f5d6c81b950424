package dev.tokenreprice.bench;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Arrays;

/**
 * The wall-clock nanoseconds of each run of one contender on one data set, with the Spark jobs and the task
 * CPU nanoseconds of each (zero for a contender that is not Spark).
 */
record Measurement(long rows, String format, String contender, long[] nanos, long[] sparkJobs, long[] taskCpuNanos) {
  long medianNanos() {
    return median(nanos);
  }

  long medianSparkJobs() {
    return median(sparkJobs);
  }

  BigDecimal medianTaskCpuSeconds() {
    return seconds(median(taskCpuNanos));
  }

  private static long median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    int middle = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  }

  /** Median seconds with two decimals, for the table. */
  BigDecimal medianSeconds() {
    return seconds(medianNanos());
  }

  long rowsPerSecond() {
    return BigDecimal.valueOf(rows).multiply(BigDecimal.valueOf(1_000_000_000L))
        .divide(BigDecimal.valueOf(Math.max(1, medianNanos())), 0, RoundingMode.HALF_UP).longValueExact();
  }

  /** This contender's median over another's, with two decimals. */
  BigDecimal ratioTo(Measurement baseline) {
    return BigDecimal.valueOf(medianNanos()).divide(BigDecimal.valueOf(Math.max(1, baseline.medianNanos())), 2,
        RoundingMode.HALF_UP);
  }

  static BigDecimal seconds(long nanos) {
    return BigDecimal.valueOf(nanos, 9).setScale(2, RoundingMode.HALF_UP);
  }
}
