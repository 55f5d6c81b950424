package dev.tokenreprice.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The page from hand-built figures, without Spark. */
class HtmlReportRenderTest {
  @Test
  void theFeatureChartDrawsFifteenFeaturesAndTheRestAsOther() {
    String seventeen = HtmlReport.render(figures(17));
    assertTrue(seventeen.contains("other (2 features)"));
    assertEquals(1, occurrences(seventeen, ">feature-16<"), "in the table only");
    // One feature more than fifteen is drawn itself: an "other" bar of one feature says nothing.
    String sixteen = HtmlReport.render(figures(16));
    assertFalse(sixteen.contains("other ("));
    assertEquals(2, occurrences(sixteen, ">feature-16<"), "in the chart and in the table");
  }

  @Test
  void moneyIsRoundedHalfUpToTheCentWithThousandsSeparators() {
    assertEquals("1,234.57", HtmlReport.money(new BigDecimal("1234.565")));
    assertEquals("0.13", HtmlReport.money(new BigDecimal("0.125000000000")));
    assertEquals("-0.13", HtmlReport.money(new BigDecimal("-0.125")));
    assertEquals("0.00", HtmlReport.money(new BigDecimal("0.004999999999")));
  }

  /** Features feature-1 .. feature-N costing N .. 1 dollars, one request each, on one day. */
  private static ReportFigures figures(int features) {
    List<CostRow> rows = new ArrayList<>();
    for (int i = 1; i <= features; i++) {
      rows.add(row("feature-" + i, features + 1 - i));
    }
    BigDecimal total = BigDecimal.valueOf((long) features * (features + 1) / 2);
    CostRow all = new CostRow("total", features, 0, 0, 0, 0, 0, total, BigDecimal.ZERO, BigDecimal.ZERO,
        BigDecimal.ZERO, BigDecimal.ZERO, total);
    CostRow day = new CostRow("2026-11-03", features, 0, 0, 0, 0, 0, total, BigDecimal.ZERO, BigDecimal.ZERO,
        BigDecimal.ZERO, BigDecimal.ZERO, total);
    CostRow model = new CostRow("anthropic/claude-sonnet-4-5", features, 0, 0, 0, 0, 0, total, BigDecimal.ZERO,
        BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, total);
    return new ReportFigures("2026-11-03..2026-11-03", Optional.of(LocalDate.parse("2026-11-03")),
        Optional.of(LocalDate.parse("2026-11-03")), "USD", "card.yaml", "ab".repeat(32), features, Map.of(), all,
        Optional.empty(), List.of(new ReportFigures.DayModelCost("2026-11-03", model.name(), total)), List.of(day),
        rows, List.of(model), List.of());
  }

  private static int occurrences(String page, String text) {
    return page.split(java.util.regex.Pattern.quote(text), -1).length - 1;
  }

  private static CostRow row(String name, long dollars) {
    BigDecimal cost = BigDecimal.valueOf(dollars);
    return new CostRow(name, 1, 0, 0, 0, 0, 0, cost, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO,
        cost);
  }
}
