package dev.tokenreprice.cli;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/** The UTC days a run covers, both ends inclusive; an absent end is open. */
public record Period(Optional<LocalDate> from, Optional<LocalDate> to) {
  public static final Period ALL_DAYS = new Period(Optional.empty(), Optional.empty());

  public Period {
    if (from.isPresent() && to.isPresent() && from.get().isAfter(to.get())) {
      throw new UsageException("--from must be on or before --to, cannot be: --from " + from.get() + " --to " + to.get());
    }
  }

  /** Whether both ends are given, so the period names its days without looking at the data. */
  public boolean bounded() {
    return from.isPresent() && to.isPresent();
  }

  /** Every day of a {@link #bounded()} period, in order. */
  public List<LocalDate> days() {
    if (!bounded()) {
      throw new IllegalStateException("an open period has no list of days: " + label());
    }
    return from.get().datesUntil(to.get().plusDays(1)).toList();
  }

  /** The days of this period from {@code first} to {@code last}, or empty when they have none in common. */
  public Optional<Period> narrowedTo(LocalDate first, LocalDate last) {
    LocalDate start = from.filter(day -> day.isAfter(first)).orElse(first);
    LocalDate end = to.filter(day -> day.isBefore(last)).orElse(last);
    return start.isAfter(end) ? Optional.empty() : Optional.of(new Period(Optional.of(start), Optional.of(end)));
  }

  /** For job descriptions and the summary, for example {@code 2026-11-01..2026-11-30}. */
  public String label() {
    if (from.isEmpty() && to.isEmpty()) {
      return "all days";
    }
    return from.map(LocalDate::toString).orElse("") + ".." + to.map(LocalDate::toString).orElse("");
  }
}
