package dev.tokenreprice.samples;

import java.util.ArrayList;
import java.util.List;

/**
 * The fifty product features requests are attributed to, with Zipf-like shares: a few features carry most
 * of the traffic and a long tail carries little, as in real usage, so top-N reports have something to rank.
 */
final class FeatureMix {
  static final List<String> NAMED = List.of(
      "support-chat", "code-review", "search-summaries", "email-drafts", "doc-qa",
      "ticket-triage", "meeting-notes", "sql-assistant", "translation", "content-moderation",
      "onboarding-bot", "sales-outreach", "contract-review", "data-extraction", "release-notes",
      "test-generation", "log-analysis", "product-descriptions", "chat-playground", "agent-workflows");
  static final int FEATURE_COUNT = 50;
  /** Zipf exponent: with 50 features the first gets about a quarter of the requests, the last about 0.4%. */
  private static final double ZIPF_EXPONENT = 1.07;

  private FeatureMix() {}

  /** Feature names by rank: the readable ones, then feature-21 .. feature-50. */
  static List<String> names() {
    List<String> names = new ArrayList<>(NAMED);
    for (int rank = NAMED.size() + 1; rank <= FEATURE_COUNT; rank++) {
      names.add("feature-" + rank);
    }
    return List.copyOf(names);
  }

  static List<Double> shares() {
    List<Double> shares = new ArrayList<>();
    for (int rank = 1; rank <= FEATURE_COUNT; rank++) {
      shares.add(1.0 / Math.pow(rank, ZIPF_EXPONENT));
    }
    return List.copyOf(shares);
  }
}
