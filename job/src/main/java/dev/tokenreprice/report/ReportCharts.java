package dev.tokenreprice.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.awt.geom.Rectangle2D;
import java.math.BigDecimal;
import java.text.DecimalFormat;
import java.util.List;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.ViewBox;

/**
 * The report's charts, drawn by JFreeChart into SVG by JFreeSVG, as inline {@code <svg>} elements. They
 * only draw: every figure a reader can check is printed in the tables from the exact decimals. The datasets
 * hold those decimals as they are ({@link BigDecimal} is a {@link Number}); only JFreeChart, placing bars in
 * pixels, reads them as floating point.
 */
final class ReportCharts {
  static {
    // No display on a cluster driver or a CI machine: AWT must not look for one.
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  static final int WIDTH = 1000;
  private static final String FONT = "SansSerif";
  private static final Paint[] TOKEN_KIND_COLORS = {
      new Color(0x4e79a7), new Color(0xf28e2b), new Color(0xe15759), new Color(0x59a14f), new Color(0xb07aa1)};
  private static final Paint[] SERIES_COLORS = {
      new Color(0x4e79a7), new Color(0xf28e2b), new Color(0xe15759), new Color(0x76b7b2), new Color(0x59a14f),
      new Color(0xedc948), new Color(0xb07aa1), new Color(0xff9da7), new Color(0x9c755f), new Color(0xbab0ac),
      new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0x9467bd), new Color(0x8c564b),
      new Color(0x17becf), new Color(0xbcbd22), new Color(0x7f7f7f)};

  private ReportCharts() {}

  static String dailyCostByModel(List<ReportFigures.DayModelCost> costs, List<String> days, String currency) {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    for (String day : days) {
      // Every day is a column, also one without cost, so the time axis has no holes.
      data.addValue(null, costs.isEmpty() ? "" : costs.get(0).model(), shortDay(day));
    }
    for (ReportFigures.DayModelCost cost : costs) {
      data.addValue(cost.cost(), cost.model(), shortDay(cost.day()));
    }
    JFreeChart chart = ChartFactory.createStackedBarChart(null, null, currency, data, PlotOrientation.VERTICAL,
        true, false, false);
    style(chart, SERIES_COLORS);
    CategoryAxis dayAxis = chart.getCategoryPlot().getDomainAxis();
    if (days.size() > 14) {
      dayAxis.setCategoryLabelPositions(CategoryLabelPositions.UP_90);
    }
    dayAxis.setCategoryMargin(0.15);
    int legendRows = (data.getRowCount() + 4) / 5;
    return svg(chart, WIDTH, 380 + 20 * legendRows, "daily");
  }

  /** Horizontal bars, largest first: one per category. */
  static String bars(List<String> names, List<BigDecimal> values, String valueLabel, String id) {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    for (int i = 0; i < names.size(); i++) {
      data.addValue(values.get(i), valueLabel, names.get(i));
    }
    JFreeChart chart = ChartFactory.createBarChart(null, null, valueLabel, data, PlotOrientation.HORIZONTAL,
        false, false, false);
    style(chart, SERIES_COLORS);
    return svg(chart, WIDTH, 70 + 24 * names.size(), id);
  }

  /** Per model, its cost split into input, output, cache writes, cache reads and per-use fees (tools). */
  static String costByTokenKind(List<CostRow> models, String currency) {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    for (CostRow model : models) {
      data.addValue(model.inputCost(), "input", model.name());
      data.addValue(model.outputCost(), "output", model.name());
      data.addValue(model.cacheWriteCost(), "cache write", model.name());
      data.addValue(model.cacheReadCost(), "cache read", model.name());
      data.addValue(model.toolCost(), "tools", model.name());
    }
    JFreeChart chart = ChartFactory.createStackedBarChart(null, null, currency, data, PlotOrientation.HORIZONTAL,
        true, false, false);
    style(chart, TOKEN_KIND_COLORS);
    return svg(chart, WIDTH, 100 + 26 * models.size(), "token-kinds");
  }

  private static void style(JFreeChart chart, Paint[] colors) {
    chart.setBackgroundPaint(Color.WHITE);
    chart.setAntiAlias(true);
    CategoryPlot plot = chart.getCategoryPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setOutlineVisible(false);
    plot.setRangeGridlinePaint(new Color(0xd0d0d0));
    plot.setRangeGridlineStroke(new BasicStroke(0.5f));
    Font tickFont = new Font(FONT, Font.PLAIN, 11);
    Font labelFont = new Font(FONT, Font.PLAIN, 12);
    plot.getDomainAxis().setTickLabelFont(tickFont);
    plot.getDomainAxis().setMaximumCategoryLabelWidthRatio(0.4f);
    NumberAxis range = (NumberAxis) plot.getRangeAxis();
    range.setTickLabelFont(tickFont);
    range.setLabelFont(labelFont);
    range.setNumberFormatOverride(new DecimalFormat("#,##0.##"));
    BarRenderer renderer = (BarRenderer) plot.getRenderer();
    renderer.setBarPainter(new StandardBarPainter());
    renderer.setShadowVisible(false);
    renderer.setDrawBarOutline(false);
    renderer.setMaximumBarWidth(0.08);
    for (int series = 0; series < colors.length; series++) {
      renderer.setSeriesPaint(series, colors[series]);
    }
    LegendTitle legend = chart.getLegend();
    if (legend != null) {
      legend.setItemFont(tickFont);
      legend.setPosition(RectangleEdge.BOTTOM);
      legend.setFrame(org.jfree.chart.block.BlockBorder.NONE);
    }
  }

  private static String svg(JFreeChart chart, int width, int height, String id) {
    SVGGraphics2D g2 = new SVGGraphics2D(width, height);
    // Several charts share one page: their clip paths and gradients need ids of their own.
    g2.setDefsKeyPrefix(id + "-");
    chart.draw(g2, new Rectangle2D.Double(0, 0, width, height));
    // A view box and no fixed size: the chart scales to the page's width, on a laptop and on paper.
    return g2.getSVGElement("chart-" + id, false, new ViewBox(0, 0, width, height), null, null);
  }

  /** {@code 2026-11-03} as {@code 11-03}: the period above the chart gives the year. */
  private static String shortDay(String day) {
    return day.length() == 10 ? day.substring(5) : day;
  }
}
