package dev.tokenreprice.input;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;

import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code otlp-spans} step: turns lines of OpenTelemetry trace data into one record per span. A line
 * is either an OTLP JSON export ({@code resourceSpans[].scopeSpans[].spans[]}, attributes as key/value
 * lists, integers as strings, as a collector's file exporter writes it) or a flat JSON record of one span
 * with dotted attribute names, at its top level or in nested {@code attributes} and {@code resource}
 * objects. Each record has {@code attributes} (span attributes over resource attributes, values as text),
 * {@code resource_attributes}, {@code span_name}, {@code trace_id}, {@code span_id} and {@code start_time}
 * (epoch milliseconds as text, or the record's own time text).
 *
 * <p>Attribute maps keep the last of repeated keys, which needs {@code spark.sql.mapKeyDedupPolicy=LAST_WIN}
 * (the job sets it).
 */
final class OtlpSpans {
  static final String ATTRIBUTES = "attributes";
  static final String RESOURCE_ATTRIBUTES = "resource_attributes";
  static final String SPAN_NAME = "span_name";
  static final String TRACE_ID = "trace_id";
  static final String SPAN_ID = "span_id";
  static final String START_TIME = "start_time";

  private static final String KEY_VALUES =
      "ARRAY<STRUCT<key: STRING, value: STRUCT<stringValue: STRING, intValue: STRING, doubleValue: STRING,"
          + " boolValue: STRING>>>";
  private static final StructType EXPORT = StructType.fromDDL(
      "resourceSpans ARRAY<STRUCT<resource: STRUCT<attributes: " + KEY_VALUES + ">, scopeSpans: ARRAY<STRUCT<"
          + "spans: ARRAY<STRUCT<traceId: STRING, spanId: STRING, name: STRING, startTimeUnixNano: STRING,"
          + " attributes: " + KEY_VALUES + ">>>>>>")
      .add(MappedReader.CORRUPT_RECORD, DataTypes.StringType);
  /** A span with its resource's attributes, kept to show a quarantined span as it was. */
  private static final String SOURCE_TYPE = "STRUCT<resource: " + KEY_VALUES + ", span: STRUCT<traceId: STRING,"
      + " spanId: STRING, name: STRING, startTimeUnixNano: STRING, attributes: " + KEY_VALUES + ">>";
  private static final String OTLP = "__reprice_otlp";
  private static final String FLAT = "__reprice_flat";
  private static final String SPANS = "__reprice_spans";
  private static final String SPAN = "__reprice_span";

  private OtlpSpans() {}

  /**
   * @param lines non-blank lines in {@link MappedReader#LINE} with {@link MappedReader#SOURCE_FILE}
   * @return one row per span with the columns above and the reader's provenance columns
   */
  static Dataset<Row> records(Dataset<Row> lines) {
    Dataset<Row> parsed = lines
        .withColumn(OTLP, from_json(col(MappedReader.LINE), EXPORT,
            Map.of("mode", "PERMISSIVE", "columnNameOfCorruptRecord", MappedReader.CORRUPT_RECORD)))
        .withColumn(FLAT, when(col(OTLP + ".resourceSpans").isNull().and(col(OTLP + "." + MappedReader.CORRUPT_RECORD).isNull()),
            from_json(col(MappedReader.LINE), DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType),
                Map.of())));
    String spans = "flatten(filter(transform(" + OTLP + ".resourceSpans, r -> flatten(filter(transform(r.scopeSpans,"
        + " s -> transform(s.spans, sp -> named_struct('resource', r.resource.attributes, 'span', sp))),"
        + " x -> x IS NOT NULL))), x -> x IS NOT NULL))";
    String fromExport = "transform(" + spans + ", x -> named_struct("
        + "'" + ATTRIBUTES + "', map_concat(" + attributeMap("x.resource") + ", " + attributeMap("x.span.attributes") + "),"
        + "'" + RESOURCE_ATTRIBUTES + "', " + attributeMap("x.resource") + ","
        + "'" + SPAN_NAME + "', x.span.name, '" + TRACE_ID + "', x.span.traceId, '" + SPAN_ID + "', x.span.spanId,"
        + "'" + START_TIME + "', " + nanosToMillis("x.span.startTimeUnixNano") + ","
        + "'source', x))";
    // A flat record's attributes: its own dotted keys, then a nested resource and attributes object if it has them.
    String resource = "map_concat(" + nestedMap(FLAT + "['resource']") + ", "
        + nestedMap("from_json(" + FLAT + "['resource'], 'MAP<STRING, STRING>')['attributes']") + ")";
    String flatAttributes = "map_concat(" + FLAT + ", " + resource + ", " + nestedMap(FLAT + "['attributes']") + ")";
    String fromFlat = "array(named_struct("
        + "'" + ATTRIBUTES + "', " + flatAttributes + ", '" + RESOURCE_ATTRIBUTES + "', " + resource + ","
        + "'" + SPAN_NAME + "', " + FLAT + "['name'],"
        + "'" + TRACE_ID + "', coalesce(" + FLAT + "['traceId'], " + FLAT + "['trace_id']),"
        + "'" + SPAN_ID + "', coalesce(" + FLAT + "['spanId'], " + FLAT + "['span_id']),"
        + "'" + START_TIME + "', coalesce(" + nanosToMillis(FLAT + "['startTimeUnixNano']") + ", "
        + nanosToMillis(FLAT + "['start_time_unix_nano']") + ", " + FLAT + "['timestamp'], " + FLAT + "['start_time'],"
        + FLAT + "['startTime']),"
        + "'source', CAST(NULL AS " + SOURCE_TYPE + ")))";
    return parsed
        .withColumn(SPANS, expr("CASE WHEN " + OTLP + ".resourceSpans IS NOT NULL THEN " + fromExport
            + " WHEN " + FLAT + " IS NOT NULL THEN " + fromFlat + " END"))
        .select(col("*"), expr("explode_outer(" + SPANS + ") AS " + SPAN))
        .select(
            col(SPAN + "." + ATTRIBUTES).as(ATTRIBUTES),
            col(SPAN + "." + RESOURCE_ATTRIBUTES).as(RESOURCE_ATTRIBUTES),
            col(SPAN + "." + SPAN_NAME).as(SPAN_NAME),
            col(SPAN + "." + TRACE_ID).as(TRACE_ID),
            col(SPAN + "." + SPAN_ID).as(SPAN_ID),
            col(SPAN + "." + START_TIME).as(START_TIME),
            col(MappedReader.SOURCE_FILE),
            // Serialized only when a span is quarantined: the expression is inlined where it is used.
            coalesce(to_json(col(SPAN + ".source")), col(MappedReader.LINE)).as(MappedReader.RAW_RECORD),
            when(col(SPANS).isNull(), lit("neither OTLP JSON trace data (resourceSpans[].scopeSpans[].spans[])"
                + " nor a flat JSON span record (invalid JSON, or a field of the wrong type)"))
                .as(MappedReader.SHAPE_PROBLEM));
  }

  /** A key/value list as a map of text values; entries without a key are left out (a map key cannot be null). */
  private static String attributeMap(String keyValues) {
    return "coalesce(map_from_entries(transform(filter(" + keyValues + ", a -> a.key IS NOT NULL),"
        + " a -> named_struct('key', a.key, 'value', coalesce(a.value.stringValue, a.value.intValue,"
        + " a.value.doubleValue, a.value.boolValue)))), CAST(map() AS MAP<STRING, STRING>))";
  }

  /** A JSON object held as text in a map value, as a map; empty when it is absent or no object. */
  private static String nestedMap(String jsonText) {
    return "coalesce(from_json(" + jsonText + ", 'MAP<STRING, STRING>'), CAST(map() AS MAP<STRING, STRING>))";
  }

  /** OTLP times are nanoseconds since the epoch, as text: cut to the milliseconds the canonical time takes. */
  private static String nanosToMillis(String nanos) {
    return "CASE WHEN " + nanos + " RLIKE '^[0-9]{7,21}$' THEN substr(" + nanos + ", 1, length(" + nanos + ") - 6)"
        + " WHEN " + nanos + " RLIKE '^[0-9]{1,6}$' THEN '0' ELSE " + nanos + " END";
  }
}
