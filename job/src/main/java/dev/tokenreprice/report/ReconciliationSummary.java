package dev.tokenreprice.report;

import dev.tokenreprice.reconcile.BillFile;
import dev.tokenreprice.reconcile.BillForm;
import dev.tokenreprice.reconcile.BillKey;
import dev.tokenreprice.reconcile.Reconciliation;
import dev.tokenreprice.reconcile.ReconciliationLine;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/** The run summary's lines on the bill: how many days and models match, and the largest gaps. */
public final class ReconciliationSummary {
  public static final int TOP = 3;
  private static final int GAP_SCALE = 4;

  private ReconciliationSummary() {}

  public static String render(Reconciliation reconciliation, String currency) {
    List<ReconciliationLine> lines = reconciliation.lines().stream().filter(ReconciliationLine::compared).toList();
    StringBuilder text = new StringBuilder();
    text.append("reconciliation (reconciliation.csv): ")
        .append(matching(lines, BillKey::day)).append(" days, ")
        .append(matching(lines, BillKey::providerModel)).append(" models match within ")
        .append(reconciliation.tolerancePercent().toPlainString()).append("%");
    long skipped = reconciliation.bill().linesSkipped();
    if (skipped > 0 || reconciliation.billLinesOutsidePeriod() > 0) {
      text.append(" (bill: ");
      if (skipped > 0) {
        text.append(count(skipped, "line")).append(" of costs the run does not price left out");
      }
      if (reconciliation.billLinesOutsidePeriod() > 0) {
        text.append(skipped > 0 ? ", " : "").append(count(reconciliation.billLinesOutsidePeriod(), "cost"))
            .append(" outside the run's days ignored");
      }
      text.append(')');
    }
    text.append('\n');
    if (!reconciliation.modelsPricedWrong().isEmpty()) {
      text.append("  price looks wrong (tokens match the usage report, cost does not): ")
          .append(String.join(", ", reconciliation.modelsPricedWrong())).append('\n');
    }
    for (BillFile file : reconciliation.bill().files()) {
      text.append("  bill ").append(file.path()).append(": ")
          .append(file.form() == BillForm.EXPORTER_METADATA ? "an exporter's metadata, skipped"
              : file.reportsTokens() ? count(file.linesKept(), "usage line") + " (tokens, compared beside the cost)"
              : file.contributesNothing() ? "no cost line (nothing of it was compared)"
              : count(file.linesKept(), "cost line") + " of " + String.join(", ", file.providers())
                  + file.listPrices().map(prices -> " (" + prices.listAmount().stripTrailingZeros().toPlainString()
                      + " " + currency + " at list price, " + prices.billedAmount().stripTrailingZeros().toPlainString()
                      + " billed: discounts worth " + prices.discount().stripTrailingZeros().toPlainString() + ")")
                  .orElse("")).append('\n');
    }
    long notBilled = reconciliation.lines().stream().filter(line -> !line.compared()).count();
    if (notBilled > 0) {
      Set<String> providers = new TreeSet<>();
      reconciliation.lines().stream().filter(line -> !line.compared()).forEach(line -> providers.add(line.key().provider()));
      text.append("  not compared (no bill covers them): ").append(String.join(", ", providers)).append(", ")
          .append(count(notBilled, "line")).append(" NOT_BILLED\n");
    }
    List<ReconciliationLine> gaps = lines.stream().filter(line -> !line.matches())
        .sorted(Comparator.comparing((ReconciliationLine line) -> line.delta().abs()).reversed()
            .thenComparing(ReconciliationLine::key))
        .limit(TOP).toList();
    if (!gaps.isEmpty()) {
      text.append("largest gaps:\n");
      int width = gaps.stream().mapToInt(line -> line.key().providerModel().length()).max().orElse(0);
      for (ReconciliationLine gap : gaps) {
        text.append("  ").append(gap.key().day()).append(' ')
            .append(gap.key().providerModel()).append(" ".repeat(width - gap.key().providerModel().length()))
            .append(String.format("%12s", signed(gapAmount(gap.delta())))).append(' ').append(currency)
            .append(gap.deltaPct().map(pct -> " (" + signed(pct.toPlainString()) + "%)").orElse(""))
            .append(' ').append(gap.status().name()).append('\n');
      }
    }
    return text.toString();
  }

  /** "28 of 30": the days (or models) all of whose lines match, of those with any line. */
  private static String matching(List<ReconciliationLine> lines, Function<BillKey, Object> by) {
    Map<Object, Boolean> all = new HashMap<>();
    for (ReconciliationLine line : lines) {
      all.merge(by.apply(line.key()), line.matches(), Boolean::logicalAnd);
    }
    return all.values().stream().filter(Boolean::booleanValue).count() + " of " + all.size();
  }

  /** Gaps are often below a cent: four places show them; the exact value is in the file. */
  private static String gapAmount(BigDecimal delta) {
    return delta.setScale(GAP_SCALE, RoundingMode.HALF_EVEN).toPlainString();
  }

  private static String count(long count, String noun) {
    return count + " " + noun + (count == 1 ? "" : "s");
  }

  private static String signed(String number) {
    return number.startsWith("-") ? number : "+" + number;
  }
}
