package dev.tokenreprice.validate;

/**
 * Values of the {@link #COLUMN} validation adds: {@link #PRICED}, {@link #OUTSIDE_PERIOD}, the name
 * of a {@link QuarantineReason}, or the name of a {@link dev.tokenreprice.input.SkipReason} for records
 * that are not requests. Every row read gets exactly one, which is how the job proves that rows
 * read equal rows priced plus rows quarantined.
 */
public final class RowStatus {
  public static final String COLUMN = "row_status";
  public static final String PRICED = "PRICED";
  /** Outside {@code --from}/{@code --to}: not this run's business, neither priced nor quarantined. */
  public static final String OUTSIDE_PERIOD = "OUTSIDE_PERIOD";
  /**
   * A row the rate card's price lookup found nothing for, before {@link UnresolvedPrices} says why: an unknown
   * model, no rate in force that day, or option values the rate does not price. The pass over the logs keeps such a
   * row's record, like a quarantined row's; the reason is worked out once per distinct key after it.
   */
  public static final String UNRESOLVED_PRICE = "UNRESOLVED_PRICE";

  private RowStatus() {}
}
