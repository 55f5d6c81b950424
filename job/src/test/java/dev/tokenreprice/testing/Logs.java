package dev.tokenreprice.testing;

import static org.apache.spark.sql.functions.lit;

import dev.tokenreprice.input.LogReader;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;

/** Builds normalized logs from JSON lines written inline in a test, through the real JSONL reader. */
public final class Logs {
  private Logs() {}

  public static Dataset<Row> fromJsonLines(String... lines) {
    return LogReader.jsonLines(SharedSpark.session()
        .createDataset(List.of(lines), Encoders.STRING()).toDF("value")
        .withColumn("source_file", lit("memory:test.jsonl")));
  }
}
