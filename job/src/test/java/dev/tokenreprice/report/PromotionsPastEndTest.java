package dev.tokenreprice.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenreprice.cli.Period;
import dev.tokenreprice.cli.UsageException;
import dev.tokenreprice.ratecard.RateCard;
import dev.tokenreprice.testing.SharedSpark;
import dev.tokenreprice.testing.TestCards;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** A promotional rate past the last day a source confirms it is still priced, and said. */
class PromotionsPastEndTest {
  private static final String CARD = """
      models:
        - provider: openai
          model: gpt-5.6-sol
          rates:
            - effective_from: 2026-07-09
              input: 5
              output: 30
            - effective_from: 2026-08-21
              promotional_until: 2026-11-21
              input: 4
              output: 20
      """;

  private static List<Row> rollup() {
    return SharedSpark.session().sql("SELECT * FROM VALUES"
        + " (DATE'2026-11-21', 'openai', 'gpt-5.6-sol', 10L, CAST('1.5' AS DECIMAL(38, 12))),"
        + " (DATE'2026-11-22', 'openai', 'gpt-5.6-sol', 3L, CAST('0.25' AS DECIMAL(38, 12))),"
        + " (DATE'2026-11-30', 'openai', 'gpt-5.6-sol', 4L, CAST('0.75' AS DECIMAL(38, 12))),"
        + " (DATE'2026-11-30', 'openai', 'gpt-5.4', 9L, CAST('9' AS DECIMAL(38, 12)))"
        + " AS rollup(day, provider, model, requests, total_cost)").collectAsList();
  }

  @Test
  void requestsAfterThePromotionsLastConfirmedDayAreCountedAndNamed() {
    RateCard card = TestCards.parse(CARD);
    List<PromotionsPastEnd.PastPromotion> past = PromotionsPastEnd.in(rollup(), card, Period.ALL_DAYS);
    assertEquals(List.of(new PromotionsPastEnd.PastPromotion("openai", "gpt-5.6-sol", LocalDate.parse("2026-11-21"),
        7, new BigDecimal("1.000000000000"))), past);
    assertEquals("openai/gpt-5.6-sol: 7 requests after 2026-11-21 priced at a promotional rate no source confirms"
        + " after that day (1.00 USD); check the provider's price and add a dated rate", past.get(0).warning("USD"));
  }

  @Test
  void aPeriodEndingByThePromotionsEndOrALaterRateSaysNothing() {
    RateCard card = TestCards.parse(CARD);
    assertEquals(List.of(), PromotionsPastEnd.in(rollup(), card,
        new Period(Optional.empty(), Optional.of(LocalDate.parse("2026-11-21")))));
    RateCard repriced = TestCards.parse(CARD + """
                  - effective_from: 2026-11-22
                    input: 5
                    output: 30
            """);
    assertEquals(List.of(), PromotionsPastEnd.in(rollup(), repriced, Period.ALL_DAYS));
  }

  @Test
  void rowsOfOneModelPastTheEndAddUpAcrossFeaturesAsTheRollupStreamsBy() {
    PromotionsPastEnd tally = PromotionsPastEnd.tally(TestCards.parse(CARD), Period.ALL_DAYS);
    SharedSpark.session().sql("SELECT * FROM VALUES"
        + " (DATE'2026-11-25', 'chat', 'openai', 'gpt-5.6-sol', 2L, CAST('0.5' AS DECIMAL(38, 12))),"
        + " (DATE'2026-11-25', 'search', 'openai', 'gpt-5.6-sol', 5L, CAST('0.125' AS DECIMAL(38, 12))),"
        + " (DATE'2026-11-20', 'search', 'openai', 'gpt-5.6-sol', 8L, CAST('2' AS DECIMAL(38, 12)))"
        + " AS rollup(day, feature, provider, model, requests, total_cost)").collectAsList().forEach(tally);
    assertEquals(List.of(new PromotionsPastEnd.PastPromotion("openai", "gpt-5.6-sol", LocalDate.parse("2026-11-21"),
        7, new BigDecimal("0.625000000000"))), tally.past());
  }

  @Test
  void anEndBeforeTheRatesStartIsRefused() {
    UsageException e = assertThrows(UsageException.class, () -> TestCards.parse(CARD.replace(
        "promotional_until: 2026-11-21", "promotional_until: 2026-08-01")));
    assertTrue(e.getMessage().contains("'promotional_until' must be on or after effective_from, cannot be: 2026-08-01"),
        e.getMessage());
  }
}
