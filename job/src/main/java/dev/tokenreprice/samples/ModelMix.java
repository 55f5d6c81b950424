package dev.tokenreprice.samples;

import java.util.Comparator;
import java.util.List;

/**
 * The fifteen models of the synthetic traffic and their shares, with the facts of conf/rate-card.yaml they
 * rely on (first rate, fast mode, US inference, long-prompt tier, OpenAI tiers). When the card changes
 * one of these facts, change it here too, or good rows may be quarantined.
 */
final class ModelMix {
  static final String ANTHROPIC = "anthropic";
  static final String OPENAI = "openai";

  /** Shares are percentages; heaviest first, which is also the order the model CASE tests them in. */
  static final List<ModelProfile> MODELS = List.of(
      // Long prompts above 200,000 tokens: the card's long_prompt tier of claude-sonnet-4-5.
      ModelProfile.anthropic("claude-sonnet-4-5", 14, "2025-09-29")
          .withAlias("claude-sonnet-4-5-20250929").withLongPromptAbove(200_000),
      ModelProfile.anthropic("claude-sonnet-4-6", 12, "2026-02-17").withUsInference(),
      ModelProfile.anthropic("claude-haiku-4-5", 10, "2025-10-01"),
      ModelProfile.openai("gpt-5.5", 9, "2026-04-23", "priority", "flex"),
      ModelProfile.anthropic("claude-sonnet-5", 8, "2026-06-30").withUsInference(),
      ModelProfile.openai("gpt-5.4-mini", 8, "2026-03-17", "flex"),
      ModelProfile.anthropic("claude-opus-4-6", 7, "2026-02-05").withFastMode().withUsInference(),
      ModelProfile.anthropic("claude-sonnet-5-5", 6, "2026-09-28").withUsInference(),
      // Long prompts above 100,000 tokens: the card's long_prompt tier of claude-haiku-5-5.
      ModelProfile.anthropic("claude-haiku-5-5", 6, "2026-10-07").withUsInference().withLongPromptAbove(100_000),
      ModelProfile.anthropic("claude-opus-4-7", 5, "2026-04-15").withFastMode().withUsInference(),
      ModelProfile.anthropic("claude-opus-4-8", 4, "2026-05-28").withFastMode().withUsInference(),
      ModelProfile.anthropic("claude-opus-5", 3, "2026-07-24").withUsInference(),
      ModelProfile.anthropic("claude-opus-5-5", 3, "2026-09-23").withFastMode().withUsInference(),
      ModelProfile.openai("gpt-5.6-terra", 3, "2026-06-26"),
      ModelProfile.anthropic("claude-fable-5", 2, "2026-06-09").withUsInference());

  private ModelMix() {}

  static List<Double> shares() {
    return MODELS.stream().map(ModelProfile::share).toList();
  }

  /** The model whose first rate starts last: from its first day on, every model of the mix can be priced. */
  static ModelProfile lastToBePriced() {
    return MODELS.stream().max(Comparator.comparing(ModelProfile::firstPricedDay)).orElseThrow();
  }
}
