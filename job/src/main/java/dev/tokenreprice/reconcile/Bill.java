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
public record Bill(SortedMap<BillKey, BigDecimal> billedCosts, List<BillFile> files, Set<String> toolFeesApart,
    SortedMap<BillKey, UsageTokens> usageTokens) {
  /** A bill that bills every per-use fee inside its model's cost, or has none. */
  public Bill(SortedMap<BillKey, BigDecimal> billedCosts, List<BillFile> files) {
    this(billedCosts, files, Set.of());
  }

  /** A cost bill without a usage report beside it. */
  public Bill(SortedMap<BillKey, BigDecimal> billedCosts, List<BillFile> files, Set<String> toolFeesApart) {
    this(billedCosts, files, toolFeesApart, new java.util.TreeMap<>());
  }

  /** Whether a usage report came with the bill: reconciliation then compares tokens too and names a cause. */
  public boolean hasUsageReport() {
    return files.stream().anyMatch(BillFile::reportsTokens);
  }

  /** The providers the usage reports cover (Anthropic's Usage APIs: anthropic; OpenAI's: openai). */
  public Set<String> providersWithTokens() {
    Set<String> providers = new java.util.TreeSet<>();
    usageTokens.keySet().forEach(key -> providers.add(key.provider()));
    files.stream().filter(BillFile::reportsTokens).forEach(file -> file.form().provider().ifPresent(providers::add));
    return providers;
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
