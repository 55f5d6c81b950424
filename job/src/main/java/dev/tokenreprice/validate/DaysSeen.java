package dev.tokenreprice.validate;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;

import dev.tokenreprice.input.CanonicalSchema;
import java.time.LocalDate;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The UTC days the records fell on: those of each input file (inside the period or not), and those of the
 * run's period that have priced or quarantined rows. The manifest keeps both, so a later run knows which
 * days a changed file touches and which days this run replaced.
 *
 * @param byFile each file's days, keyed as {@link RowCounts#byFile()} is
 * @param inPeriod the days of the period with at least one priced or quarantined row
 */
public record DaysSeen(Map<String, SortedSet<LocalDate>> byFile, SortedSet<LocalDate> inPeriod) {
  private static final String IN_PERIOD = "in_period";

  public DaysSeen {
    byFile = Collections.unmodifiableMap(new TreeMap<>(byFile));
    inPeriod = Collections.unmodifiableSortedSet(new TreeSet<>(inPeriod));
  }

  /** From the usage groups (already aggregated: one row per file and day reaches the driver). */
  public static DaysSeen of(Dataset<Row> usage) {
    List<Row> rows = usage.filter(col(CanonicalSchema.DAY).isNotNull())
        .groupBy(col(CanonicalSchema.SOURCE_FILE), col(CanonicalSchema.DAY))
        .agg(max(col(RowStatus.COLUMN).notEqual(lit(RowStatus.OUTSIDE_PERIOD))).as(IN_PERIOD))
        .collectAsList();
    Map<String, SortedSet<LocalDate>> byFile = new TreeMap<>();
    SortedSet<LocalDate> inPeriod = new TreeSet<>();
    for (Row row : rows) {
      Object value = row.get(1);
      LocalDate day = value instanceof LocalDate date ? date : ((java.sql.Date) value).toLocalDate();
      byFile.computeIfAbsent(row.getString(0), file -> new TreeSet<>()).add(day);
      if (row.getBoolean(2)) {
        inPeriod.add(day);
      }
    }
    return new DaysSeen(byFile, inPeriod);
  }
}
