package dev.tokenreprice.reconcile;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
    return RowFactory.create(costValues().toArray());
  }

  private List<Object> costValues() {
    return new ArrayList<>(Arrays.asList(key.day().toString(), key.provider(), key.model(), jobCost.orElse(null),
        billedCost.orElse(null), delta, deltaPct.orElse(null), status.name()));
  }

  /** The line with the token columns of {@link Reconciliation#TOKEN_COLUMNS}, empty where no tokens were compared. */
  public Row toRowWithTokens() {
    List<Object> values = costValues();
    Object[] none = new Object[UsageTokens.NONE.counts().length];
    values.addAll(Arrays.asList(tokens.map(t -> t.job().counts()).orElse(none)));
    values.addAll(Arrays.asList(tokens.map(t -> t.billed().counts()).orElse(none)));
    values.add(tokens.flatMap(TokenComparison::cause).map(Enum::name).orElse(null));
    return RowFactory.create(values.toArray());
  }
}
