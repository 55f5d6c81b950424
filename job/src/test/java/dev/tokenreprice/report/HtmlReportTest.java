package dev.tokenreprice.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenreprice.testing.JobRun;
import dev.tokenreprice.testing.TestCards;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** report.html through the whole job: its figures are the totals', to the cent, and it prints only text. */
class HtmlReportTest {
  private static final String SCRIPT = "<script>alert(1)</script>";
  private static final String LINE =
      "{\"timestamp\":\"%sT10:00:00Z\",\"feature\":\"%s\",\"model\":\"%s\",\"input_tokens\":%d,\"output_tokens\":%d}";

  @TempDir
  Path dir;
  private Path card;
  private Path logs;
  private Path out;

  @BeforeEach
  void files() throws IOException {
    card = Files.writeString(dir.resolve("card.yaml"), TestCards.SMALL_CARD);
    logs = Files.createDirectories(dir.resolve("logs"));
    out = dir.resolve("out");
  }

  @Test
  void theTablesShowTheTotalsToTheCentAndAFeatureNamedLikeMarkupIsText() throws IOException {
    writeLogs("2026-11-03",
        // sonnet-4-5 at 3 and 15 per million: 0.45 + 0.30 = 0.75
        LINE.formatted("2026-11-03", "chat", "claude-sonnet-4-5", 150000, 20000),
        // opus-4-6 at 5 and 25 per million: 0.50 + 0.25 = 0.75
        LINE.formatted("2026-11-03", "chat", "claude-opus-4-6", 100000, 10000),
        // 25000 x 5 per million = 0.125: half up to 0.13 (half even would print 0.12)
        LINE.formatted("2026-11-03", "batch-jobs", "claude-opus-4-6", 25000, 0),
        // 0.003 + 0.0015 = 0.0045
        LINE.formatted("2026-11-03", SCRIPT, "claude-sonnet-4-5", 1000, 100));
    JobRun run = JobRun.of(args("--scenarios", "batch"));
    assertEquals(0, run.status(), run.err());
    String page = report();

    assertEquals("1.63 USD", cellById(page, "total-cost"), "0.75 + 0.75 + 0.125 + 0.0045 = 1.6295");
    assertEquals("4", cellById(page, "requests"));
    assertEquals(List.of("1.50", "0.13"), List.of(featureCost(page, "chat"), featureCost(page, "batch-jobs")));
    // model table: requests, input, output, cache write, cache read, web searches, tools, total
    assertEquals(List.of("2", "0.63", "0.25", "0.00", "0.00", "0", "0.00", "0.88"),
        numbers(page, "model-table", "anthropic/claude-opus-4-6"));
    // 0.45 + 0.003 = 0.453, 0.30 + 0.0015 = 0.3015
    assertEquals(List.of("2", "0.45", "0.30", "0.00", "0.00", "0", "0.00", "0.75"),
        numbers(page, "model-table", "anthropic/claude-sonnet-4-5"));
    // batch halves every cost: 0.81475, delta -0.81475
    assertEquals(List.of("4", "1.63", "0.81", "-0.81", "-50.00", "0"), numbers(page, "scenario-table", "batch"));
    assertEquals("0.00", featureCost(page, SCRIPT));

    // Every feature and day of totals.csv, against the page.
    for (String line : Files.readAllLines(out.resolve("totals.csv")).subList(1, 5)) { // day, 3 features
      String[] cells = line.split(",", -1);
      String cents = new BigDecimal(cells[cells.length - 1]).setScale(2, RoundingMode.HALF_UP).toPlainString();
      if (cells[0].equals("feature")) {
        assertEquals(cents, featureCost(page, cells[2]), line);
      } else if (cells[0].equals("day")) {
        assertEquals(cents, numbers(page, "days", cells[1]).get(2), line);
      }
    }
    assertEquals(new ObjectMapper().readTree(out.resolve("manifest.json").toFile()).at("/rate_card/sha256").asText(),
        cellById(page, "rate-card-sha256"));
    assertTrue(page.contains("<svg"), "charts are inline SVG");
    assertTrue(new ObjectMapper().readTree(out.resolve("manifest.json").toFile()).get("outputs").toString()
        .contains("\"report.html\""));

    assertFalse(page.toLowerCase().contains("<script"), "no script element, from the logs (in tables and charts) or ours");
    assertTrue(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "the name is printed as text");
    // Self-contained: nothing loaded from a network or another file; the one link is the quarantine folder.
    Matcher references = Pattern.compile("(?:src|href)\\s*=\\s*\"([^\"]*)\"").matcher(page);
    while (references.find()) {
      assertEquals("quarantine/", references.group(1));
    }
    assertFalse(page.contains("<link") || page.contains("@import") || page.contains("url(http"));
  }

  @Test
  void aRunWithNoPricedRowsSaysSoInsteadOfDrawingEmptyCharts() throws IOException {
    writeLogs("2026-11-03", LINE.formatted("2026-11-03", "chat", "claude-imaginary-9", 1000, 100));
    JobRun run = JobRun.of(args("--scenarios", "batch"));
    assertEquals(0, run.status(), run.err());
    String page = report();
    assertTrue(page.contains("id=\"no-priced-rows\""), page);
    assertTrue(page.contains("Every row read was quarantined"));
    assertFalse(page.contains("<svg"));
    assertEquals("0.00 USD", cellById(page, "total-cost"));
    assertTrue(page.contains("UNKNOWN_MODEL: 1"));
  }

  @Test
  void theChangeIsAgainstThePreviousDaysAnEarlierRunPublishedHereAndNoReportRemovesThePage() throws IOException {
    writeLogs("2026-11-03", LINE.formatted("2026-11-03", "chat", "claude-sonnet-4-5", 100000, 0)); // 0.30
    writeLogs("2026-11-04", LINE.formatted("2026-11-04", "chat", "claude-sonnet-4-5", 150000, 0)); // 0.45
    assertEquals(0, JobRun.of(args("--from", "2026-11-03", "--to", "2026-11-03", "--scenarios", "none")).status());
    assertTrue(report().contains("no earlier period"));
    JobRun second = JobRun.of(args("--from", "2026-11-04", "--to", "2026-11-04", "--scenarios", "none"));
    assertEquals(0, second.status(), second.err());
    String page = report();
    // 0.45 - 0.30 = +0.15, +50.0% of 0.30
    assertEquals("+0.15 (+50.0%)", cellById(page, "change"));
    assertTrue(page.contains("against 2026-11-03..2026-11-03 (0.30)"), page);
    assertTrue(second.err().contains("reprice: reading and pricing 2026-11-04..2026-11-04: 1 row, "), second.err());

    // --no-report removes the earlier page; --quiet prints no stage lines.
    JobRun quiet = JobRun.of(args("--from", "2026-11-03", "--to", "2026-11-03", "--scenarios", "none", "--no-report", "--quiet"));
    assertEquals(0, quiet.status(), quiet.err());
    assertFalse(Files.exists(out.resolve("report.html")));
    assertEquals("", quiet.err());
    assertTrue(quiet.out().contains("total cost: 0.30 USD"), quiet.out());
  }

  private String report() throws IOException {
    return Files.readString(out.resolve("report.html"), StandardCharsets.UTF_8);
  }

  /** The text of the element with this id. */
  private static String cellById(String page, String id) {
    Matcher cell = Pattern.compile("id=\"" + id + "\"[^>]*>(.*?)</").matcher(page);
    assertTrue(cell.find(), id);
    return cell.group(1).replaceAll("<[^>]*>", "").strip();
  }

  private static String featureCost(String page, String feature) {
    return numbers(page, "feature-table", feature).get(2);
  }

  /** The number cells of the row named {@code name} in the table {@code id}, thousands separators removed. */
  private static List<String> numbers(String page, String id, String name) {
    int start = page.indexOf("<table id=\"" + id + "\"");
    assertTrue(start >= 0, id);
    String table = page.substring(start, page.indexOf("</table>", start));
    Matcher row = Pattern.compile("<tr><td>" + Pattern.quote(HtmlReport.text(name)) + "</td>(.*?)</tr>").matcher(table);
    assertTrue(row.find(), name + " in " + table);
    List<String> cells = new ArrayList<>();
    Matcher cell = Pattern.compile("<td class=\"num\">([^<]*)</td>").matcher(row.group(1));
    while (cell.find()) {
      cells.add(cell.group(1).replace(",", ""));
    }
    return cells;
  }

  private String[] args(String... more) {
    return Stream.concat(Stream.of("--input", logs.toString(), "--rate-card", card.toString(), "--out", out.toString()),
        Stream.of(more)).toArray(String[]::new);
  }

  private void writeLogs(String name, String... lines) throws IOException {
    Files.write(logs.resolve(name + ".jsonl"), List.of(lines), StandardCharsets.UTF_8);
  }
}
