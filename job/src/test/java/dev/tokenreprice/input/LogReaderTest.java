package dev.tokenreprice.input;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenreprice.testing.Logs;
import dev.tokenreprice.testing.SharedSpark;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogReaderTest {
  @TempDir
  Path dir;

  @Test
  void parquetWithTimestampColumnsAndThirtyTwoBitCountsIsNormalized() {
    SparkSession spark = SharedSpark.session();
    StructType schema = new StructType()
        .add("timestamp", DataTypes.TimestampType)
        .add("model", DataTypes.StringType)
        .add("input_tokens", DataTypes.IntegerType)
        .add("output_tokens", DataTypes.IntegerType)
        .add("cache_read_tokens", DataTypes.StringType)
        .add("cache_write_5m_tokens", DataTypes.DoubleType)
        .add("extra", DataTypes.DoubleType);
    List<Row> rows = List.of(
        RowFactory.create(Timestamp.valueOf("2026-11-03 23:30:00"), "claude-sonnet-4-5", 10, 20, "30", 40.0, 1.5),
        RowFactory.create(null, "claude-sonnet-4-5", 1, 2, "12k", null, null));
    String path = dir.resolve("logs.parquet").toString();
    spark.createDataFrame(rows, schema).coalesce(1).write().parquet(path);

    List<Row> normalized = LogReader.parquet(spark.read().parquet(path))
        .orderBy(col(CanonicalSchema.HAS_TIMESTAMP).desc()).collectAsList();
    Row good = normalized.get(0);
    assertEquals(Date.valueOf("2026-11-03"), good.getDate(good.fieldIndex(CanonicalSchema.DAY)));
    assertEquals(10L, good.getLong(good.fieldIndex(CanonicalSchema.INPUT_TOKENS)));
    assertEquals(30L, good.getLong(good.fieldIndex(CanonicalSchema.CACHE_READ_TOKENS)));
    assertEquals(40L, good.getLong(good.fieldIndex(CanonicalSchema.CACHE_WRITE_5M_TOKENS)));
    assertEquals(0L, good.getLong(good.fieldIndex(CanonicalSchema.CACHE_WRITE_1H_TOKENS)));
    assertEquals("anthropic", good.getString(good.fieldIndex(CanonicalSchema.PROVIDER)));
    assertEquals("unattributed", good.getString(good.fieldIndex(CanonicalSchema.FEATURE)));
    assertEquals("global", good.getString(good.fieldIndex(CanonicalSchema.INFERENCE_GEO)));
    assertNull(good.get(good.fieldIndex(CanonicalSchema.MALFORMED_DETAIL)));
    assertTrue(good.getString(good.fieldIndex(CanonicalSchema.RAW_RECORD)).contains("\"extra\":1.5"));
    assertTrue(good.getString(good.fieldIndex(CanonicalSchema.SOURCE_FILE)).endsWith(".parquet"));
    Row bad = normalized.get(1);
    assertEquals(false, bad.getBoolean(bad.fieldIndex(CanonicalSchema.HAS_TIMESTAMP)));
    assertEquals("cache_read_tokens is not a whole number", bad.getString(bad.fieldIndex(CanonicalSchema.MALFORMED_DETAIL)));
  }

  @Test
  void jsonTimestampsMayBeIsoWithAnOffsetOrEpochMillisAndTextIsTrimmedWithDefaults() {
    Dataset<Row> logs = Logs.fromJsonLines(
        "{\"request_id\":\"a\",\"timestamp\":\"2026-11-03T10:15:00.123456789+02:00\",\"model\":\" m \",\"feature\":\"\",\"input_tokens\":1,\"output_tokens\":2}",
        "{\"request_id\":\"b\",\"timestamp\":1762164900000,\"model\":\"m\",\"provider\":\"OpenAI\",\"input_tokens\":1,\"output_tokens\":2}",
        "{\"request_id\":\"c\",\"timestamp\":\"1762164900000\",\"model\":\"m\",\"input_tokens\":1,\"output_tokens\":2}");
    List<Row> rows = logs.orderBy(CanonicalSchema.REQUEST_ID).collectAsList();
    assertEquals(Timestamp.valueOf("2026-11-03 08:15:00.123456"), rows.get(0).getTimestamp(rows.get(0).fieldIndex(CanonicalSchema.EVENT_TIME)));
    assertEquals("m", rows.get(0).getString(rows.get(0).fieldIndex(CanonicalSchema.MODEL)));
    assertEquals("unattributed", rows.get(0).getString(rows.get(0).fieldIndex(CanonicalSchema.FEATURE)));
    assertEquals(Timestamp.valueOf("2025-11-03 10:15:00"), rows.get(1).getTimestamp(rows.get(1).fieldIndex(CanonicalSchema.EVENT_TIME)));
    assertEquals("openai", rows.get(1).getString(rows.get(1).fieldIndex(CanonicalSchema.PROVIDER)));
    assertEquals(Date.valueOf("2025-11-03"), rows.get(2).getDate(rows.get(2).fieldIndex(CanonicalSchema.DAY)));
  }
}
