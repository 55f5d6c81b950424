package dev.tokenreprice.output;

import dev.tokenreprice.cli.Period;
import dev.tokenreprice.input.InputFile;
import dev.tokenreprice.input.NotReadFile;
import dev.tokenreprice.ratecard.RateCard;
import dev.tokenreprice.validate.DaysSeen;
import dev.tokenreprice.validate.RowCounts;
import dev.tokenreprice.reconcile.Reconciliation;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * The audit record of one run: what it read, with which card, what it counted and what it published.
 *
 * @param days the days the run covered: its published day partitions replaced exactly these
 * @param daysSeen the days each input file's records fell on, for {@code --since-last-run}
 * @param recovered what this run found of an earlier run on its --out and did about it: a lock taken over from a
 *     dead run, a publish a killed run left half-way finished or undone
 */
public record RunManifest(
    String jobVersion,
    String runId,
    List<String> arguments,
    Instant startedAt,
    Instant finishedAt,
    String status,
    Period period,
    List<InputFile> inputFiles,
    List<NotReadFile> filesNotRead,
    RateCard rateCard,
    int costScale,
    RowCounts counts,
    List<String> scenarios,
    BigDecimal totalCost,
    List<String> outputs,
    Optional<Reconciliation> reconciliation,
    boolean dedupe,
    List<LocalDate> days,
    DaysSeen daysSeen,
    List<String> warnings,
    List<String> recovered) {

  /** Published everything: rollups, totals, quarantine. */
  public static final String STATUS_PUBLISHED = "PUBLISHED";
  /** {@code --strict} found quarantined rows: quarantine and manifest published, rollups not. */
  public static final String STATUS_STRICT_QUARANTINE = "QUARANTINED_ROWS_IN_STRICT_MODE";
  /** {@code --strict --reconcile} found costs that do not match the bill: everything published, exit 4. */
  public static final String STATUS_STRICT_RECONCILIATION = "RECONCILIATION_GAPS_IN_STRICT_MODE";
}
