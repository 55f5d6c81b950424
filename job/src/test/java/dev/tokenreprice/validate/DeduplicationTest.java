package dev.tokenreprice.validate;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tokenreprice.cli.Period;
import dev.tokenreprice.input.CanonicalSchema;
import dev.tokenreprice.input.LogReader;
import dev.tokenreprice.ratecard.RateCardTables;
import dev.tokenreprice.testing.SharedSpark;
import dev.tokenreprice.testing.TestCards;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DeduplicationTest {
  private static final String LINE = "{\"request_id\":%s,\"timestamp\":\"2026-11-03T%s:00Z\",\"model\":\"%s\",\"input_tokens\":%d,\"output_tokens\":1}";
  private static RateCardTables card;

  @BeforeAll
  static void card() {
    card = TestCards.smallCardTables();
  }

  @Test
  void aRequestDeliveredTwiceIsPricedOnceAndItsCopyQuarantinedWithWhereTheFirstWasRead() {
    Dataset<Row> classified = classify(Period.ALL_DAYS, true,
        "a.jsonl", line("r1", "10:00", 5),
        "a.jsonl", line("r2", "10:00", 5),
        "b.jsonl", line("r1", "10:00", 5));
    assertEquals(List.of("a.jsonl r1 PRICED", "a.jsonl r2 PRICED", "b.jsonl r1 DUPLICATE_REQUEST_ID"), statuses(classified));
    Row duplicate = Validation.quarantined(classified).collectAsList().get(0);
    assertEquals("request_id r1 was read first from a.jsonl at 2026-11-03 10:00:00 UTC",
        duplicate.getString(duplicate.fieldIndex(Validation.DETAIL)));
    assertEquals(line("r1", "10:00", 5), duplicate.getString(duplicate.fieldIndex(CanonicalSchema.RAW_RECORD)));
  }

  @Test
  void theEarliestTimestampIsPricedEvenWhenItsFileComesLater() {
    assertEquals(List.of("a.jsonl r1 DUPLICATE_REQUEST_ID", "b.jsonl r1 PRICED"), statuses(classify(Period.ALL_DAYS, true,
        "a.jsonl", line("r1", "10:05", 5),
        "b.jsonl", line("r1", "10:00", 7))));
  }

  @Test
  void atTheSameTimestampTheEarlierFileIsPricedAndIdenticalLinesOfOneFileCountOnce() {
    assertEquals(List.of("a.jsonl r1 PRICED", "b.jsonl r1 DUPLICATE_REQUEST_ID"), statuses(classify(Period.ALL_DAYS, true,
        "b.jsonl", line("r1", "10:00", 5),
        "a.jsonl", line("r1", "10:00", 7))));
    assertEquals(List.of("a.jsonl r1 DUPLICATE_REQUEST_ID", "a.jsonl r1 PRICED"), statuses(classify(Period.ALL_DAYS, true,
        "a.jsonl", line("r1", "10:00", 5),
        "a.jsonl", line("r1", "10:00", 5))));
  }

  @Test
  void atTheSameTimestampInOneFileTheEarlierLineIsPricedWhateverItsText() {
    // Text order would pick the second line ("input_tokens":5 sorts before "input_tokens":7).
    Dataset<Row> classified = classify(Period.ALL_DAYS, true,
        "a.jsonl", line("r1", "10:00", 7),
        "a.jsonl", line("r1", "10:00", 5));
    Row duplicate = Validation.quarantined(classified).collectAsList().get(0);
    assertEquals(line("r1", "10:00", 5), duplicate.getString(duplicate.fieldIndex(CanonicalSchema.RAW_RECORD)));
    Row priced = Validation.accepted(classified).collectAsList().get(0);
    assertEquals(7L, priced.getLong(priced.fieldIndex(CanonicalSchema.INPUT_TOKENS)));
  }

  @Test
  void recordsWithoutARequestIdAreNeverDeduplicated() {
    String noId = LINE.formatted("null", "10:00", "claude-sonnet-4-5", 5);
    String blankId = LINE.formatted("\" \"", "10:00", "claude-sonnet-4-5", 5);
    assertEquals(List.of("a.jsonl null PRICED", "a.jsonl null PRICED", "a.jsonl null PRICED"),
        statuses(classify(Period.ALL_DAYS, true, "a.jsonl", noId, "a.jsonl", noId, "a.jsonl", blankId)));
  }

  @Test
  void aBadEarlierCopyDoesNotHideTheGoodRecordOfTheRequest() {
    assertEquals(List.of("a.jsonl r1 UNKNOWN_MODEL", "a.jsonl r1 PRICED"), statuses(classify(Period.ALL_DAYS, true,
        "a.jsonl", LINE.formatted("\"r1\"", "09:00", "claude-imaginary-9", 5),
        "a.jsonl", line("r1", "10:00", 5))));
  }

  @Test
  void aCopyInThePeriodOfARequestReadFirstOutsideItIsADuplicateAndACopyOutsideIsOutside() {
    Period november3 = new Period(Optional.of(LocalDate.parse("2026-11-03")), Optional.of(LocalDate.parse("2026-11-03")));
    assertEquals(List.of("a.jsonl r1 OUTSIDE_PERIOD", "a.jsonl r1 DUPLICATE_REQUEST_ID", "a.jsonl r2 PRICED",
        "a.jsonl r2 OUTSIDE_PERIOD"), statuses(classify(november3, true,
        "a.jsonl", line("r1", "10:00", 5).replace("2026-11-03", "2026-11-02"),
        "a.jsonl", line("r1", "10:00", 5),
        "a.jsonl", line("r2", "23:59", 5),
        "a.jsonl", line("r2", "10:00", 5).replace("2026-11-03", "2026-11-04"))));
  }

  @Test
  void withoutDedupeEveryCopyIsPriced() {
    assertEquals(List.of("a.jsonl r1 PRICED", "b.jsonl r1 PRICED"), statuses(classify(Period.ALL_DAYS, false,
        "a.jsonl", line("r1", "10:00", 5),
        "b.jsonl", line("r1", "10:00", 5))));
  }

  @Test
  void rankingEveryRecordInOneShuffleGivesWhatRankingOnlyTheRepeatedIdsGives() {
    Period november3 = new Period(Optional.of(LocalDate.parse("2026-11-03")), Optional.of(LocalDate.parse("2026-11-03")));
    Dataset<Row> normalized = normalized(rows(
        "a.jsonl", line("r1", "10:05", 5),
        "b.jsonl", line("r1", "10:00", 7),
        "a.jsonl", line("r2", "10:00", 5),
        "a.jsonl", line("r3", "10:00", 5),
        "a.jsonl", line("r3", "10:00", 5),
        "a.jsonl", line("r4", "10:00", 5).replace("2026-11-03", "2026-11-02"),
        "a.jsonl", line("r4", "10:00", 5),
        "a.jsonl", LINE.formatted("\"r5\"", "09:00", "claude-imaginary-9", 5),
        "a.jsonl", line("r5", "10:00", 5),
        "c.jsonl", LINE.formatted("null", "10:00", "claude-sonnet-4-5", 5),
        "c.jsonl", LINE.formatted("null", "10:00", "claude-sonnet-4-5", 5)));
    Dataset<Row> classified = Validation.classify(normalized, card, november3, false).drop(Deduplication.FIRST_READ);
    Dataset<Row> split = Deduplication.markDuplicates(normalized, classified);
    Dataset<Row> oneShuffle = Deduplication.markDuplicates(normalized, classified, 0);
    List<String> expected = List.of("a.jsonl r1 DUPLICATE_REQUEST_ID", "a.jsonl r2 PRICED",
        "a.jsonl r3 DUPLICATE_REQUEST_ID", "a.jsonl r3 PRICED", "a.jsonl r4 OUTSIDE_PERIOD",
        "a.jsonl r4 DUPLICATE_REQUEST_ID", "a.jsonl r5 UNKNOWN_MODEL", "a.jsonl r5 PRICED", "b.jsonl r1 PRICED",
        "c.jsonl null PRICED", "c.jsonl null PRICED");
    assertEquals(expected, statuses(split));
    assertEquals(expected, statuses(oneShuffle));
    assertEquals(details(oneShuffle), details(split));
    assertEquals(4, details(split).size(), "three duplicates and the unknown model");
  }

  @Test
  void theNarrowPassFindsEachIdReadMoreThanOnceOnceAndNoIdReadOnce() {
    Dataset<Row> normalized = normalized(rows(
        "a.jsonl", line("r1", "10:00", 5),
        "b.jsonl", line("r1", "10:00", 5),
        "c.jsonl", line("r1", "11:00", 5),
        "a.jsonl", line("r2", "10:00", 5),
        "a.jsonl", LINE.formatted("null", "10:00", "claude-sonnet-4-5", 5),
        "a.jsonl", LINE.formatted("null", "10:00", "claude-sonnet-4-5", 5)));
    assertEquals(1, Deduplication.repeatedIdHashes(normalized).count());
    assertEquals(0, Deduplication.repeatedIdHashes(normalized.filter(col(CanonicalSchema.REQUEST_ID).notEqual("r1"))).count());
  }

  @Test
  void aSkippedOrMalformedCopyDoesNotMakeItsIdRepeated() {
    Dataset<Row> normalized = normalized(rows(
        "a.jsonl", line("r1", "10:00", 5),
        "b.jsonl", line("r1", "10:05", 5),
        "a.jsonl", line("r2", "10:00", 5),
        "c.jsonl", line("r2", "10:05", 5)));
    Column inB = col(CanonicalSchema.SOURCE_FILE).endsWith("b.jsonl");
    Column inC = col(CanonicalSchema.SOURCE_FILE).endsWith("c.jsonl");
    Dataset<Row> marked = normalized
        .withColumn(CanonicalSchema.SKIPPED_AS, when(inB, lit("REPEATED_LINE")).otherwise(col(CanonicalSchema.SKIPPED_AS)))
        .withColumn(CanonicalSchema.MALFORMED_DETAIL, when(inC, lit("cut")).otherwise(col(CanonicalSchema.MALFORMED_DETAIL)));
    assertEquals(2, Deduplication.repeatedIdHashes(normalized).count());
    assertEquals(0, Deduplication.repeatedIdHashes(marked).count());
  }

  private static List<String> details(Dataset<Row> classified) {
    return Validation.quarantined(classified).select(col(Validation.DETAIL)).orderBy(col(Validation.DETAIL))
        .collectAsList().stream().map(row -> row.getString(0)).toList();
  }

  private static String line(String requestId, String time, long inputTokens) {
    return LINE.formatted("\"" + requestId + "\"", time, "claude-sonnet-4-5", inputTokens);
  }

  /** @param fileAndLine pairs of a source file and one of its lines, in file order */
  private static Dataset<Row> classify(Period period, boolean dedupe, String... fileAndLine) {
    return Validation.classify(normalized(rows(fileAndLine)), card, period, dedupe);
  }

  private static List<Row> rows(String... fileAndLine) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < fileAndLine.length; i += 2) {
      rows.add(RowFactory.create(fileAndLine[i + 1], fileAndLine[i]));
    }
    return rows;
  }

  private static Dataset<Row> normalized(List<Row> rows) {
    StructType lines = new StructType().add("value", DataTypes.StringType).add("source_file", DataTypes.StringType);
    return LogReader.jsonLines(SharedSpark.session().createDataFrame(rows, lines));
  }

  /** "file request_id status" for each row, ordered by file, request id and raw record (time first, for one id). */
  private static List<String> statuses(Dataset<Row> classified) {
    return classified.orderBy(col(CanonicalSchema.SOURCE_FILE), col(CanonicalSchema.REQUEST_ID),
            col(CanonicalSchema.EVENT_TIME), col(RowStatus.COLUMN))
        .select(col(CanonicalSchema.SOURCE_FILE), col(CanonicalSchema.REQUEST_ID), col(RowStatus.COLUMN))
        .collectAsList().stream().map(row -> row.getString(0) + " " + row.getString(1) + " " + row.getString(2)).toList();
  }
}
