package dev.tokenreprice.report;

import dev.tokenreprice.input.NotReadFile;
import dev.tokenreprice.input.SkipReason;
import dev.tokenreprice.output.RunManifest;
import dev.tokenreprice.validate.QuarantineReason;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;

/** The short human summary printed at the end of a run. */
public final class RunSummary {
  private RunSummary() {}

  public static String render(RunManifest manifest, TopCosts.GrandTotal grandTotal, List<CostLine> topFeatures,
      List<CostLine> topModels, List<Saving> savings, String outDir) {
    StringBuilder text = new StringBuilder();
    text.append("reprice ").append(manifest.period().label()).append(": ")
        .append(manifest.counts().rowsRead()).append(" rows read, ")
        .append(manifest.counts().rowsPriced()).append(" priced, ")
        .append(manifest.counts().rowsQuarantined()).append(" quarantined");
    if (manifest.counts().rowsOutsidePeriod() > 0) {
      text.append(" (").append(manifest.counts().rowsOutsidePeriod()).append(" rows of other days skipped)");
    }
    text.append('\n');
    for (Map.Entry<SkipReason, Long> entry : manifest.counts().skipped().entrySet().stream()
        .sorted(Map.Entry.comparingByKey()).toList()) {
      text.append(String.format("  not priced, %-18s %d (%s)%n", entry.getKey().name(), entry.getValue(),
          entry.getKey() == SkipReason.NOT_A_REQUEST ? "records that are no model call"
              : "further lines of requests already counted"));
    }
    for (Map.Entry<QuarantineReason, Long> entry : manifest.counts().quarantined().entrySet().stream()
        .sorted(Map.Entry.comparingByKey()).toList()) {
      text.append(String.format("  quarantined %-18s %d%n", entry.getKey().name(), entry.getValue()));
    }
    long damaged = manifest.filesNotRead().stream().filter(NotReadFile::damaged).count();
    if (damaged > 0) {
      text.append(String.format("  damaged files %-16s %d (empty, unreadable or cut short: not read, the rest was)%n", "",
          damaged));
    }
    if (!manifest.filesNotRead().isEmpty()) {
      text.append(String.format("  files not read %-15s %d (manifest.json lists each with the reason)%n", "",
          manifest.filesNotRead().size()));
    }
    text.append("total cost: ").append(money(manifest.totalCost())).append(' ')
        .append(manifest.rateCard().currency()).append(" (exact: ").append(manifest.totalCost().toPlainString())
        .append(")\n");
    if (grandTotal.webSearchRequests() > 0 || grandTotal.toolCost().signum() != 0) {
      text.append("  of which per-use fees (tool_cost): ").append(money(grandTotal.toolCost())).append(" for ")
          .append(grandTotal.webSearchRequests()).append(" web searches\n");
    }
    appendTop(text, "top features", topFeatures);
    appendTop(text, "top models", topModels);
    if (!savings.isEmpty()) {
      text.append("largest savings (counterfactual.csv):\n");
      int width = savings.stream().mapToInt(s -> s.scenario().length()).max().orElse(0);
      for (Saving saving : savings) {
        text.append("  ").append(pad(saving.scenario(), width)).append("  ")
            .append(String.format("%14s", money(saving.delta())))
            .append(saving.deltaPct().map(pct -> " (" + pct.toPlainString() + "%)").orElse(""));
        if (saving.rowsUnpriced() > 0) {
          text.append(", ").append(saving.rowsUnpriced()).append(" rows it cannot price left out");
        }
        text.append('\n');
      }
    }
    for (String recovered : manifest.recovered()) {
      text.append("recovered: ").append(recovered).append('\n');
    }
    for (String warning : manifest.warnings()) {
      text.append("warning: ").append(warning).append('\n');
    }
    text.append("status: ").append(manifest.status()).append('\n');
    text.append("output: ").append(outDir).append(" (")
        .append(String.join(", ", manifest.outputs())).append(")\n");
    return text.toString();
  }

  private static void appendTop(StringBuilder text, String title, List<CostLine> lines) {
    if (lines.isEmpty()) {
      return;
    }
    text.append(title).append(":\n");
    int width = lines.stream().mapToInt(line -> line.name().length()).max().orElse(0);
    for (CostLine line : lines) {
      text.append("  ").append(pad(line.name(), width)).append("  ")
          .append(String.format("%14s", money(line.cost()))).append("  ")
          .append(line.requests()).append(" requests\n");
    }
  }

  /** Cents for reading; the exact value is in the files. */
  static String money(BigDecimal amount) {
    return amount.setScale(2, RoundingMode.HALF_EVEN).toPlainString();
  }

  private static String pad(String text, int width) {
    return text + " ".repeat(Math.max(0, width - text.length()));
  }
}
