package dev.tokenreprice.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenreprice.cli.Period;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The comparison of the run's costs with the bill, with every figure worked out by hand. */
class ReconciliationTest {
  private static final LocalDate NOV_2 = LocalDate.parse("2026-11-02");
  private static final LocalDate NOV_3 = LocalDate.parse("2026-11-03");
  private static final LocalDate NOV_4 = LocalDate.parse("2026-11-04");
  private static final BigDecimal HALF_PERCENT = new BigDecimal("0.5");

  @Test
  void everyStatusWithItsDeltaAndPercentage() {
    SortedMap<BillKey, BigDecimal> job = costs(
        key(NOV_3, "sonnet"), "200.000000000000",  // bill 199: delta 1.00 = 0.50...% of 199 > 0.5%: OVER
        key(NOV_3, "opus"), "100.000000000000",    // bill 100.50: delta -0.50 = -0.4975% of 100.50: MATCH
        key(NOV_3, "haiku"), "10.000000000000",    // bill 10.10: delta -0.10 = -0.99%: UNDER
        key(NOV_4, "sonnet"), "5.000000000000");   // not on the bill: MISSING_IN_BILL
    SortedMap<BillKey, BigDecimal> billed = costs(
        key(NOV_3, "sonnet"), "199",
        key(NOV_3, "opus"), "100.50",
        key(NOV_3, "haiku"), "10.10",
        key(NOV_4, "gpt"), "2.5");                 // not in the logs: MISSING_IN_LOGS
    List<String> lines = render(Reconciliation.of(job, bill(billed), Period.ALL_DAYS, HALF_PERCENT));
    assertEquals(List.of(
        "2026-11-03,anthropic,haiku,10.000000000000,10.10,-0.100000000000,-0.99,UNDER",
        "2026-11-03,anthropic,opus,100.000000000000,100.50,-0.500000000000,-0.50,MATCH",
        "2026-11-03,anthropic,sonnet,200.000000000000,199,1.000000000000,0.50,OVER",
        "2026-11-04,anthropic,gpt,,2.5,-2.5,-100.00,MISSING_IN_LOGS",
        "2026-11-04,anthropic,sonnet,5.000000000000,,5.000000000000,,MISSING_IN_BILL"), lines);
  }

  @Test
  void costsOfAProviderNoBillFileCoversAreNotBilledNotGaps() {
    SortedMap<BillKey, BigDecimal> job = costs(
        key(NOV_3, "sonnet"), "1.00",
        new BillKey(NOV_3, "openai", "gpt-5.4"), "7.00");
    Bill anthropicBill = new Bill(costs(key(NOV_3, "sonnet"), "1.00"),
        List.of(new BillFile("cost.json", BillForm.COST_API, 1, 0, java.util.Set.of("anthropic"))));
    Reconciliation reconciliation = Reconciliation.of(job, anthropicBill, Period.ALL_DAYS, HALF_PERCENT);
    assertEquals(List.of(
        "2026-11-03,anthropic,sonnet,1.00,1.00,0.00,0.00,MATCH",
        "2026-11-03,openai,gpt-5.4,7.00,,7.00,,NOT_BILLED"), render(reconciliation));
    assertTrue(reconciliation.allMatch(), "a cost no bill covers is no gap");
    assertEquals(new BigDecimal("1.00"), reconciliation.jobTotal(), "nor part of the compared cost");
  }

  @Test
  void aUsageReportBesideTheBillTellsAWrongPriceFromMissingTraffic() {
    SortedMap<BillKey, BigDecimal> job = costs(
        key(NOV_3, "sonnet"), "1.00",   // the same cost and tokens: MATCH, no cause
        key(NOV_3, "opus"), "2.00",     // the same tokens, a lower cost: the card's price is wrong
        key(NOV_3, "haiku"), "0.50");   // fewer tokens: requests missing from the logs
    SortedMap<BillKey, UsageTokens> jobTokens = new TreeMap<>();
    jobTokens.put(key(NOV_3, "sonnet"), new UsageTokens(1000, 100, 0, 0, 5000));
    jobTokens.put(key(NOV_3, "opus"), new UsageTokens(2000, 200, 10, 0, 0));
    jobTokens.put(key(NOV_3, "haiku"), new UsageTokens(1000, 50, 0, 0, 0));
    SortedMap<BillKey, UsageTokens> reported = new TreeMap<>(jobTokens);
    reported.put(key(NOV_3, "haiku"), new UsageTokens(1200, 60, 0, 0, 0));
    Bill bill = new Bill(costs(key(NOV_3, "sonnet"), "1.00", key(NOV_3, "opus"), "2.50", key(NOV_3, "haiku"), "0.60"),
        List.of(new BillFile("cost.json", BillForm.COST_API, 3, 0, java.util.Set.of("anthropic")),
            new BillFile("usage.json", BillForm.USAGE_REPORT, 3, 0, java.util.Set.of())),
        java.util.Set.of(), reported);
    Reconciliation reconciliation = Reconciliation.of(job, jobTokens, bill, Period.ALL_DAYS, HALF_PERCENT);
    assertEquals(List.of("day", "provider", "model", "job_cost", "billed_cost", "delta", "delta_pct", "status",
        "job_input_tokens", "job_output_tokens", "job_cache_write_5m_tokens", "job_cache_write_1h_tokens",
        "job_cache_read_tokens", "billed_input_tokens", "billed_output_tokens", "billed_cache_write_5m_tokens",
        "billed_cache_write_1h_tokens", "billed_cache_read_tokens", "cause"), reconciliation.columns());
    List<String> rows = new java.util.ArrayList<>();
    reconciliation.rows().forEachRemaining(row -> {
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < row.length(); i++) {
        text.append(i > 0 ? "," : "").append(dev.tokenreprice.output.CsvFile.field(row.get(i)));
      }
      rows.add(text.toString());
    });
    assertEquals(List.of(
        "2026-11-03,anthropic,haiku,0.50,0.60,-0.10,-16.67,UNDER,1000,50,0,0,0,1200,60,0,0,0,TRAFFIC",
        "2026-11-03,anthropic,opus,2.00,2.50,-0.50,-20.00,UNDER,2000,200,10,0,0,2000,200,10,0,0,PRICE",
        "2026-11-03,anthropic,sonnet,1.00,1.00,0.00,0.00,MATCH,1000,100,0,0,5000,1000,100,0,0,5000,"), rows);
    assertEquals(List.of("anthropic/opus"), reconciliation.modelsPricedWrong());
  }

  @Test
  void theToleranceIsInclusiveAndExact() {
    // 0.5% of 200 is exactly 1: a delta of 1 matches, a delta a millionth of a cent more does not.
    assertEquals(ReconciliationStatus.MATCH, status("201", "200", HALF_PERCENT));
    assertEquals(ReconciliationStatus.OVER, status("201.00000001", "200", HALF_PERCENT));
    assertEquals(ReconciliationStatus.UNDER, status("198.99999999", "200", HALF_PERCENT));
    assertEquals(ReconciliationStatus.OVER, status("200.01", "200", BigDecimal.ZERO));
    assertEquals(ReconciliationStatus.MATCH, status("250", "200", new BigDecimal("25")));
  }

  @Test
  void zeroAgainstZeroMatchesAndAZeroBillHasNoPercentage() {
    ReconciliationLine both = Reconciliation.line(key(NOV_3, "m"), Optional.of(BigDecimal.ZERO),
        Optional.of(new BigDecimal("0.00")), HALF_PERCENT);
    assertEquals(ReconciliationStatus.MATCH, both.status());
    assertEquals(Optional.empty(), both.deltaPct());
    ReconciliationLine zeroBill = Reconciliation.line(key(NOV_3, "m"), Optional.of(new BigDecimal("0.01")),
        Optional.of(BigDecimal.ZERO), HALF_PERCENT);
    assertEquals(ReconciliationStatus.OVER, zeroBill.status());
    assertEquals(Optional.empty(), zeroBill.deltaPct());
    // A zero-cost day in the logs that the bill leaves out is nothing billed and nothing to bill.
    assertEquals(ReconciliationStatus.MATCH, Reconciliation.line(key(NOV_3, "m"), Optional.of(BigDecimal.ZERO),
        Optional.empty(), HALF_PERCENT).status());
  }

  @Test
  void billDaysOutsideTheRunsPeriodAreIgnoredNotMissingInLogs() {
    SortedMap<BillKey, BigDecimal> job = costs(key(NOV_3, "m"), "1");
    SortedMap<BillKey, BigDecimal> billed = costs(key(NOV_2, "m"), "1", key(NOV_3, "m"), "1", key(NOV_4, "m"), "1");
    // Without --from/--to the period is the days the run priced: only Nov 3.
    Reconciliation open = Reconciliation.of(job, bill(billed), Period.ALL_DAYS, HALF_PERCENT);
    assertEquals(List.of("2026-11-03,anthropic,m,1,1,0,0.00,MATCH"), render(open));
    assertEquals(2, open.billLinesOutsidePeriod());
    assertTrue(open.allMatch());
    // With --to Nov 4, the bill's Nov 4 is a day the run covered and found nothing.
    Reconciliation toNov4 = Reconciliation.of(job, bill(billed), new Period(Optional.empty(), Optional.of(NOV_4)),
        HALF_PERCENT);
    assertEquals(List.of("2026-11-03,anthropic,m,1,1,0,0.00,MATCH", "2026-11-04,anthropic,m,,1,-1,-100.00,MISSING_IN_LOGS"),
        render(toNov4));
    assertFalse(toNov4.allMatch());
  }

  private static ReconciliationStatus status(String job, String billed, BigDecimal tolerance) {
    return Reconciliation.line(key(NOV_3, "m"), Optional.of(new BigDecimal(job)), Optional.of(new BigDecimal(billed)),
        tolerance).status();
  }

  private static List<String> render(Reconciliation reconciliation) {
    return reconciliation.lines().stream().map(line -> {
      StringBuilder text = new StringBuilder();
      var row = line.toRow();
      for (int i = 0; i < row.length(); i++) {
        text.append(i > 0 ? "," : "").append(dev.tokenreprice.output.CsvFile.field(row.get(i)));
      }
      return text.toString();
    }).toList();
  }

  private static Bill bill(SortedMap<BillKey, BigDecimal> costs) {
    return new Bill(costs, List.of());
  }

  private static SortedMap<BillKey, BigDecimal> costs(Object... keysAndCosts) {
    SortedMap<BillKey, BigDecimal> costs = new TreeMap<>();
    for (int i = 0; i < keysAndCosts.length; i += 2) {
      costs.put((BillKey) keysAndCosts[i], new BigDecimal((String) keysAndCosts[i + 1]));
    }
    return costs;
  }

  private static BillKey key(LocalDate day, String model) {
    return new BillKey(day, "anthropic", model);
  }
}
