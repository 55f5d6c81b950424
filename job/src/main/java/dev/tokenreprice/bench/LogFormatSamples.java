package dev.tokenreprice.bench;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import dev.tokenreprice.input.CanonicalSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * Rewrites generated canonical logs in the shape of each built-in log format, with Column expressions,
 * so the benchmark can time every format's reading on the same requests. Requests of another provider
 * than the format's are given one of its models, so most rows price as they would in real logs.
 */
final class LogFormatSamples {
  static final List<String> FORMATS = List.of("anthropic", "claude-code", "openai", "bedrock", "otel", "gemini");

  private LogFormatSamples() {}

  /** Writes the canonical Parquet logs in {@code canonical} as {@code format} JSON lines under {@code dir}; returns the record count. */
  static long write(SparkSession spark, Path canonical, String format, Path dir) throws IOException {
    if (format.equals("claude-code")) {
      // Claude Code reads only *.jsonl session files in project folders: a tree in their shape, not Spark's parts.
      long lines = ClaudeCodeSessions.write(dir.resolve("projects"), spark.read().parquet(canonical.toString()).count(), 15L);
      Files.writeString(dir.resolve("_GENERATED"), Long.toString(lines));
      return lines;
    }
    Dataset<Row> logs = spark.read().parquet(canonical.toString());
    // Absent cache counts are zeros in the canonical schema; in the providers' shapes they are written out.
    for (String tokens : List.of(CanonicalSchema.CACHE_WRITE_5M_TOKENS, CanonicalSchema.CACHE_WRITE_1H_TOKENS,
        CanonicalSchema.CACHE_READ_TOKENS)) {
      logs = logs.withColumn(tokens, functions.coalesce(col(tokens), lit(0L)));
    }
    logs = logs
        .withColumn("iso_time", date_format(col(CanonicalSchema.TIMESTAMP).try_cast(DataTypes.TimestampType),
            "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'"));
    Dataset<Row> records = switch (format) {
      case "anthropic" -> logs.select(col("iso_time").as("timestamp"), col("feature"), col("request_id").as("id"),
          lit("message").as("type"), anthropicModel(), anthropicUsage().as("usage"));
      case "openai" -> logs.select(col("iso_time").as("timestamp"), col("feature"), col("request_id").as("id"),
          lit("chat.completion").as("object"),
          when(col("provider").equalTo("openai"), col("model")).otherwise(lit("gpt-5.4")).as("model"),
          when(col("service_tier").equalTo("standard"), lit("default")).otherwise(col("service_tier")).as("service_tier"),
          struct(col("input_tokens").plus(col("cache_read_tokens")).as("prompt_tokens"),
              col("output_tokens").as("completion_tokens"),
              struct(col("cache_read_tokens").as("cached_tokens")).as("prompt_tokens_details")).as("usage"));
      case "bedrock" -> logs.select(lit("ModelInvocationLog").as("schemaType"), col("iso_time").as("timestamp"),
          col("request_id").as("requestId"), lit("us-east-1").as("region"),
          when(xxhash64(col("request_id")).mod(3).equalTo(0), lit("us.anthropic.claude-opus-4-6-v1:0"))
              .otherwise(lit("global.anthropic.claude-haiku-4-5-20251001-v1:0")).as("modelId"),
          struct(col("input_tokens").as("inputTokenCount"), col("cache_read_tokens").as("cacheReadInputTokenCount"),
              col("cache_write_5m_tokens").as("cacheWriteInputTokenCount")).as("input"),
          struct(col("output_tokens").as("outputTokenCount")).as("output"),
          functions.map(lit("feature"), col("feature")).as("requestMetadata"));
      case "otel" -> otlp(logs);
      case "gemini" -> gemini(logs);
      default -> throw new IllegalArgumentException("no sample writer for log format " + format);
    };
    String target = dir.toString();
    records.write().json(target);
    long count = spark.read().text(target).count();
    Files.writeString(dir.resolve("_GENERATED"), Long.toString(count));
    return count;
  }

  private static Column anthropicModel() {
    return when(col("provider").equalTo("anthropic"), col("model")).otherwise(lit("claude-sonnet-4-6")).as("model");
  }

  private static Column anthropicUsage() {
    return struct(col("input_tokens"), col("output_tokens"),
        col("cache_write_5m_tokens").plus(col("cache_write_1h_tokens")).as("cache_creation_input_tokens"),
        col("cache_read_tokens").as("cache_read_input_tokens"),
        struct(col("cache_write_5m_tokens").as("ephemeral_5m_input_tokens"),
            col("cache_write_1h_tokens").as("ephemeral_1h_input_tokens")).as("cache_creation"),
        col("service_tier"), col("speed"), col("inference_geo"));
  }

  /**
   * A logged generateContent response per request, its prompt count holding the cached tokens; batch requests as
   * Gemini Batch API lines (a key beside the response).
   */
  private static Dataset<Row> gemini(Dataset<Row> logs) {
    Column prompt = col("input_tokens").plus(col("cache_read_tokens"));
    Column usage = struct(prompt.as("promptTokenCount"), col("output_tokens").as("candidatesTokenCount"),
        col("cache_read_tokens").as("cachedContentTokenCount"),
        prompt.plus(col("output_tokens")).as("totalTokenCount"));
    Column response = struct(col("request_id").as("responseId"), lit("gemini-3.8-flash").as("modelVersion"),
        usage.as("usageMetadata"));
    return logs.select(col("iso_time").as("timestamp"), col("feature"),
        when(col("service_tier").equalTo("batch"), col("request_id")).as("key"), response.as("response"));
  }

  /** One OTLP export line per request, its attributes as key/value lists with string integers. */
  private static Dataset<Row> otlp(Dataset<Row> logs) {
    Column inputWithCache = col("input_tokens").plus(col("cache_read_tokens")).plus(col("cache_write_5m_tokens"))
        .plus(col("cache_write_1h_tokens"));
    Column attributes = array(
        attribute("gen_ai.provider.name", col("provider"), false),
        attribute("gen_ai.request.model", col("model"), false),
        attribute("gen_ai.response.id", col("request_id"), false),
        attribute("gen_ai.usage.input_tokens", inputWithCache, true),
        attribute("gen_ai.usage.output_tokens", col("output_tokens"), true),
        attribute("gen_ai.usage.cache_read.input_tokens", col("cache_read_tokens"), true),
        attribute("gen_ai.usage.cache_creation.input_tokens", col("cache_write_5m_tokens"), true));
    Column nanos = concat(col(CanonicalSchema.TIMESTAMP).try_cast(DataTypes.TimestampType).cast(DataTypes.LongType)
        .cast(DataTypes.StringType), lit("000000000"));
    Column span = struct(col("request_id").as("traceId"), lit("00f067aa0ba902b7").as("spanId"), lit("chat").as("name"),
        nanos.as("startTimeUnixNano"), attributes.as("attributes"));
    Column resource = struct(array(attribute("service.name", col("feature"), false)).as("attributes"));
    return logs.select(array(struct(resource.as("resource"),
        array(struct(array(span).as("spans"))).as("scopeSpans"))).as("resourceSpans"));
  }

  private static Column attribute(String key, Column value, boolean integer) {
    Column text = value.cast(DataTypes.StringType);
    Column none = lit(null).cast(DataTypes.StringType);
    return struct(lit(key).as("key"), struct((integer ? none : text).as("stringValue"), (integer ? text : none)
        .as("intValue")).as("value"));
  }
}
