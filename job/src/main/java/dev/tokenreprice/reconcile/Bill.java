package dev.tokenreprice.reconcile;

import java.math.BigDecimal;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;

/**
 * A provider's bill in canonical form: the billed cost of each day, provider and model, the files it came from, and
 * the providers whose per-use fees (web searches) it bills on lines of their own ({@link BillKey#TOOL_FEES}) rather
 * than inside each model's cost.
 */
public record Bill(SortedMap<BillKey, BigDecimal> billedCosts, List<BillFile> files, Set<String> toolFeesApart) {
  /** A bill that bills every per-use fee inside its model's cost, or has none. */
  public Bill(SortedMap<BillKey, BigDecimal> billedCosts, List<BillFile> files) {
    this(billedCosts, files, Set.of());
  }

  /** The providers some bill file covers: the run's costs of any other provider are not compared. */
  public Set<String> providersBilled() {
    Set<String> providers = new java.util.TreeSet<>();
    files.forEach(file -> providers.addAll(file.providers()));
    billedCosts.keySet().forEach(key -> providers.add(key.provider()));
    return providers;
  }

  /** The bill files that contributed no cost line. */
  public List<BillFile> filesContributingNothing() {
    return files.stream().filter(BillFile::contributesNothing).toList();
  }

  public long linesSkipped() {
    return files.stream().mapToLong(BillFile::linesSkipped).sum();
  }
}
