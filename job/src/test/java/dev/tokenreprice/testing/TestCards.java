package dev.tokenreprice.testing;

import dev.tokenreprice.ratecard.RateCard;
import dev.tokenreprice.ratecard.RateCardParser;
import dev.tokenreprice.ratecard.RateCardTables;
import java.nio.charset.StandardCharsets;

/** A small rate card whose every price a test can compute by hand. */
public final class TestCards {
  public static final String SMALL_CARD = """
      currency: USD
      defaults:
        cache_write_5m_multiplier: 1.25
        cache_write_1h_multiplier: 2.0
        cache_read_multiplier: 0.1
        modifiers:
          service_tier: {standard: 1, batch: 0.5}
      models:
        - provider: anthropic
          model: claude-sonnet-4-5
          aliases: [claude-sonnet-4-5-20250929]
          rates:
            - effective_from: 2025-09-29
              input: 3.00
              output: 15.00
              long_prompt:
                above_prompt_tokens: 200000
                input: 6.00
                output: 22.50
        - provider: anthropic
          model: claude-opus-4-6
          rates:
            - effective_from: 2026-02-05
              input: 5
              output: 25
              cache_read: 0.50
              modifiers:
                speed: {fast: 6}
                inference_geo: {us: 1.1}
        - provider: anthropic
          model: claude-sonnet-5-5
          rates:
            - effective_from: 2026-10-07
              input: 2
              output: 10
              cache_read: 0.10
            - effective_from: 2026-09-28
              input: 2
              output: 10
              cache_read: 0.20
        - provider: openai
          model: gpt-5.5
          rates:
            - effective_from: 2026-04-23
              input: 5
              output: 30
              cache_read: 0.50
      """;

  private TestCards() {}

  public static RateCard parse(String yaml) {
    return RateCardParser.parse("test-card.yaml", yaml.getBytes(StandardCharsets.UTF_8));
  }

  public static RateCardTables smallCardTables() {
    return RateCardTables.of(parse(SMALL_CARD), SharedSpark.session());
  }
}
