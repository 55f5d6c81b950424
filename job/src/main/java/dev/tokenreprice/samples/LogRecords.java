package dev.tokenreprice.samples;

import static org.apache.spark.sql.functions.ceil;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.unix_millis;
import static org.apache.spark.sql.functions.when;

import dev.tokenreprice.input.CanonicalSchema;
import dev.tokenreprice.input.FileFormat;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * Shapes the synthetic requests as the records of one file format, planting the bad rows that only that
 * format can hold: JSONL lines (broken JSON, text counts, timestamp text) or Parquet records.
 */
final class LogRecords {
  /** The one column Spark's text writer takes. */
  static final String LINE = "value";
  /** The session time zone is UTC, so this prints the UTC time with its Z. */
  private static final String ISO_INSTANT = "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'";

  private LogRecords() {}

  static Dataset<Row> of(Dataset<Row> requests, FileFormat format) {
    return switch (format) {
      case JSONL -> jsonLines(requests);
      case PARQUET -> parquetRecords(requests);
      case SQLITE -> throw new IllegalArgumentException("the generator writes JSONL or Parquet, not SQLite");
    };
  }

  /** One line per request: the canonical JSON object, or the planted broken line. */
  static Dataset<Row> jsonLines(Dataset<Row> requests) {
    Column eventTime = col(CanonicalSchema.EVENT_TIME);
    Column timestampText = when(BadRows.is(BadRowKind.BAD_TIMESTAMP, 0), lit("yesterday"))
        .when(BadRows.is(BadRowKind.BAD_TIMESTAMP, 1), date_format(eventTime, "yyyy-MM-dd HH:mm:ss"))
        .when(BadRows.is(BadRowKind.BAD_TIMESTAMP, 2), date_format(eventTime, "dd/MM/yyyy HH:mm"))
        .otherwise(date_format(eventTime, ISO_INSTANT));
    Column inputTokens = when(BadRows.is(BadRowKind.MALFORMED_RECORD, 2), lit(null).cast(DataTypes.LongType))
        .otherwise(col(CanonicalSchema.INPUT_TOKENS));
    // to_json leaves out null fields: omitted is how a log says "default" or "none".
    Column asEpochMillis = col(SyntheticRequests.TIME_AS_EPOCH_MILLIS).and(BadRows.isKind(BadRowKind.BAD_TIMESTAMP).unary_$bang());
    Column record = when(asEpochMillis, to_json(canonicalStruct(unix_millis(eventTime), inputTokens)))
        .otherwise(to_json(canonicalStruct(timestampText, inputTokens)));

    String recordColumn = "record";
    Column json = col(recordColumn);
    Column countAsText = concat(lit("\"" + CanonicalSchema.INPUT_TOKENS + "\":\""),
        ceil(col(CanonicalSchema.INPUT_TOKENS).divide(1000)).cast(DataTypes.StringType), lit("k\""));
    Column line = when(BadRows.is(BadRowKind.MISSING_TIMESTAMP, 1), regexp_replace(json,
            lit("^(\\{\"" + CanonicalSchema.REQUEST_ID + "\":\"[^\"]*\"),"), lit("$1,\"" + CanonicalSchema.TIMESTAMP + "\":null,")))
        .when(BadRows.is(BadRowKind.MALFORMED_RECORD, 0), json.substr(lit(1), length(json).divide(2).cast(DataTypes.IntegerType)))
        .when(BadRows.is(BadRowKind.MALFORMED_RECORD, 1),
            regexp_replace(json, lit("\"" + CanonicalSchema.INPUT_TOKENS + "\":[0-9]+"), countAsText))
        .otherwise(json);
    return requests
        .select(col(SyntheticRequests.BAD_KIND), col(SyntheticRequests.BAD_VARIANT),
            col(CanonicalSchema.INPUT_TOKENS), record.as(recordColumn))
        .select(line.as(LINE));
  }

  /** The canonical columns with Parquet types: a TIMESTAMP column and 64-bit counts. */
  static Dataset<Row> parquetRecords(Dataset<Row> requests) {
    // A TIMESTAMP column cannot hold unparseable text: the writer of such a log would have left it empty.
    Column timestamp = when(BadRows.isKind(BadRowKind.BAD_TIMESTAMP), lit(null).cast(DataTypes.TimestampType))
        .otherwise(col(CanonicalSchema.EVENT_TIME));
    // Nor can a typed record be broken: a malformed record here is one without its required input count.
    Column inputTokens = when(BadRows.isKind(BadRowKind.MALFORMED_RECORD), lit(null).cast(DataTypes.LongType))
        .otherwise(col(CanonicalSchema.INPUT_TOKENS));
    return requests.select(canonicalColumns(timestamp, inputTokens).toArray(Column[]::new));
  }

  private static Column canonicalStruct(Column timestamp, Column inputTokens) {
    return struct(canonicalColumns(timestamp, inputTokens).toArray(Column[]::new));
  }

  /** The canonical fields in the order a person reads a log line. */
  private static List<Column> canonicalColumns(Column timestamp, Column inputTokens) {
    List<Column> columns = new ArrayList<>();
    columns.add(col(CanonicalSchema.REQUEST_ID));
    columns.add(timestamp.as(CanonicalSchema.TIMESTAMP));
    for (String text : List.of(CanonicalSchema.PROVIDER, CanonicalSchema.MODEL, CanonicalSchema.FEATURE,
        CanonicalSchema.SERVICE_TIER, CanonicalSchema.SPEED, CanonicalSchema.INFERENCE_GEO)) {
      columns.add(col(text));
    }
    columns.add(inputTokens.as(CanonicalSchema.INPUT_TOKENS));
    for (String tokens : CanonicalSchema.TOKEN_COLUMNS) {
      if (!tokens.equals(CanonicalSchema.INPUT_TOKENS)) {
        columns.add(col(tokens));
      }
    }
    return columns;
  }
}
