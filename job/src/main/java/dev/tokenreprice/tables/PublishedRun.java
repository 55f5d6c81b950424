package dev.tokenreprice.tables;

import dev.tokenreprice.cli.Period;
import dev.tokenreprice.report.ReportRun;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A run as its row in the runs table keeps it: what the report prints of it, the days it replaced and the snapshot
 * it committed to each table (none where the run published nothing to a table, as a strict run with quarantined
 * rows publishes no rollup).
 *
 * @param rollupBase the rollup's snapshot when the run started, whose earlier days its report compared with
 */
public record PublishedRun(
    String runId,
    String status,
    Period period,
    List<LocalDate> days,
    String rateCardPath,
    String rateCardSha256,
    String currency,
    int costScale,
    long rowsRead,
    Map<String, Long> quarantined,
    List<String> scenarios,
    String manifestJson,
    Optional<Long> rollupSnapshot,
    Optional<Long> counterfactualSnapshot,
    Optional<Long> quarantineSnapshot,
    Optional<Long> rollupBase) {

  public PublishedRun {
    days = List.copyOf(days);
    quarantined = Map.copyOf(quarantined);
    scenarios = List.copyOf(scenarios);
  }

  /** What the report prints of the run beside its figures. */
  public ReportRun reportRun() {
    return new ReportRun(period, currency, rateCardPath, rateCardSha256, rowsRead, quarantined);
  }
}
