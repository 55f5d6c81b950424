package dev.tokenreprice.validate;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;

import dev.tokenreprice.input.CanonicalSchema;
import dev.tokenreprice.input.SkipReason;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * How many rows the run read and where each went. {@link #rowsRead()} counts the requests of the run's
 * period; requests of other days and records that are no requests at all (see {@link SkipReason}) are
 * counted apart, so rows read always equal rows priced plus rows quarantined.
 *
 * @param byFile the same counts for each input file, keyed by path
 * @param requestsPriced the requests among the priced rows: fewer than the rows where a response's advisor
 *     usage is a row of its own (see {@link CanonicalSchema#USAGE_PART})
 */
public record RowCounts(long rowsRead, long rowsPriced, long rowsOutsidePeriod, Map<QuarantineReason, Long> quarantined,
    Map<SkipReason, Long> skipped, Map<String, FileCounts> byFile, long requestsPriced) {

  /** Counts where every priced row is a request of its own. */
  public RowCounts(long rowsRead, long rowsPriced, long rowsOutsidePeriod, Map<QuarantineReason, Long> quarantined,
      Map<SkipReason, Long> skipped, Map<String, FileCounts> byFile) {
    this(rowsRead, rowsPriced, rowsOutsidePeriod, quarantined, skipped, byFile, rowsPriced);
  }

  /**
   * One file's share: every record it yielded (for OTLP, every span) is priced, quarantined, skipped or
   * outside the period.
   */
  public record FileCounts(long records, long priced, long quarantined, long skipped, long outsidePeriod) {
    FileCounts plus(String status, long count) {
      return switch (status) {
        case RowStatus.PRICED -> new FileCounts(records + count, priced + count, quarantined, skipped, outsidePeriod);
        case RowStatus.OUTSIDE_PERIOD -> new FileCounts(records + count, priced, quarantined, skipped, outsidePeriod + count);
        default -> isSkip(status)
            ? new FileCounts(records + count, priced, quarantined, skipped + count, outsidePeriod)
            : new FileCounts(records + count, priced, quarantined + count, skipped, outsidePeriod);
      };
    }
  }

  public RowCounts {
    quarantined = Map.copyOf(quarantined);
    skipped = Map.copyOf(skipped);
    byFile = Collections.unmodifiableMap(new TreeMap<>(byFile));
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
    if (requestsInRollup != requestsPriced) {
      throw new IllegalStateException("Cannot publish: the rollup holds " + requestsInRollup + " requests but "
          + requestsPriced + " were priced (a price of the rate card was not found for some rows)");
    }
  }

  public long rowsQuarantined() {
    return totalQuarantined(quarantined);
  }

  public long recordsSkipped() {
    return skipped.values().stream().mapToLong(Long::longValue).sum();
  }

  /**
   * Counts from a Dataset with {@link CanonicalSchema#SOURCE_FILE}, {@link RowStatus#COLUMN} and a row count
   * per group in {@code countColumn}; the Dataset is already aggregated, so only one row per file and
   * status reaches the driver.
   */
  public static RowCounts of(Dataset<Row> grouped, String countColumn) {
    return of(grouped, countColumn, countColumn);
  }

  /** The same, with the requests among the rows of each group in {@code requestColumn}. */
  public static RowCounts of(Dataset<Row> grouped, String countColumn, String requestColumn) {
    return fromRows(grouped.groupBy(col(CanonicalSchema.SOURCE_FILE), col(RowStatus.COLUMN))
        .agg(sum(col(countColumn)), sum(col(requestColumn))).collectAsList());
  }

  /**
   * From rows of (source file, status, rows, requests, anything else): a file and status may come on several
   * rows (one per day, as {@link UsageFacts} collects them), which are added up.
   */
  static RowCounts fromRows(List<Row> byStatus) {
    long priced = 0;
    long requestsPriced = 0;
    long outside = 0;
    Map<QuarantineReason, Long> quarantined = new EnumMap<>(QuarantineReason.class);
    Map<SkipReason, Long> skipped = new EnumMap<>(SkipReason.class);
    Map<String, FileCounts> byFile = new TreeMap<>();
    for (Row row : byStatus) {
      String file = row.getString(0);
      String status = row.getString(1);
      long count = row.getLong(2);
      byFile.merge(file, new FileCounts(0, 0, 0, 0, 0).plus(status, count),
          (a, b) -> new FileCounts(a.records() + b.records(), a.priced() + b.priced(), a.quarantined() + b.quarantined(),
              a.skipped() + b.skipped(), a.outsidePeriod() + b.outsidePeriod()));
      switch (status) {
        case RowStatus.PRICED -> {
          priced += count;
          requestsPriced += row.getLong(3);
        }
        case RowStatus.OUTSIDE_PERIOD -> outside += count;
        default -> {
          if (isSkip(status)) {
            skipped.merge(SkipReason.valueOf(status), count, Long::sum);
          } else {
            quarantined.merge(QuarantineReason.valueOf(status), count, Long::sum);
          }
        }
      }
    }
    return new RowCounts(priced + totalQuarantined(quarantined), priced, outside, quarantined, skipped, byFile,
        requestsPriced);
  }

  private static boolean isSkip(String status) {
    return Arrays.stream(SkipReason.values()).anyMatch(reason -> reason.name().equals(status));
  }

  private static long totalQuarantined(Map<QuarantineReason, Long> quarantined) {
    return quarantined.values().stream().mapToLong(Long::longValue).sum();
  }
}
