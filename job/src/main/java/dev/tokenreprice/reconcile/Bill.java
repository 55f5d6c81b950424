package dev.tokenreprice.reconcile;

import java.math.BigDecimal;
import java.util.List;
import java.util.SortedMap;

/** A provider's bill in canonical form: the billed cost of each day, provider and model, and the files it came from. */
public record Bill(SortedMap<BillKey, BigDecimal> billedCosts, List<BillFile> files) {
  public long linesSkipped() {
    return files.stream().mapToLong(BillFile::linesSkipped).sum();
  }
}
