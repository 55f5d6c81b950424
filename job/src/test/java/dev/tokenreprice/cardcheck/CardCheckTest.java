package dev.tokenreprice.cardcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenreprice.cardcheck.CardCheckLine.Status;
import dev.tokenreprice.cli.UsageException;
import dev.tokenreprice.ratecard.RateCard;
import dev.tokenreprice.ratecard.RateCardLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

/** The shipped card against small hand-written tables in each maintainer's shape (test resources card-check/). */
class CardCheckTest {
  private static final Path FIXTURES = Path.of(System.getProperty("repo.root"), "job/src/test/resources/card-check");
  private static final RateCard CARD =
      RateCardLoader.load(System.getProperty("repo.root") + "/conf/rate-card.yaml", new Configuration());
  private static final LocalDate DAY = LocalDate.parse("2026-12-06");

  @Test
  void liteLlmPricesPerTokenAreReadAsTheDecimalsTheyPrintNotAsDoubles() throws IOException {
    List<CardCheckLine> lines = check("model_prices_and_context_window.json", DAY);
    // 1e-07 USD a token is exactly 0.1 USD a million: through a double it would be 0.09999999999999999.
    assertEquals(line("openai", "gpt-6.2-sol", "cache_read", "0.1", "0.1", Status.AGREE), find(lines, "gpt-6.2-sol", "cache_read"));
    for (String kind : List.of("input", "output", "cache_write_5m", "long_prompt_above_tokens", "long_input", "long_output",
        "long_cache_read", "batch_input", "batch_output", "priority_input", "priority_output")) {
      assertEquals(Status.AGREE, find(lines, "gpt-6.2-sol", kind).status(), kind);
    }
    // The card's 12-hour write has no LiteLLM key on this entry; the page has no Flex row, and neither has a flex price.
    assertEquals(Status.ONLY_IN_CARD, find(lines, "gpt-6.2-sol", "cache_write_1h").status());
    assertTrue(lines.stream().noneMatch(l -> l.tableKey().equals("gpt-6.2-sol") && l.kind().startsWith("flex")));
  }

  @Test
  void aPriceTheTableStatesOtherwiseIsADifferenceWithBothValues() throws IOException {
    CardCheckLine read = find(check("model_prices_and_context_window.json", DAY), "claude-fable-5-2", "cache_read");
    assertEquals(line("anthropic", "claude-fable-5-2", "cache_read", "0.2", "0.25", Status.DIFFER), read);
  }

  @Test
  void aBedrockProfileKeyIsMatchedThroughItsAliasAndComparedAtItsScope() throws IOException {
    List<CardCheckLine> lines = check("model_prices_and_context_window.json", DAY);
    CardCheckLine input = find(lines, "us.anthropic.claude-fable-5-2", "input");
    assertEquals("bedrock", input.provider());
    assertEquals("claude-fable-5-2", input.model());
    assertEquals(Optional.of(new java.math.BigDecimal("8.8")), input.cardValue());
    assertEquals(Status.AGREE, input.status());
  }

  @Test
  void modelsOnlyOneSideHasAreListedButOtherProvidersAndOtherModesAreNot() throws IOException {
    List<CardCheckLine> lines = check("model_prices_and_context_window.json", DAY);
    CardCheckLine preview = find(lines, "openai/gpt-9-preview", CardCheckLine.WHOLE_MODEL);
    assertEquals(Status.ONLY_IN_TABLE, preview.status());
    assertEquals("", preview.model());
    assertTrue(lines.stream().anyMatch(l -> l.model().equals("claude-opus-4-6") && l.status() == Status.ONLY_IN_CARD));
    // Claude Haiku 3 retired on 2026-04-19: no longer offered, so not missing from a table of today's prices.
    assertTrue(lines.stream().noneMatch(l -> l.model().equals("claude-3-haiku")));
    // Google has no entry in this table: its card models are not reported missing from it.
    assertTrue(lines.stream().noneMatch(l -> l.provider().equals("google")));
    assertTrue(lines.stream().noneMatch(l -> l.tableKey().equals("gpt-image-3") || l.tableKey().startsWith("mistral/")));
  }

  @Test
  void genaiPricesMatchClausesTieredPricesAndStartDatesAreRead() throws IOException {
    List<CardCheckLine> anthropic = check("genai-prices/providers/anthropic.yml", DAY);
    // starts_with: claude-sonnet-4-5 names the card's model; its tier starts at the card's threshold.
    assertEquals(line("anthropic", "claude-sonnet-4-5", "long_prompt_above_tokens", "200000", "200000", Status.AGREE),
        find(anthropic, "claude-sonnet-4-5", "long_prompt_above_tokens"));
    assertEquals(Status.AGREE, find(anthropic, "claude-sonnet-4-5", "long_output").status());
    assertEquals(Status.AGREE, find(anthropic, "claude-fable-5-2", "cache_read").status());
    // One cache write in genai-prices: the card's 1-hour write is not reported as missing there.
    assertTrue(anthropic.stream().noneMatch(l -> l.kind().equals("cache_write_1h")));
    assertEquals("4", find(check("genai-prices/data.json", LocalDate.parse("2026-12-01")), "gemini-4-argon", "input")
        .tableValue().orElseThrow().toPlainString());
    CardCheckLine before = find(check("genai-prices/data.json", LocalDate.parse("2026-11-30")), "gemini-4-argon", "input");
    assertEquals(line("google", "gemini-4-argon", "input", "2", "2", Status.AGREE), before);
  }

  @Test
  void modelsDevTomlTakesTheProviderAndModelFromItsPathAndItsTierAsTheLongPrompt() throws IOException {
    List<CardCheckLine> lines = check("models.dev/providers/openai/models/gpt-6.1-terra.toml", DAY);
    List<CardCheckLine> terra = lines.stream().filter(l -> l.model().equals("gpt-6.1-terra")).toList();
    assertEquals(9, terra.size(), terra.toString());
    assertTrue(terra.stream().allMatch(l -> l.status() == Status.AGREE), terra.toString());
    assertEquals(line("openai", "gpt-6.1-terra", "long_prompt_above_tokens", "272000", "272000", Status.AGREE),
        find(lines, "gpt-6.1-terra", "long_prompt_above_tokens"));
  }

  @Test
  void modelsDevApiJsonScopesBedrockKeysAndAScopeTheCardDoesNotPriceIsOnlyInTheTable() throws IOException {
    List<CardCheckLine> lines = check("models.dev/api.json", DAY);
    assertEquals(Status.AGREE, find(lines, "global.anthropic.claude-fable-5-2", "input").status());
    assertEquals(Status.AGREE, find(lines, "gpt-6.2-astra", "long_cache_write_5m").status());
    // Bedrock's Fable 5.2 has no eu price on the card (no AWS source for it).
    CardCheckLine eu = find(lines, "eu.anthropic.claude-fable-5-2", "input");
    assertEquals(Status.ONLY_IN_TABLE, eu.status());
    assertEquals(Optional.empty(), eu.cardValue());
  }

  @Test
  void aFileInNoKnownShapeIsAUsageErrorNamingIt() {
    String location = FIXTURES.resolve("not-a-price-table.json").toString();
    UsageException e = assertThrows(UsageException.class, () -> check("not-a-price-table.json", DAY));
    assertTrue(e.getMessage().startsWith("--check-card " + location + ": is neither LiteLLM's"), e.getMessage());
    UsageException toml = assertThrows(UsageException.class,
        () -> PriceTables.read("gpt-6.1-terra.toml", "[cost]\ninput = 1.0\n".getBytes(), DAY));
    assertTrue(toml.getMessage().contains("providers/PROVIDER/models/MODEL.toml"), toml.getMessage());
  }

  private static List<CardCheckLine> check(String fixture, LocalDate day) throws IOException {
    Path file = FIXTURES.resolve(fixture);
    return CardCheck.compare(CARD, List.of(PriceTables.read(file.toString(), Files.readAllBytes(file), day)), day);
  }

  private static CardCheckLine find(List<CardCheckLine> lines, String tableKey, String kind) {
    CardCheckLine found = lines.stream().filter(l -> l.tableKey().equals(tableKey) && l.kind().equals(kind)).findFirst()
        .orElseThrow(() -> new AssertionError("no line " + tableKey + " " + kind + " in " + lines));
    return new CardCheckLine("", found.provider(), found.model(), found.tableKey(), found.kind(), found.cardValue(),
        found.tableValue(), found.status());
  }

  /** The expected line, leaving out the table's path. */
  private static CardCheckLine line(String provider, String model, String kind, String card, String table, Status status) {
    return new CardCheckLine("", provider, model, model, kind, Optional.of(new java.math.BigDecimal(card)),
        Optional.of(new java.math.BigDecimal(table)), status);
  }
}
