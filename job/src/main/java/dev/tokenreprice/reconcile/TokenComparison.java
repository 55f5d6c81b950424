package dev.tokenreprice.reconcile;

import java.util.Optional;

/**
 * A day's tokens of one model in the run and in the provider's usage report, and what they say of the cost gap:
 * a wrong price where the tokens agree and the costs do not, different traffic where the tokens differ.
 */
public record TokenComparison(UsageTokens job, UsageTokens billed, Optional<Cause> cause) {
  /** Why a day's cost is off, as the tokens tell it. */
  public enum Cause {
    /** The tokens match and the cost does not: the card's price for that model and day is wrong. */
    PRICE,
    /** The tokens differ: requests are missing from the logs, or were logged twice. */
    TRAFFIC
  }

  static TokenComparison of(UsageTokens job, UsageTokens billed, boolean costMatches) {
    Optional<Cause> cause = !job.equals(billed) ? Optional.of(Cause.TRAFFIC)
        : costMatches ? Optional.empty() : Optional.of(Cause.PRICE);
    return new TokenComparison(job, billed, cause);
  }
}
