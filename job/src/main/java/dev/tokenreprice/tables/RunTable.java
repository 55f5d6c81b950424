package dev.tokenreprice.tables;

/** The four tables a run publishes into, in the order it commits them: the runs table last. */
public enum RunTable {
  ROLLUP("rollup", true),
  COUNTERFACTUAL("counterfactual", true),
  QUARANTINE("quarantine", true),
  /** One row per run: its manifest's fields and the snapshot it committed to each other table. */
  RUNS("runs", false);

  private final String suffix;
  private final boolean partitionedByDay;

  RunTable(String suffix, boolean partitionedByDay) {
    this.suffix = suffix;
    this.partitionedByDay = partitionedByDay;
  }

  public String suffix() {
    return suffix;
  }

  /** Whether the table is partitioned by {@code day} and a run replaces exactly its days in it. */
  public boolean partitionedByDay() {
    return partitionedByDay;
  }
}
