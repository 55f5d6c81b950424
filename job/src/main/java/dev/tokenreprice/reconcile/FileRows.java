package dev.tokenreprice.reconcile;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * What one reader made of one bill file: its form, its cost lines in canonical form, how many lines it left out as no
 * model's token cost, and (Cost API only) the days of its buckets, so a bucket saved twice is found.
 */
record FileRows(BillForm form, List<BillRow> rows, long linesSkipped, List<LocalDate> buckets,
    Map<BillKey, UsageTokens> usage, long usageLines, java.util.Optional<ListPrices> listPrices) {
  /** A file that gives no list price. */
  FileRows(BillForm form, List<BillRow> rows, long linesSkipped, List<LocalDate> buckets,
      Map<BillKey, UsageTokens> usage, long usageLines) {
    this(form, rows, linesSkipped, buckets, usage, usageLines, java.util.Optional.empty());
  }

  /** A cost bill's file, which reports no tokens. */
  FileRows(BillForm form, List<BillRow> rows, long linesSkipped, List<LocalDate> buckets) {
    this(form, rows, linesSkipped, buckets, Map.of(), 0, java.util.Optional.empty());
  }
}
