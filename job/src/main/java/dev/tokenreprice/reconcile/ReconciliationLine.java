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
    BigDecimal delta, Optional<BigDecimal> deltaPct, ReconciliationStatus status, Optional<TokenComparison> tokens) {

  /** A line compared on cost alone. */
  public ReconciliationLine(BillKey key, Optional<BigDecimal> jobCost, Optional<BigDecimal> billedCost,
      BigDecimal delta, Optional<BigDecimal> deltaPct, ReconciliationStatus status) {
    this(key, jobCost, billedCost, delta, deltaPct, status, Optional.empty());
  }

  ReconciliationLine withTokens(TokenComparison comparison) {
    return new ReconciliationLine(key, jobCost, billedCost, delta, deltaPct, status, Optional.of(comparison));
  }

  ReconciliationLine withStatus(ReconciliationStatus other) {
    return new ReconciliationLine(key, jobCost, billedCost, delta, deltaPct, other, tokens);
  }

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

  /** The line with the token columns of {@link Reconciliation#TOKEN_COLUMNS}, empty where no tokens were compared. */
  public Row toRowWithTokens() {
    java.util.List<Object> values = new java.util.ArrayList<>(java.util.List.of(key.day().toString(), key.provider(),
        key.model()));
    values.add(jobCost.orElse(null));
    values.add(billedCost.orElse(null));
    values.add(delta);
    values.add(deltaPct.orElse(null));
    values.add(status.name());
    for (int i = 0; i < 5; i++) {
      int kind = i;
      values.add(tokens.map(t -> t.job().counts()[kind]).orElse(null));
    }
    for (int i = 0; i < 5; i++) {
      int kind = i;
      values.add(tokens.map(t -> t.billed().counts()[kind]).orElse(null));
    }
    values.add(tokens.flatMap(TokenComparison::cause).map(Enum::name).orElse(null));
    return RowFactory.create(values.toArray());
  }
}
