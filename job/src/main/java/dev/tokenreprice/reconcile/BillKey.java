package dev.tokenreprice.reconcile;

import java.time.LocalDate;
import java.util.Comparator;

/** What the bill and the run are compared on: one UTC day's cost of one provider's model. */
public record BillKey(LocalDate day, String provider, String model) implements Comparable<BillKey> {
  /**
   * The model of a day's per-use fees where a bill reports them on lines of their own, naming no model (the Cost
   * API's web_search costs); the run's {@code tool_cost} of that provider and day is compared with it.
   */
  public static final String TOOL_FEES = "web_search";

  private static final Comparator<BillKey> ORDER = Comparator.comparing(BillKey::day)
      .thenComparing(BillKey::provider).thenComparing(BillKey::model);

  @Override
  public int compareTo(BillKey other) {
    return ORDER.compare(this, other);
  }

  /** The line of a provider's per-use fees of one day, for bills that report them apart from the models. */
  public static BillKey toolFees(LocalDate day, String provider) {
    return new BillKey(day, provider, TOOL_FEES);
  }

  /** {@code provider/model}, as the summary names a model. */
  public String providerModel() {
    return provider + "/" + model;
  }
}
