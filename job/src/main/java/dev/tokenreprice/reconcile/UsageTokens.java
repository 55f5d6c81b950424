package dev.tokenreprice.reconcile;

/**
 * One day's tokens of one model, by kind, as the Anthropic Usage API reports them and the rollup sums them:
 * uncached input, output, 5-minute and 1-hour cache writes, cache reads.
 */
public record UsageTokens(long input, long output, long cacheWrite5m, long cacheWrite1h, long cacheRead) {
  public static final UsageTokens NONE = new UsageTokens(0, 0, 0, 0, 0);

  public UsageTokens plus(UsageTokens other) {
    return new UsageTokens(input + other.input, output + other.output, cacheWrite5m + other.cacheWrite5m,
        cacheWrite1h + other.cacheWrite1h, cacheRead + other.cacheRead);
  }

  /** The counts in the order of the reconciliation's token columns. */
  public Object[] counts() {
    return new Object[] {input, output, cacheWrite5m, cacheWrite1h, cacheRead};
  }
}
