package dev.tokenreprice.reconcile;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Reads the times bills write: ISO-8601 with an offset, or without one (bills state times in UTC), or a day. */
final class BillDays {
  private static final String UTC_SUFFIX = " UTC";

  private BillDays() {}

  /** The instant of a bill's time text; a time without an offset, or a bare day, is UTC. */
  static Optional<Instant> instant(String text) {
    String value = text.trim();
    if (value.endsWith(UTC_SUFFIX)) {
      value = value.substring(0, value.length() - UTC_SUFFIX.length()).trim();
    }
    // SQL-style exports write a space between the day and the time.
    value = value.replaceFirst("^(\\d{4}-\\d{2}-\\d{2}) (?=\\d)", "$1T");
    try {
      return Optional.of(OffsetDateTime.parse(value).toInstant());
    } catch (DateTimeParseException e) {
      // not with an offset; try the UTC forms
    }
    try {
      return Optional.of(LocalDateTime.parse(value).toInstant(ZoneOffset.UTC));
    } catch (DateTimeParseException e) {
      // not a date-time; try a day
    }
    return day(value).map(day -> day.atStartOfDay().toInstant(ZoneOffset.UTC));
  }

  /** A day written {@code YYYY-MM-DD}. */
  private static Optional<LocalDate> day(String text) {
    try {
      return Optional.of(LocalDate.parse(text.trim()));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  static LocalDate utcDay(Instant instant) {
    return LocalDate.ofInstant(instant, ZoneOffset.UTC);
  }
}
