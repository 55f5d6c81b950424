package dev.tokenreprice.cli;

/** The exit statuses a scheduler can act on; the README's table and docs/operations.md list the same. */
public enum ExitStatus {
  /** Everything was priced or quarantined and published. */
  SUCCESS(0),
  /** An unexpected failure (Spark, file system); the previously published output is untouched. */
  FAILURE(1),
  /** Bad arguments, rate card or input paths; nothing was read or written. */
  USAGE(2),
  /** {@code --strict} and some rows were quarantined: quarantine and manifest written, rollups not published. */
  QUARANTINED_IN_STRICT_MODE(3),
  /**
   * {@code --strict} with {@code --reconcile}, and some day's cost of a model does not match the bill: everything
   * is published, reconciliation.csv included. A quarantine in strict mode is reported first (3).
   */
  RECONCILIATION_GAPS_IN_STRICT_MODE(4);

  private final int code;

  ExitStatus(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }
}
