package dev.tokenreprice.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tokenreprice.testing.SharedSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlainQueriesTest {
  private static final String LINE = "{\"request_id\":%s,\"timestamp\":\"2026-11-03T10:00:00Z\",\"model\":\"m\","
      + "\"input_tokens\":1,\"output_tokens\":1}";

  @Test
  void theRepeatedIdsContenderCountsEachIdReadMoreThanOnceWhetherParquetOrJsonLines(@TempDir Path dir)
      throws IOException {
    SparkSession spark = SharedSpark.session();
    Path jsonl = Files.createDirectories(dir.resolve("jsonl"));
    // a twice, c three times (one copy in a second file), b once; no id and a broken line are no repeat.
    Files.write(jsonl.resolve("one.jsonl"), List.of(line("\"a\""), line("\"b\""), line("\"a\""), line("\"c\""),
        line("null"), line("null"), "{not json"));
    Files.write(jsonl.resolve("two.jsonl"), List.of(line("\"c\""), line("\"c\"")));
    assertEquals(2, PlainQueries.repeatedIds(spark, jsonl.toString(), "jsonl"));

    Path parquet = dir.resolve("parquet");
    spark.read().json(jsonl.toString()).write().parquet(parquet.toString());
    assertEquals(2, PlainQueries.repeatedIds(spark, parquet.toString(), "parquet"));
  }

  private static String line(String requestId) {
    return String.format(LINE, requestId);
  }
}
