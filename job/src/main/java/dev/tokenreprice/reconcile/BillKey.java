package dev.tokenreprice.reconcile;

import java.time.LocalDate;
import java.util.Comparator;

/** What the bill and the run are compared on: one UTC day's cost of one provider's model. */
public record BillKey(LocalDate day, String provider, String model) implements Comparable<BillKey> {
  private static final Comparator<BillKey> ORDER = Comparator.comparing(BillKey::day)
      .thenComparing(BillKey::provider).thenComparing(BillKey::model);

  @Override
  public int compareTo(BillKey other) {
    return ORDER.compare(this, other);
  }

  /** {@code provider/model}, as the summary names a model. */
  public String providerModel() {
    return provider + "/" + model;
  }
}
