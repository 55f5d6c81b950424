package dev.tokenreprice.report;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code report.html}: one self-contained page (inline CSS and SVG charts, no scripts, nothing fetched)
 * with the run's cost at a glance, then charts, each with a table of the same figures as the CSV files to
 * the cent. Every text the page prints is escaped: feature names come from the logs.
 */
public final class HtmlReport {
  /** Features drawn in the feature chart; the rest are one "other" bar (the table lists them all). */
  public static final int CHART_FEATURES = 15;
  static final String OTHER = "other";
  /** Savings drawn in the scenario chart, largest first. */
  public static final int CHART_SCENARIOS = 15;

  private static final String STYLE = String.join("\n",
      "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;color:#222;margin:0;background:#f6f6f4}",
      "main{max-width:1040px;margin:0 auto;padding:24px 28px;background:#fff}",
      "h1{font-size:24px;margin:0 0 4px}h2{font-size:19px;margin:32px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}",
      ".sub{color:#666;margin:0 0 18px}",
      ".cards{display:grid;grid-template-columns:repeat(4,1fr);gap:12px}",
      ".card{border:1px solid #e2e2e2;border-radius:6px;padding:10px 12px}",
      ".card .label{color:#666;font-size:12px;text-transform:uppercase;letter-spacing:.04em}",
      ".card .value{font-size:22px;font-weight:600;margin-top:2px}.card .note{color:#666;font-size:12px;margin-top:2px}",
      ".up{color:#b3261e}.down{color:#1e7b34}",
      "table{border-collapse:collapse;width:100%;font-size:13px;margin-top:8px}",
      "th,td{padding:4px 8px;border-bottom:1px solid #eee;text-align:left;vertical-align:top}",
      "th{background:#f3f3f1;font-weight:600}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}",
      "tr.total td{font-weight:600;border-top:2px solid #ccc}",
      "svg{width:100%;height:auto;display:block}",
      ".meta{font-size:12px;color:#555}.meta code{word-break:break-all}",
      ".empty{padding:24px;border:1px dashed #bbb;border-radius:6px;font-size:16px;text-align:center;color:#444}",
      "details summary{cursor:pointer;color:#444;margin-top:8px}",
      "@media print{body{background:#fff}main{padding:0;max-width:none}section{break-inside:avoid}details{display:block}"
          + "details>*{display:block}}");

  private HtmlReport() {}

  public static String render(ReportFigures figures) {
    StringBuilder page = new StringBuilder();
    page.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>LLM API cost ").append(text(figures.periodLabel())).append("</title>\n")
        .append("<style>\n").append(STYLE).append("\n</style>\n</head>\n<body>\n<main>\n");
    header(page, figures);
    if (!figures.anyPriced()) {
      page.append("<p class=\"empty\" id=\"no-priced-rows\">No priced rows in this run: there is no cost to chart.")
          .append(figures.rowsRead() > 0 ? " Every row read was quarantined; see the reasons above." : "")
          .append("</p>\n");
    } else {
      daily(page, figures);
      features(page, figures);
      tokenKinds(page, figures);
      if (!figures.scenarios().isEmpty()) {
        savings(page, figures);
      }
    }
    page.append("<p class=\"meta\">Costs in ").append(text(figures.currency()))
        .append(", rounded half up to the cent; the CSV files beside this page hold the exact decimals.</p>\n")
        .append("</main>\n</body>\n</html>\n");
    return page.toString();
  }

  private static void header(StringBuilder page, ReportFigures figures) {
    CostRow total = figures.total();
    page.append("<h1>LLM API cost, ").append(text(figures.periodLabel())).append("</h1>\n")
        .append("<p class=\"sub\">").append(figures.firstDay().map(day -> text(day + " to " + figures.lastDay().orElse(day)))
            .orElse("no days")).append(", UTC days</p>\n");
    page.append("<div class=\"cards\">\n");
    card(page, "total cost", "total-cost", money(total.totalCost()) + " " + text(figures.currency()), change(figures));
    card(page, "requests", "requests", count(total.requests()), count(figures.rowsRead()) + " rows read");
    card(page, "tokens", "tokens", count(total.tokens()),
        count(total.inputTokens()) + " input, " + count(total.outputTokens()) + " output, "
            + count(total.cacheWriteTokens()) + " cache write, " + count(total.cacheReadTokens()) + " cache read; "
            + count(total.webSearchRequests()) + " web searches, " + money(total.toolCost()) + " in per-use fees");
    long quarantined = figures.quarantined().values().stream().mapToLong(Long::longValue).sum();
    StringBuilder reasons = new StringBuilder();
    for (Map.Entry<String, Long> reason : figures.quarantined().entrySet()) {
      reasons.append(reasons.length() == 0 ? "" : "<br>").append(text(reason.getKey())).append(": ")
          .append(count(reason.getValue()));
    }
    card(page, "quarantined rows", "quarantined", count(quarantined),
        (reasons.length() == 0 ? "none" : reasons.toString()) + "<br><a href=\"quarantine/\">quarantine/</a>");
    page.append("</div>\n");
    page.append("<p class=\"meta\">Rate card ").append(text(figures.rateCardPath())).append(", SHA-256 <code id=\"rate-card-sha256\">")
        .append(text(figures.rateCardSha256())).append("</code></p>\n");
  }

  /** The change against the period of the same length before, when the output directory holds it. */
  private static String change(ReportFigures figures) {
    if (figures.previous().isEmpty()) {
      return "no earlier period of the same length in this output directory";
    }
    PreviousPeriod previous = figures.previous().get();
    BigDecimal delta = figures.total().totalCost().subtract(previous.totalCost());
    String sign = delta.signum() > 0 ? "+" : "";
    String pct = previous.totalCost().signum() == 0 ? ""
        : " (" + sign + delta.multiply(BigDecimal.valueOf(100)).divide(previous.totalCost(), 1, RoundingMode.HALF_UP)
            .toPlainString() + "%)";
    String days = previous.daysWithRows() < previous.days()
        ? ", " + previous.daysWithRows() + " of its " + previous.days() + " days have rows" : "";
    return "<span id=\"change\" class=\"" + (delta.signum() > 0 ? "up" : "down") + "\">" + sign + money(delta) + pct
        + "</span> against " + text(previous.from() + ".." + previous.to()) + " (" + money(previous.totalCost()) + days + ")";
  }

  private static void card(StringBuilder page, String label, String id, String value, String noteHtml) {
    page.append("<div class=\"card\"><div class=\"label\">").append(text(label)).append("</div><div class=\"value\" id=\"")
        .append(id).append("\">").append(value).append("</div><div class=\"note\">").append(noteHtml).append("</div></div>\n");
  }

  private static void daily(StringBuilder page, ReportFigures figures) {
    page.append("<section id=\"daily\">\n<h2>Daily cost by model</h2>\n")
        .append(ReportCharts.dailyCostByModel(figures.dailyByModel(),
            figures.byDay().stream().map(CostRow::name).toList(), figures.currency()))
        .append('\n');
    page.append("<details><summary>Cost per day (totals.csv, level day)</summary>\n");
    table(page, "days", List.of("day", "requests", "tokens", "total cost"), figures.byDay(), figures.total(),
        row -> List.of(count(row.requests()), count(row.tokens()), money(row.totalCost())));
    page.append("</details>\n</section>\n");
  }

  private static void features(StringBuilder page, ReportFigures figures) {
    List<CostRow> all = figures.byFeature();
    List<String> names = new ArrayList<>();
    List<BigDecimal> costs = new ArrayList<>();
    BigDecimal other = BigDecimal.ZERO;
    for (int i = 0; i < all.size(); i++) {
      if (i < CHART_FEATURES || all.size() == CHART_FEATURES + 1) {
        names.add(all.get(i).name());
        costs.add(all.get(i).totalCost());
      } else {
        other = other.add(all.get(i).totalCost());
      }
    }
    if (names.size() < all.size()) {
      names.add(OTHER + " (" + (all.size() - names.size()) + " features)");
      costs.add(other);
    }
    page.append("<section id=\"features\">\n<h2>Cost by feature</h2>\n")
        .append(ReportCharts.bars(names, costs, figures.currency(), "features")).append('\n');
    page.append("<details><summary>Cost per feature, all ").append(all.size())
        .append(" (totals.csv, level feature)</summary>\n");
    table(page, "feature-table", List.of("feature", "requests", "tokens", "total cost", "share"), all, figures.total(),
        row -> List.of(count(row.requests()), count(row.tokens()), money(row.totalCost()), share(row.totalCost(),
            figures.total().totalCost())));
    page.append("</details>\n</section>\n");
  }

  private static void tokenKinds(StringBuilder page, ReportFigures figures) {
    page.append("<section id=\"token-kinds\">\n<h2>Cost by token kind, per model</h2>\n")
        .append("<p class=\"meta\">Cache reads cost a fraction of input: a model whose bar is mostly cache read ")
        .append("is where the prompt cache pays. Tools are the per-use fees (web searches, tool_cost).</p>\n")
        .append(ReportCharts.costByTokenKind(figures.byModel(), figures.currency())).append('\n');
    table(page, "model-table", List.of("model", "requests", "input", "output", "cache write", "cache read",
            "web searches", "tools", "total cost"),
        figures.byModel(), figures.total(),
        row -> List.of(count(row.requests()), money(row.inputCost()), money(row.outputCost()),
            money(row.cacheWriteCost()), money(row.cacheReadCost()), count(row.webSearchRequests()),
            money(row.toolCost()), money(row.totalCost())));
    page.append("</section>\n");
  }

  private static void savings(StringBuilder page, ReportFigures figures) {
    List<ScenarioSavings> scenarios = figures.scenarios();
    // Scenarios come sorted by delta: the savings first. Those that would cost more stay in the table only,
    // so one expensive model does not squeeze every saving into a sliver.
    List<ScenarioSavings> saving = scenarios.stream().filter(scenario -> scenario.delta().signum() < 0)
        .limit(CHART_SCENARIOS).toList();
    page.append("<section id=\"savings\">\n<h2>What could be saved (counterfactual.csv)</h2>\n")
        .append("<p class=\"meta\">Saving = actual cost minus the scenario's cost over the same requests. The chart ")
        .append("shows the ").append(saving.size()).append(" largest of the ").append(scenarios.size())
        .append(" scenarios' savings; the table lists every scenario, also those that would cost more.</p>\n");
    if (!saving.isEmpty()) {
      page.append(ReportCharts.bars(saving.stream().map(ScenarioSavings::scenario).toList(),
          saving.stream().map(scenario -> scenario.delta().negate()).toList(), figures.currency() + " saved", "savings"))
          .append('\n');
    }
    page.append("<table id=\"scenario-table\">\n<tr><th>scenario</th><th class=\"num\">requests</th>")
        .append("<th class=\"num\">actual cost</th><th class=\"num\">scenario cost</th><th class=\"num\">delta</th>")
        .append("<th class=\"num\">delta %</th><th class=\"num\">rows unpriced</th><th>features it changes most</th></tr>\n");
    for (ScenarioSavings scenario : scenarios) {
      page.append("<tr><td>").append(text(scenario.scenario())).append("</td>")
          .append(num(count(scenario.requests()))).append(num(money(scenario.actualCost())))
          .append(num(money(scenario.scenarioCost()))).append(num(money(scenario.delta())))
          .append(num(scenario.deltaPct().map(BigDecimal::toPlainString).orElse("")))
          .append(num(count(scenario.rowsUnpriced()))).append("<td>");
      for (ScenarioSavings.FeatureDelta feature : scenario.topFeatures()) {
        page.append(text(feature.feature())).append(" ").append(money(feature.delta())).append("<br>");
      }
      page.append("</td></tr>\n");
    }
    page.append("</table>\n</section>\n");
  }

  private interface Cells {
    List<String> of(CostRow row);
  }

  /** A table of cost rows, the first column the row's name, then a total row. */
  private static void table(StringBuilder page, String id, List<String> headers, List<CostRow> rows, CostRow total,
      Cells cells) {
    page.append("<table id=\"").append(id).append("\">\n<tr><th>").append(text(headers.get(0))).append("</th>");
    for (String header : headers.subList(1, headers.size())) {
      page.append("<th class=\"num\">").append(text(header)).append("</th>");
    }
    page.append("</tr>\n");
    for (CostRow row : rows) {
      page.append("<tr><td>").append(text(row.name())).append("</td>");
      cells.of(row).forEach(cell -> page.append(num(cell)));
      page.append("</tr>\n");
    }
    page.append("<tr class=\"total\"><td>total</td>");
    cells.of(total).forEach(cell -> page.append(num(cell)));
    page.append("</tr>\n</table>\n");
  }

  private static String num(String cell) {
    return "<td class=\"num\">" + cell + "</td>";
  }

  /** An amount to the cent, rounded half up, with thousands separators; exact decimals in, no double. */
  static String money(BigDecimal amount) {
    DecimalFormat format = new DecimalFormat("#,##0.00", DecimalFormatSymbols.getInstance(Locale.ROOT));
    format.setRoundingMode(RoundingMode.HALF_UP);
    return format.format(amount.setScale(2, RoundingMode.HALF_UP));
  }

  private static String count(long value) {
    return String.format(Locale.ROOT, "%,d", value);
  }

  private static String share(BigDecimal part, BigDecimal whole) {
    return whole.signum() == 0 ? ""
        : part.multiply(BigDecimal.valueOf(100)).divide(whole, 1, RoundingMode.HALF_UP).toPlainString() + "%";
  }

  /** Text for HTML content and attribute values. */
  static String text(String value) {
    StringBuilder escaped = new StringBuilder(value.length());
    for (char c : value.toCharArray()) {
      switch (c) {
        case '<' -> escaped.append("&lt;");
        case '>' -> escaped.append("&gt;");
        case '&' -> escaped.append("&amp;");
        case '"' -> escaped.append("&quot;");
        case '\'' -> escaped.append("&#39;");
        default -> escaped.append(c);
      }
    }
    return escaped.toString();
  }
}
