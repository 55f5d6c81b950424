package dev.tokenreprice.cli;

import java.time.LocalDate;
import java.util.Optional;

/** The UTC days a run covers, both ends inclusive; an absent end is open. */
public record Period(Optional<LocalDate> from, Optional<LocalDate> to) {
  public static final Period ALL_DAYS = new Period(Optional.empty(), Optional.empty());

  public Period {
    if (from.isPresent() && to.isPresent() && from.get().isAfter(to.get())) {
      throw new UsageException("--from must be on or before --to, cannot be: --from " + from.get() + " --to " + to.get());
    }
  }

  /** For job descriptions and the summary, for example {@code 2026-11-01..2026-11-30}. */
  public String label() {
    if (from.isEmpty() && to.isEmpty()) {
      return "all days";
    }
    return from.map(LocalDate::toString).orElse("") + ".." + to.map(LocalDate::toString).orElse("");
  }
}
