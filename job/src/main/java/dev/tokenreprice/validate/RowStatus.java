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

  private RowStatus() {}
}
