package dev.tokenreprice.validate;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * How many rows the run read and where each went. {@link #rowsRead()} counts the rows of the run's
 * period; rows of other days are counted apart, so rows read always equal rows priced plus rows quarantined.
 */
public record RowCounts(long rowsRead, long rowsPriced, long rowsOutsidePeriod, Map<QuarantineReason, Long> quarantined) {
  public RowCounts {
    quarantined = Map.copyOf(quarantined);
    if (rowsRead != rowsPriced + totalQuarantined(quarantined)) {
      throw new IllegalStateException("rows read (" + rowsRead + ") must equal rows priced (" + rowsPriced
          + ") plus rows quarantined (" + totalQuarantined(quarantined) + ")");
    }
  }

  /**
   * Checks the rollup against the rows validation let through: a priced row that found no unit price
   * would be missing from the rollup, and money would be lost without a word.
   */
  public void requireRolledUp(long requestsInRollup) {
    if (requestsInRollup != rowsPriced) {
      throw new IllegalStateException("Cannot publish: the rollup holds " + requestsInRollup + " requests but "
          + rowsPriced + " rows were priced (a price of the rate card was not found for some rows)");
    }
  }

  public long rowsQuarantined() {
    return totalQuarantined(quarantined);
  }

  /**
   * Counts from a Dataset with {@link RowStatus#COLUMN} and a row count per group in {@code countColumn};
   * the Dataset is already aggregated, so only one row per status reaches the driver.
   */
  public static RowCounts of(Dataset<Row> grouped, String countColumn) {
    List<Row> byStatus = grouped.groupBy(col(RowStatus.COLUMN)).agg(sum(col(countColumn))).collectAsList();
    long priced = 0;
    long outside = 0;
    Map<QuarantineReason, Long> quarantined = new EnumMap<>(QuarantineReason.class);
    for (Row row : byStatus) {
      String status = row.getString(0);
      long count = row.getLong(1);
      switch (status) {
        case RowStatus.PRICED -> priced = count;
        case RowStatus.OUTSIDE_PERIOD -> outside = count;
        default -> quarantined.put(QuarantineReason.valueOf(status), count);
      }
    }
    return new RowCounts(priced + totalQuarantined(quarantined), priced, outside, quarantined);
  }

  private static long totalQuarantined(Map<QuarantineReason, Long> quarantined) {
    return quarantined.values().stream().mapToLong(Long::longValue).sum();
  }
}
