package dev.tokenreprice.history;

import static org.apache.spark.sql.functions.col;

import dev.tokenreprice.cli.Period;
import dev.tokenreprice.input.CanonicalSchema;
import dev.tokenreprice.input.InputFile;
import dev.tokenreprice.input.LogReader;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code --since-last-run}: the period that covers every day whose input changed since the last published
 * run, within the period asked for. A day's rollup needs every file with rows on it, so the run still reads
 * all input files and prices the days this returns; only the changed files are read here first, to learn
 * the days of their new records.
 */
public final class SinceLastRun {
  private SinceLastRun() {}

  /**
   * From the earliest to the latest changed day (days between them are priced again too, and come out the
   * same), narrowed to {@code asked}; empty when nothing changed there.
   */
  public static Optional<Period> period(Period asked, PreviousRun previous, List<InputFile> files, SparkSession spark) {
    SortedSet<LocalDate> days = previous.recordedDaysOfChangedOrRemoved(files);
    List<InputFile> changed = previous.changed(files);
    if (!changed.isEmpty()) {
      List<Row> newDays = LogReader.read(spark, changed).select(col(CanonicalSchema.DAY))
          .filter(col(CanonicalSchema.DAY).isNotNull()).distinct().collectAsList();
      for (Row row : newDays) {
        Object value = row.get(0);
        days.add(value instanceof LocalDate date ? date : ((java.sql.Date) value).toLocalDate());
      }
    }
    return days.isEmpty() ? Optional.empty() : asked.narrowedTo(days.first(), days.last());
  }
}
