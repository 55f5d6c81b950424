package dev.tokenreprice.cli;

import java.time.LocalDate;
import java.util.List;

/**
 * {@code --check-card}: the public price tables to hold the rate card against, and the day whose prices in force are
 * compared ({@code --on}, default today in UTC).
 */
public record CardCheckRequest(List<String> tables, LocalDate on) {
  public CardCheckRequest {
    tables = List.copyOf(tables);
  }
}
