package dev.tokenreprice.reconcile;

/** The forms of bill {@code --reconcile} reads, told apart by each file's content (see {@link BillReader}). */
public enum BillForm {
  /** Pages of the Anthropic Cost API, {@code GET /v1/organizations/cost_report}, saved as JSON. */
  COST_API("cost-api"),
  /** A FinOps FOCUS 1.x cost and usage CSV. */
  FOCUS("focus"),
  /** A CSV with {@code day,model,cost} and optionally {@code provider}. */
  GENERIC("generic"),
  /** Pages of the Anthropic Usage API, {@code GET /v1/organizations/usage_report/messages}: tokens, no cost. */
  USAGE_REPORT("usage-report"),
  /** A file an exporter writes beside the bill's data (Azure Cost Management's manifest.json): skipped, counted. */
  EXPORTER_METADATA("exporter-metadata");

  private final String label;

  BillForm(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
