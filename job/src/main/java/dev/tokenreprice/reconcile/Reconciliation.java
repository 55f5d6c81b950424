package dev.tokenreprice.reconcile;

import dev.tokenreprice.cli.Period;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Row;

/**
 * The run's daily cost per model against the bill's, over the run's period: {@code --from} (else the first day
 * the run priced) to {@code --to} (else the last). Bill lines of days outside it are ignored, since the run
 * cannot have priced them. Costs are compared exactly: a line matches when {@code |delta| <= tolerance% x
 * billed_cost}.
 */
public record Reconciliation(List<ReconciliationLine> lines, BigDecimal tolerancePercent, long billLinesOutsidePeriod,
    Bill bill) {
  public static final String DAY = "day";
  public static final String PROVIDER = "provider";
  public static final String MODEL = "model";
  public static final String JOB_COST = "job_cost";
  public static final String BILLED_COST = "billed_cost";
  public static final String DELTA = "delta";
  public static final String DELTA_PCT = "delta_pct";
  public static final String STATUS = "status";
  /** The columns of reconciliation.csv, in order. */
  public static final List<String> COLUMNS =
      List.of(DAY, PROVIDER, MODEL, JOB_COST, BILLED_COST, DELTA, DELTA_PCT, STATUS);
  /** The columns a usage report beside the bill adds: each side's tokens by kind, and the cause of a gap. */
  public static final List<String> TOKEN_COLUMNS = List.of("job_input_tokens", "job_output_tokens",
      "job_cache_write_5m_tokens", "job_cache_write_1h_tokens", "job_cache_read_tokens", "billed_input_tokens",
      "billed_output_tokens", "billed_cache_write_5m_tokens", "billed_cache_write_1h_tokens",
      "billed_cache_read_tokens", "cause");
  private static final int PCT_SCALE = 2;
  private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

  /** Compares the run's costs by day, provider and model with the bill's; lines come sorted by day, provider, model. */
  public static Reconciliation of(SortedMap<BillKey, BigDecimal> jobCosts, Bill bill, Period period,
      BigDecimal tolerancePercent) {
    return of(jobCosts, new TreeMap<>(), bill, period, tolerancePercent);
  }

  /**
   * The same, with the run's tokens by day, provider and model: where a usage report came with the bill, each
   * line of a provider it covers compares the tokens too and names the cause of a gap.
   */
  public static Reconciliation of(SortedMap<BillKey, BigDecimal> jobCosts, SortedMap<BillKey, UsageTokens> jobTokens,
      Bill bill, Period period, BigDecimal tolerancePercent) {
    Optional<LocalDate> first = period.from().or(() -> jobCosts.isEmpty() ? Optional.empty()
        : Optional.of(jobCosts.firstKey().day()));
    Optional<LocalDate> last = period.to().or(() -> jobCosts.isEmpty() ? Optional.empty()
        : Optional.of(jobCosts.lastKey().day()));
    TreeSet<BillKey> keys = new TreeSet<>(jobCosts.keySet());
    long outside = 0;
    for (BillKey key : bill.billedCosts().keySet()) {
      boolean inPeriod = first.map(day -> !key.day().isBefore(day)).orElse(true)
          && last.map(day -> !key.day().isAfter(day)).orElse(true);
      if (inPeriod) {
        keys.add(key);
      } else {
        outside++;
      }
    }
    List<ReconciliationLine> lines = new ArrayList<>();
    Set<String> billed = bill.providersBilled();
    Set<String> withTokens = bill.providersWithTokens();
    for (BillKey key : keys) {
      ReconciliationLine line = line(key, Optional.ofNullable(jobCosts.get(key)),
          Optional.ofNullable(bill.billedCosts().get(key)), tolerancePercent);
      // A bill for one provider says nothing of another's costs: they are no gap.
      if (!billed.contains(key.provider())) {
        line = line.withStatus(ReconciliationStatus.NOT_BILLED);
      } else if (withTokens.contains(key.provider()) && !key.model().equals(BillKey.TOOL_FEES)
          && (jobTokens.containsKey(key) || bill.usageTokens().containsKey(key))) {
        // A line that counts tokens on neither side (OpenAI's file search, storage) has no token cause.
        line = line.withTokens(TokenComparison.of(jobTokens.getOrDefault(key, UsageTokens.NONE),
            bill.usageTokens().getOrDefault(key, UsageTokens.NONE), line.matches()));
      }
      lines.add(line);
    }
    return new Reconciliation(List.copyOf(lines), tolerancePercent, outside, bill);
  }

  static ReconciliationLine line(BillKey key, Optional<BigDecimal> job, Optional<BigDecimal> billed,
      BigDecimal tolerancePercent) {
    BigDecimal jobCost = job.orElse(BigDecimal.ZERO);
    BigDecimal billedCost = billed.orElse(BigDecimal.ZERO);
    BigDecimal delta = jobCost.subtract(billedCost);
    Optional<BigDecimal> deltaPct = billedCost.signum() == 0 ? Optional.empty()
        : Optional.of(delta.multiply(HUNDRED).divide(billedCost.abs(), PCT_SCALE, RoundingMode.HALF_UP));
    return new ReconciliationLine(key, job, billed, delta, deltaPct, status(job, billed, delta, tolerancePercent));
  }

  private static ReconciliationStatus status(Optional<BigDecimal> job, Optional<BigDecimal> billed, BigDecimal delta,
      BigDecimal tolerancePercent) {
    // A side that is missing, facing a zero on the other, is nothing to bill and nothing billed.
    if (delta.signum() == 0) {
      return ReconciliationStatus.MATCH;
    }
    if (billed.isEmpty()) {
      return ReconciliationStatus.MISSING_IN_BILL;
    }
    if (job.isEmpty()) {
      return ReconciliationStatus.MISSING_IN_LOGS;
    }
    boolean within = delta.abs().multiply(HUNDRED).compareTo(tolerancePercent.multiply(billed.get().abs())) <= 0;
    if (within) {
      return ReconciliationStatus.MATCH;
    }
    return delta.signum() > 0 ? ReconciliationStatus.OVER : ReconciliationStatus.UNDER;
  }

  /** The columns of this reconciliation's CSV: the token columns too where a usage report came with the bill. */
  public List<String> columns() {
    if (!bill.hasUsageReport()) {
      return COLUMNS;
    }
    List<String> all = new ArrayList<>(COLUMNS);
    all.addAll(TOKEN_COLUMNS);
    return List.copyOf(all);
  }

  /** The lines as CSV rows in the order of {@link #columns()}. */
  public Iterator<Row> rows() {
    return lines.stream().map(line -> bill.hasUsageReport() ? line.toRowWithTokens() : line.toRow()).iterator();
  }

  /** The models some line of which has a cost gap the tokens put down to the price, in order. */
  public List<String> modelsPricedWrong() {
    return lines.stream().filter(line -> line.tokens().flatMap(TokenComparison::cause)
            .filter(TokenComparison.Cause.PRICE::equals).isPresent())
        .map(line -> line.key().providerModel()).distinct().sorted().toList();
  }

  /** The run's cost over the compared days, of the providers a bill covers. */
  public BigDecimal jobTotal() {
    return lines.stream().filter(ReconciliationLine::compared).flatMap(line -> line.jobCost().stream())
        .reduce(BigDecimal.ZERO, BigDecimal::add);
  }

  /** The bill's cost over the compared days. */
  public BigDecimal billedTotal() {
    return lines.stream().flatMap(line -> line.billedCost().stream()).reduce(BigDecimal.ZERO, BigDecimal::add);
  }

  /** Whether every line of the period that a bill covers matches it. */
  public boolean allMatch() {
    return lines.stream().filter(ReconciliationLine::compared).allMatch(ReconciliationLine::matches);
  }
}
