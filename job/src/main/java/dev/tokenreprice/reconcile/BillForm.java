package dev.tokenreprice.reconcile;

import java.util.Optional;

/** The forms of bill {@code --reconcile} reads, told apart by each file's content (see {@link BillReader}). */
public enum BillForm {
  /** Pages of the Anthropic Cost API, {@code GET /v1/organizations/cost_report}, saved as JSON. */
  COST_API("cost-api", false, CostApiPages.PROVIDER),
  /** Pages of Anthropic's Usage and Cost Analytics API, {@code GET /v1/organizations/analytics/cost}. */
  ANALYTICS_COST("analytics-cost", false, CostApiPages.PROVIDER),
  /** Pages of the OpenAI Costs API, {@code GET /v1/organization/costs}. */
  OPENAI_COSTS("openai-costs", false, OpenAiPages.PROVIDER),
  /** A FinOps FOCUS 1.x cost and usage CSV. */
  FOCUS("focus", false, ""),
  /** A CSV with {@code day,model,cost} and optionally {@code provider}. */
  GENERIC("generic", false, ""),
  /** Pages of the Anthropic Usage API, {@code GET /v1/organizations/usage_report/messages}: tokens, no cost. */
  USAGE_REPORT("usage-report", true, CostApiPages.PROVIDER),
  /** Pages of Anthropic's Usage and Cost Analytics API, {@code GET /v1/organizations/analytics/usage}: tokens. */
  ANALYTICS_USAGE("analytics-usage", true, CostApiPages.PROVIDER),
  /** Pages of the OpenAI Usage API, {@code GET /v1/organization/usage/completions}: tokens, no cost. */
  OPENAI_USAGE("openai-usage", true, OpenAiPages.PROVIDER),
  /** A file an exporter writes beside the bill's data (Azure Cost Management's manifest.json): skipped, counted. */
  EXPORTER_METADATA("exporter-metadata", false, "");

  private final String label;
  private final boolean reportsTokens;
  private final String provider;

  BillForm(String label, boolean reportsTokens, String provider) {
    this.label = label;
    this.reportsTokens = reportsTokens;
    this.provider = provider;
  }

  public String label() {
    return label;
  }

  /** Whether the form counts tokens, not costs: a usage report compared beside a cost bill. */
  public boolean reportsTokens() {
    return reportsTokens;
  }

  /** The one provider a provider's own API form is of; FOCUS and the generic CSV name theirs on each line. */
  public Optional<String> provider() {
    return provider.isEmpty() ? Optional.empty() : Optional.of(provider);
  }

  /**
   * The provider whose per-use fees (web searches) this form bills on lines of their own, naming no model: the
   * providers' cost APIs do; FOCUS and the generic CSV keep a fee inside the line of the model it names.
   */
  public Optional<String> toolFeesApartOf() {
    return reportsTokens ? Optional.empty() : provider();
  }
}
