package dev.tokenreprice.reconcile;

import java.math.BigDecimal;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * One line of reconciliation.csv: a day's cost of a model in the run and on the bill (empty where a side has
 * none), {@code delta = job_cost - billed_cost} (a missing side counts as zero), and {@code delta_pct} relative to
 * the billed cost, empty where that is zero or missing.
 */
public record ReconciliationLine(BillKey key, Optional<BigDecimal> jobCost, Optional<BigDecimal> billedCost,
    BigDecimal delta, Optional<BigDecimal> deltaPct, ReconciliationStatus status) {

  public boolean matches() {
    return status == ReconciliationStatus.MATCH;
  }

  /** Whether the line was compared with a bill at all (its provider is one some bill file covers). */
  public boolean compared() {
    return status != ReconciliationStatus.NOT_BILLED;
  }

  /** The line as a CSV row, in the order of {@link Reconciliation#COLUMNS}. */
  public Row toRow() {
    return RowFactory.create(key.day().toString(), key.provider(), key.model(), jobCost.orElse(null),
        billedCost.orElse(null), delta, deltaPct.orElse(null), status.name());
  }
}
