package dev.tokenreprice.reconcile;

import java.math.BigDecimal;

/**
 * What a bill file's kept lines come to at list price and as billed, where the bill gives both (Anthropic's
 * analytics cost rows: {@code list_amount} and {@code amount}): the difference is what the discounts are worth.
 */
public record ListPrices(BigDecimal listAmount, BigDecimal billedAmount) {
  public static final ListPrices NONE = new ListPrices(BigDecimal.ZERO, BigDecimal.ZERO);

  public ListPrices plus(BigDecimal list, BigDecimal billed) {
    return new ListPrices(listAmount.add(list), billedAmount.add(billed));
  }

  /** What the discounts are worth: list less billed. */
  public BigDecimal discount() {
    return listAmount.subtract(billedAmount);
  }
}
