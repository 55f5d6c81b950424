package dev.tokenreprice.reconcile;

/** How a day's cost of a model in the run compares with the bill. */
public enum ReconciliationStatus {
  /** Within the tolerance of the billed cost (or both zero). */
  MATCH,
  /** The run's cost is above the bill by more than the tolerance. */
  OVER,
  /** The run's cost is below the bill by more than the tolerance. */
  UNDER,
  /** The run priced a cost the bill does not have. */
  MISSING_IN_BILL,
  /** The bill has a cost on a day of the run's period that the run did not price. */
  MISSING_IN_LOGS,
  /** The run's cost of a provider no bill file covers: not compared, no gap, not counted among the matches. */
  NOT_BILLED
}
