package dev.tokenreprice.reconcile;

import java.math.BigDecimal;
import java.util.List;
import java.util.SortedMap;

/** A provider's bill in canonical form: the billed cost of each day, provider and model, and the files it came from. */
public record Bill(SortedMap<BillKey, BigDecimal> billedCosts, List<BillFile> files) {
  /** The providers some bill file covers: the run's costs of any other provider are not compared. */
  public java.util.Set<String> providersBilled() {
    java.util.Set<String> providers = new java.util.TreeSet<>();
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
