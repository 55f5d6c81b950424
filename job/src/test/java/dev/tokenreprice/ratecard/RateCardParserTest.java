package dev.tokenreprice.ratecard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenreprice.cli.UsageException;
import dev.tokenreprice.testing.TestCards;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RateCardParserTest {
  private static final String ONE_MODEL = """
      models:
        - model: claude-opus-4-6
          rates:
            - effective_from: 2026-02-05
              input: 5
              output: 25
      """;

  @Test
  void cachePricesComeFromTheMultipliersUnlessExplicit() {
    RateCard card = TestCards.parse(TestCards.SMALL_CARD);
    TokenPrices sonnet = model(card, "claude-sonnet-4-5").rates().get(0).prices();
    assertEquals(0, new BigDecimal("3.75").compareTo(sonnet.cacheWrite5m()));
    assertEquals(0, new BigDecimal("6.00").compareTo(sonnet.cacheWrite1h()));
    assertEquals(0, new BigDecimal("0.300").compareTo(sonnet.cacheRead()));
    TokenPrices opus = model(card, "claude-opus-4-6").rates().get(0).prices();
    assertEquals(0, new BigDecimal("0.50").compareTo(opus.cacheRead()));
  }

  @Test
  void longPromptCachePricesDeriveFromTheLongInputPrice() {
    LongPromptTier tier = model(TestCards.parse(TestCards.SMALL_CARD), "claude-sonnet-4-5")
        .rates().get(0).longPrompt().orElseThrow();
    assertEquals(200000L, tier.abovePromptTokens());
    assertEquals(0, new BigDecimal("7.50").compareTo(tier.prices().cacheWrite5m()));
    assertEquals(0, new BigDecimal("0.60").compareTo(tier.prices().cacheRead()));
    assertEquals(0, new BigDecimal("22.50").compareTo(tier.prices().output()));
  }

  @Test
  void anUnavailableCombinationOfTheDefaultsAndOfARateIsNotPriced() {
    RateCard card = TestCards.parse("""
        defaults:
          modifiers:
            service_tier: {standard: 1, batch: 0.5}
          unavailable:
            - {service_tier: batch, speed: fast}
        models:
          - model: claude-opus-4-6
            rates:
              - effective_from: 2026-02-05
                input: 5
                output: 25
                modifiers:
                  speed: {standard: 1, fast: 6}
                  inference_geo: {global: 1, us: 1.1}
                unavailable:
                  - {speed: FAST, inference_geo: us}
        """);
    Rate rate = card.models().get(0).rates().get(0);
    assertEquals(List.of(Map.of(PricingOption.SERVICE_TIER, "batch", PricingOption.SPEED, "fast"),
        Map.of(PricingOption.SPEED, "fast", PricingOption.INFERENCE_GEO, "us")), rate.unavailable());
    UsageException e = assertThrows(UsageException.class, () -> TestCards.parse(ONE_MODEL.replace(
        "      - effective_from:", "      - unavailable: [{tier: batch}]\n        effective_from:")));
    assertTrue(e.getMessage().contains("'unavailable' names an unknown option 'tier'"), e.getMessage());
  }

  @Test
  void aRetirementDayIsTheFirstDayTheModelIsNoLongerOfferedAndChangesNoPrice() {
    CardModel model = TestCards.parse(ONE_MODEL.replace("    rates:", "    retired_on: 2026-11-30\n    rates:"))
        .models().get(0);
    assertEquals(LocalDate.parse("2026-11-30"), model.retiredOn().orElseThrow());
    assertTrue(model.offeredOn(LocalDate.parse("2026-11-29")));
    assertTrue(!model.offeredOn(LocalDate.parse("2026-11-30")));
    assertEquals(1, model.rates().size());
    assertTrue(TestCards.parse(ONE_MODEL).models().get(0).offeredOn(LocalDate.parse("2099-01-01")));
  }

  @Test
  void aRetirementDayThatIsNoDayOrNotAfterTheFirstRateNamesTheModelAndField() {
    UsageException notADay = assertThrows(UsageException.class, () -> TestCards.parse(
        ONE_MODEL.replace("    rates:", "    retired_on: soon\n    rates:")));
    assertTrue(notADay.getMessage().endsWith(
        "model claude-opus-4-6: 'retired_on' must be a day as YYYY-MM-DD, cannot be: soon"), notADay.getMessage());
    UsageException tooEarly = assertThrows(UsageException.class, () -> TestCards.parse(
        ONE_MODEL.replace("    rates:", "    retired_on: 2026-02-05\n    rates:")));
    assertTrue(tooEarly.getMessage().contains(
        "model claude-opus-4-6: 'retired_on' must be after the model's first effective_from 2026-02-05"),
        tooEarly.getMessage());
  }

  @Test
  void pricesAreReadFromTheirTextNotThroughDouble() {
    RateCard card = TestCards.parse(ONE_MODEL.replace("input: 5", "input: 0.1").replace("output: 25", "output: 0.3"));
    TokenPrices prices = card.models().get(0).rates().get(0).prices();
    assertEquals("0.1", prices.input().toPlainString());
    assertEquals("0.3", prices.output().toPlainString());
  }

  @Test
  void ratesAreSortedAndModifiersMergedOverTheDefaultsWithTheDefaultValuePricedAtOne() {
    RateCard card = TestCards.parse(TestCards.SMALL_CARD);
    CardModel sonnet55 = model(card, "claude-sonnet-5-5");
    assertEquals(LocalDate.parse("2026-09-28"), sonnet55.rates().get(0).effectiveFrom());
    Map<PricingOption, Map<String, BigDecimal>> modifiers = model(card, "claude-opus-4-6").rates().get(0).modifiers();
    assertEquals(new BigDecimal("0.5"), modifiers.get(PricingOption.SERVICE_TIER).get("batch"));
    assertEquals(new BigDecimal("6"), modifiers.get(PricingOption.SPEED).get("fast"));
    assertEquals(BigDecimal.ONE, modifiers.get(PricingOption.SPEED).get("standard"));
    assertEquals(BigDecimal.ONE, modifiers.get(PricingOption.INFERENCE_GEO).get("global"));
    assertEquals(Map.of("standard", BigDecimal.ONE), model(card, "claude-sonnet-4-5").rates().get(0).modifiers()
        .get(PricingOption.SPEED));
  }

  @Test
  void providerDefaultsToAnthropicAndTheCardHasAHash() {
    RateCard card = TestCards.parse(ONE_MODEL);
    assertEquals("anthropic", card.models().get(0).provider());
    assertEquals(64, card.sha256().length());
  }

  @Test
  void aMissingPriceNamesTheFileModelRateAndField() {
    UsageException e = assertThrows(UsageException.class,
        () -> TestCards.parse(ONE_MODEL.replace("      output: 25\n", "")));
    assertEquals("rate card test-card.yaml: model claude-opus-4-6, rate 2026-02-05: 'output' is missing", e.getMessage());
  }

  @Test
  void aNegativePriceIsRejected() {
    UsageException e = assertThrows(UsageException.class,
        () -> TestCards.parse(ONE_MODEL.replace("input: 5", "input: -5")));
    assertTrue(e.getMessage().contains("model claude-opus-4-6, rate 2026-02-05: 'input' must be a price of zero or more"),
        e.getMessage());
  }

  @Test
  void aTokenizerFactorMustBePositiveAndShort() {
    for (String bad : new String[] {"0", "-1", "1.0000001", "5000"}) {
      String yaml = ONE_MODEL.replace("  - model: claude-opus-4-6", "  - model: claude-opus-4-6\n    tokens_per_reference_token: " + bad);
      UsageException e = assertThrows(UsageException.class, () -> TestCards.parse(yaml), bad);
      assertTrue(e.getMessage().contains("'tokens_per_reference_token' must be positive"), e.getMessage());
    }
    assertEquals(0, new BigDecimal("1.35").compareTo(TestCards.parse(ONE_MODEL.replace("  - model: claude-opus-4-6",
        "  - model: claude-opus-4-6\n    tokens_per_reference_token: 1.35")).models().get(0).tokensPerReferenceToken()));
  }

  @Test
  void aNegativeMultiplierIsRejected() {
    UsageException e = assertThrows(UsageException.class,
        () -> TestCards.parse("defaults:\n  cache_read_multiplier: -0.1\n" + ONE_MODEL));
    assertEquals("rate card test-card.yaml: defaults: 'cache_read_multiplier' must be zero or more, cannot be: -0.1",
        e.getMessage());
  }

  @Test
  void aTextPriceThatIsNoNumberIsRejected() {
    UsageException e = assertThrows(UsageException.class,
        () -> TestCards.parse(ONE_MODEL.replace("input: 5", "input: five")));
    assertTrue(e.getMessage().endsWith("'input' must be a decimal number, cannot be: five"), e.getMessage());
  }

  @Test
  void aModelNameUsedTwiceWithinAProviderIsRejected() {
    String yaml = TestCards.SMALL_CARD.replace("aliases: [claude-sonnet-4-5-20250929]",
        "aliases: [claude-sonnet-4-5-20250929, claude-opus-4-6]");
    UsageException e = assertThrows(UsageException.class, () -> TestCards.parse(yaml));
    assertTrue(e.getMessage().contains("name 'claude-opus-4-6' is already used by model"), e.getMessage());
  }

  @Test
  void theSameNameUnderAnotherProviderIsAnotherModel() {
    String yaml = ONE_MODEL
        + "  - provider: bedrock\n"
        + "    model: claude-opus-4-6\n"
        + "    rates:\n"
        + "      - effective_from: 2026-02-05\n"
        + "        input: 15\n"
        + "        output: 75\n";
    assertEquals(2, TestCards.parse(yaml).models().size());
  }

  @Test
  void twoRatesOnTheSameDayAreRejected() {
    String yaml = ONE_MODEL
        + "      - effective_from: 2026-02-05\n"
        + "        input: 6\n"
        + "        output: 30\n";
    UsageException e = assertThrows(UsageException.class, () -> TestCards.parse(yaml));
    assertTrue(e.getMessage().contains("model claude-opus-4-6, rate 2026-02-05: 'effective_from' appears twice"),
        e.getMessage());
  }

  @Test
  void aThresholdMustBeAPositiveWholeNumber() {
    for (String bad : new String[] {"0", "-5", "1.5", "many"}) {
      String yaml = ONE_MODEL
          + "        long_prompt:\n"
          + "          above_prompt_tokens: " + bad + "\n"
          + "          input: 10\n"
          + "          output: 50\n";
      UsageException e = assertThrows(UsageException.class, () -> TestCards.parse(yaml), bad);
      assertTrue(e.getMessage().contains("long_prompt: 'above_prompt_tokens' must be a"), e.getMessage());
    }
  }

  @Test
  void unknownKeysAreRejectedWhereverTheyAre() {
    assertUnknownKey(ONE_MODEL + "extra: 1\n", "unknown key 'extra'");
    assertUnknownKey(ONE_MODEL.replace("  - model:", "  - colour: red\n    model:"), "model claude-opus-4-6: unknown key 'colour'");
    assertUnknownKey(ONE_MODEL.replace("input: 5", "input: 5\n        inptu: 5"), "rate 2026-02-05: unknown key 'inptu'");
    assertUnknownKey(ONE_MODEL.replace("input: 5", "input: 5\n        modifiers: {region: {eu: 1}}"),
        "'modifiers' key must be one of service_tier, speed, inference_geo, cannot be: region");
  }

  @Test
  void invalidYamlAndADuplicateKeyAreUsageErrors() {
    assertThrows(UsageException.class, () -> TestCards.parse("models: [unclosed"));
    assertThrows(UsageException.class, () -> TestCards.parse(ONE_MODEL.replace("input: 5", "input: 5\n        input: 6")));
    assertThrows(UsageException.class, () -> TestCards.parse("just text"));
  }

  @Test
  void theShippedCardIsValidAndPricesSonnet45AtItsListPrice() {
    RateCard card = RateCardLoader.load(System.getProperty("repo.root") + "/conf/rate-card.yaml",
        new org.apache.hadoop.conf.Configuration());
    CardModel sonnet = card.models().stream()
        .filter(m -> m.provider().equals("anthropic") && m.aliases().contains("claude-sonnet-4-5-20250929"))
        .findFirst().orElseThrow();
    Rate rate = sonnet.rates().get(0);
    assertEquals(0, new BigDecimal("3").compareTo(rate.prices().input()));
    assertEquals(0, new BigDecimal("15").compareTo(rate.prices().output()));
    assertEquals(0, new BigDecimal("0.30").compareTo(rate.prices().cacheRead()));
    assertEquals(200000L, rate.longPrompt().orElseThrow().abovePromptTokens());
  }

  private static void assertUnknownKey(String yaml, String expected) {
    UsageException e = assertThrows(UsageException.class, () -> TestCards.parse(yaml));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  private static CardModel model(RateCard card, String id) {
    return card.models().stream().filter(m -> m.model().equals(id)).findFirst().orElseThrow();
  }
}
