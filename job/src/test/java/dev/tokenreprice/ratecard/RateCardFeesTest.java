package dev.tokenreprice.ratecard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tokenreprice.cli.UsageException;
import dev.tokenreprice.testing.FormatRun;
import dev.tokenreprice.testing.TestCards;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The card's per-use fees: defaults.fees, provider_defaults, a rate's own fees, and what is refused. */
class RateCardFeesTest {
  private static final String FEES = """
      defaults:
        fees: {web_search: 0.05}
      provider_defaults:
        openai:
          fees: {web_search: 0.01}
      models:
        - provider: anthropic
          model: claude-opus-4-6
          rates:
            - effective_from: 2026-02-05
              input: 5
              output: 25
            - effective_from: 2026-06-01
              input: 5
              output: 25
              fees: {web_search: 0.02}
        - provider: openai
          model: gpt-5.5
          rates:
            - effective_from: 2026-04-23
              input: 5
              output: 30
      """;

  @Test
  void aRateWithoutFeesHasTheCardsDefaultFees() {
    Rate first = model(TestCards.parse(FEES), "anthropic", "claude-opus-4-6").rates().get(0);
    assertEquals(Map.of(Fee.WEB_SEARCH, new BigDecimal("0.05")), first.fees());
  }

  @Test
  void providerDefaultsWinOverTheCardsDefaultsForThatProviderOnly() {
    Rate gpt = model(TestCards.parse(FEES), "openai", "gpt-5.5").rates().get(0);
    assertEquals(Map.of(Fee.WEB_SEARCH, new BigDecimal("0.01")), gpt.fees());
  }

  @Test
  void aRatesOwnFeeOverridesTheDefaultsFromItsDayOn() {
    Rate later = model(TestCards.parse(FEES), "anthropic", "claude-opus-4-6").rates().get(1);
    assertEquals(Map.of(Fee.WEB_SEARCH, new BigDecimal("0.02")), later.fees());
  }

  @Test
  void aCardWithoutFeesPricesNoFee() {
    Rate rate = model(TestCards.parse(TestCards.SMALL_CARD), "anthropic", "claude-opus-4-6").rates().get(0);
    assertEquals(Map.of(), rate.fees());
  }

  @Test
  void anUnknownFeeNameNamesTheFileModelRateAndField() {
    UsageException e = assertThrows(UsageException.class, () -> TestCards.parse(FEES.replace(
        "fees: {web_search: 0.02}", "fees: {file_search: 0.0025}")));
    assertEquals("rate card test-card.yaml: model claude-opus-4-6, rate 2026-06-01: 'fees' key must be one of"
        + " web_search, cannot be: file_search", e.getMessage());
  }

  @Test
  void aNegativeFeeIsRefusedWhereverItIsWritten() {
    UsageException rate = assertThrows(UsageException.class, () -> TestCards.parse(FEES.replace(
        "fees: {web_search: 0.02}", "fees: {web_search: -0.01}")));
    assertEquals("rate card test-card.yaml: model claude-opus-4-6, rate 2026-06-01: 'fees.web_search' must be a"
        + " price of zero or more USD per use, cannot be: -0.01", rate.getMessage());
    UsageException provider = assertThrows(UsageException.class, () -> TestCards.parse(FEES.replace(
        "fees: {web_search: 0.01}", "fees: {web_search: -1}")));
    assertEquals("rate card test-card.yaml: provider_defaults: openai: 'fees.web_search' must be a price of zero"
        + " or more USD per use, cannot be: -1", provider.getMessage());
  }

  @Test
  void providerDefaultsForAProviderWithoutModelsAreRefused() {
    UsageException e = assertThrows(UsageException.class, () -> TestCards.parse(FEES.replace("  openai:\n",
        "  open-ai:\n")));
    assertEquals("rate card test-card.yaml: provider_defaults: open-ai: no model of the card has this provider"
        + " (providers: anthropic, openai)", e.getMessage());
  }

  @Test
  void theShippedCardPricesWebSearchesForAnthropicAndOpenAiOnly() throws Exception {
    RateCard card = RateCardParser.parse("conf/rate-card.yaml",
        Files.readAllBytes(Path.of(FormatRun.REPO, "conf", "rate-card.yaml")));
    for (CardModel model : card.models()) {
      for (Rate rate : model.rates()) {
        Map<Fee, BigDecimal> expected = model.provider().equals("anthropic") || model.provider().equals("openai")
            ? Map.of(Fee.WEB_SEARCH, new BigDecimal("0.01")) : Map.of();
        assertEquals(expected, rate.fees(), model.provider() + " " + model.model() + " " + rate.effectiveFrom());
      }
    }
  }

  private static CardModel model(RateCard card, String provider, String name) {
    return card.model(provider, name).orElseThrow();
  }
}
