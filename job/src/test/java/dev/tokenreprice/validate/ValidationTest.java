package dev.tokenreprice.validate;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenreprice.cli.Period;
import dev.tokenreprice.input.CanonicalSchema;
import dev.tokenreprice.ratecard.RateCardTables;
import dev.tokenreprice.rollup.UsageAggregation;
import dev.tokenreprice.testing.Logs;
import dev.tokenreprice.testing.Priced;
import dev.tokenreprice.testing.TestCards;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ValidationTest {
  private static final String GOOD = "{\"request_id\":\"%s\",\"timestamp\":\"2026-11-03T10:00:00Z\",\"model\":\"claude-sonnet-4-5\",\"input_tokens\":1,\"output_tokens\":1}";
  private static RateCardTables card;

  @BeforeAll
  static void card() {
    card = TestCards.smallCardTables();
  }

  @Test
  void eachBadRowGetsItsReason() {
    List<String> statuses = Priced.statuses(card, Period.ALL_DAYS,
        GOOD.formatted("01"),
        "{\"request_id\":\"02\",\"timestamp\":\"2026-11-03T10:00:00Z\",\"model\":\"claude-sonnet-4-5\",\"input_tokens\":\"12k\",\"output_tokens\":1}",
        "{\"request_id\":\"03\",\"timestamp\":\"2026-11-03T10:00:00Z\",\"model\":\"claude-sonnet-4-5\",\"output_tokens\":1}",
        "{\"request_id\":\"04\",\"timestamp\":\" \",\"model\":\"claude-sonnet-4-5\",\"input_tokens\":1,\"output_tokens\":1}",
        "{\"request_id\":\"05\",\"timestamp\":\"2026-11-03 10:00:00\",\"model\":\"claude-sonnet-4-5\",\"input_tokens\":1,\"output_tokens\":1}",
        "{\"request_id\":\"06\",\"timestamp\":\"yesterday\",\"model\":\"claude-sonnet-4-5\",\"input_tokens\":1,\"output_tokens\":1}",
        "{\"request_id\":\"07\",\"timestamp\":\"2026-11-03T10:00:00Z\",\"model\":\" \",\"input_tokens\":1,\"output_tokens\":1}",
        "{\"request_id\":\"08\",\"timestamp\":\"2026-11-03T10:00:00Z\",\"model\":\"claude-sonnet-4-5\",\"input_tokens\":1,\"output_tokens\":1,\"cache_read_tokens\":-5}",
        "{\"request_id\":\"09\",\"timestamp\":\"2026-11-03T10:00:00Z\",\"model\":\"claude-imaginary-9\",\"input_tokens\":1,\"output_tokens\":1}",
        "{\"request_id\":\"10\",\"timestamp\":\"2026-09-27T10:00:00Z\",\"model\":\"claude-sonnet-5-5\",\"input_tokens\":1,\"output_tokens\":1}",
        "{\"request_id\":\"11\",\"timestamp\":\"2026-11-03T10:00:00Z\",\"model\":\"claude-sonnet-4-5\",\"speed\":\"fast\",\"input_tokens\":1,\"output_tokens\":1}",
        "{\"request_id\":\"12\",\"timestamp\":\"2026-11-03T10:00:00Z\",\"model\":\"claude-opus-4-6\",\"service_tier\":\"priority\",\"input_tokens\":1,\"output_tokens\":1}");
    assertEquals(List.of("PRICED", "MALFORMED_RECORD", "MALFORMED_RECORD", "MISSING_TIMESTAMP", "BAD_TIMESTAMP",
        "BAD_TIMESTAMP", "MISSING_MODEL", "NEGATIVE_TOKENS", "UNKNOWN_MODEL", "NO_RATE_IN_FORCE", "UNPRICED_OPTION",
        "UNPRICED_OPTION"), statuses);
  }

  @Test
  void quarantinedRowsKeepTheirRawLineSourceAndADetail() {
    Dataset<Row> classified = Validation.classify(Logs.fromJsonLines(
        GOOD.formatted("a"),
        "this is not json",
        "{\"request_id\":\"c\",\"timestamp\":\"2026-11-03T10:00:00Z\",\"model\":\"claude-sonnet-4-5\",\"speed\":\"fast\",\"input_tokens\":1,\"output_tokens\":1}"),
        card, Period.ALL_DAYS);
    List<Row> quarantined = Validation.quarantined(classified).orderBy(col(Validation.REASON)).collectAsList();
    assertEquals(2, quarantined.size());
    Row malformed = quarantined.get(0);
    assertEquals("MALFORMED_RECORD", malformed.getString(malformed.fieldIndex(Validation.REASON)));
    assertEquals("this is not json", malformed.getString(malformed.fieldIndex(CanonicalSchema.RAW_RECORD)));
    assertEquals("memory:test.jsonl", malformed.getString(malformed.fieldIndex(CanonicalSchema.SOURCE_FILE)));
    Row option = quarantined.get(1);
    assertEquals("the rate of claude-sonnet-4-5 has no price for service_tier=standard, speed=fast, inference_geo=global",
        option.getString(option.fieldIndex(Validation.DETAIL)));
  }

  @Test
  void rowsOutsideThePeriodAreCountedApartAndRowsReadEqualPricedPlusQuarantined() {
    Period november3 = new Period(Optional.of(LocalDate.parse("2026-11-03")), Optional.of(LocalDate.parse("2026-11-03")));
    Dataset<Row> classified = Validation.classify(Logs.fromJsonLines(
        GOOD.formatted("a"),
        GOOD.formatted("b").replace("2026-11-03", "2026-11-04"),
        GOOD.formatted("c").replace("2026-11-03", "2026-11-02"),
        GOOD.formatted("d").replace("claude-sonnet-4-5", "nope"),
        "{broken"), card, november3);
    RowCounts counts = RowCounts.of(UsageAggregation.byStatusAndPrice(classified), UsageAggregation.ROWS);
    assertEquals(3, counts.rowsRead());
    assertEquals(1, counts.rowsPriced());
    assertEquals(2, counts.rowsOutsidePeriod());
    assertEquals(Map.of(QuarantineReason.UNKNOWN_MODEL, 1L, QuarantineReason.MALFORMED_RECORD, 1L), counts.quarantined());
  }

  @Test
  void blankLinesAreNotRecords() {
    Dataset<Row> logs = Logs.fromJsonLines(GOOD.formatted("a"), "", "   ");
    assertEquals(1, logs.count());
  }

  @Test
  void countsThatDoNotAddUpAreRefused() {
    try {
      new RowCounts(5, 3, 0, Map.of(QuarantineReason.UNKNOWN_MODEL, 1L), Map.of(), Map.of());
    } catch (IllegalStateException expected) {
      assertTrue(expected.getMessage().contains("rows read (5) must equal"));
      return;
    }
    throw new AssertionError("RowCounts accepted 5 read = 3 priced + 1 quarantined");
  }
}
