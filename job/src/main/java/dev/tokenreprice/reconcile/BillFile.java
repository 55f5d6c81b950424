package dev.tokenreprice.reconcile;

import java.util.Collections;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * One file of a bill as it was read: its form, the cost lines kept and the lines left out because they
 * are no cost the run prices (taxes, credits, code execution, other cloud services), and the providers its kept
 * lines bill: the providers it covers; and, where the bill gives both, its kept lines at list price and as billed.
 */
public record BillFile(String path, BillForm form, long linesKept, long linesSkipped, Set<String> providers,
    Optional<ListPrices> listPrices) {
  public BillFile {
    providers = Collections.unmodifiableSet(new TreeSet<>(providers));
  }

  /** A file that gives no list price beside the billed one. */
  public BillFile(String path, BillForm form, long linesKept, long linesSkipped, Set<String> providers) {
    this(path, form, linesKept, linesSkipped, providers, Optional.empty());
  }

  /** A file whose kept lines name no provider: none were kept. */
  public BillFile(String path, BillForm form, long linesKept, long linesSkipped) {
    this(path, form, linesKept, linesSkipped, Set.of());
  }

  /** Whether the file contributed no cost line to the comparison. */
  public boolean contributesNothing() {
    return linesKept == 0 && form != BillForm.EXPORTER_METADATA;
  }

  /** Whether the file reports tokens, not costs (a Usage API's pages). */
  public boolean reportsTokens() {
    return form.reportsTokens();
  }
}
