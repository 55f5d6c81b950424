package dev.tokenreprice.validate;

import java.time.LocalDate;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
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
  public DaysSeen {
    byFile = Collections.unmodifiableMap(new TreeMap<>(byFile));
    inPeriod = Collections.unmodifiableSortedSet(new TreeSet<>(inPeriod));
  }

  /** From {@link UsageFacts}' rows of (source file, status, rows, requests, day). */
  static DaysSeen fromRows(List<Row> rows) {
    Map<String, SortedSet<LocalDate>> byFile = new TreeMap<>();
    SortedSet<LocalDate> inPeriod = new TreeSet<>();
    for (Row row : rows) {
      if (!row.isNullAt(4)) {
        add(byFile, inPeriod, row.getString(0), row.get(4), !RowStatus.OUTSIDE_PERIOD.equals(row.getString(1)));
      }
    }
    return new DaysSeen(byFile, inPeriod);
  }

  private static void add(Map<String, SortedSet<LocalDate>> byFile, SortedSet<LocalDate> inPeriod, String file,
      Object value, boolean dayInPeriod) {
    LocalDate day = value instanceof LocalDate date ? date : ((java.sql.Date) value).toLocalDate();
    byFile.computeIfAbsent(file, f -> new TreeSet<>()).add(day);
    if (dayInPeriod) {
      inPeriod.add(day);
    }
  }
}
