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
  private static final String MALFORMED = "__reprice_malformed";

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
    // Only the nesting is unrolled in lambdas; the attribute maps are built once per span, outside them.
    String spans = "flatten(filter(transform(" + OTLP + ".resourceSpans, r -> flatten(filter(transform(r.scopeSpans,"
        + " s -> transform(s.spans, sp -> named_struct('resource', r.resource.attributes, 'span', sp))),"
        + " x -> x IS NOT NULL))), x -> x IS NOT NULL))";
    // A flat record's attributes: its own dotted keys, then a nested resource and attributes object if it has them.
    String flatResource = "map_concat(" + nestedMap(FLAT + "['resource']") + ", "
        + nestedMap("from_json(" + FLAT + "['resource'], 'MAP<STRING, STRING>')['attributes']") + ")";
    String flatAttributes = "map_concat(" + FLAT + ", " + flatResource + ", " + nestedMap(FLAT + "['attributes']") + ")";
    Dataset<Row> exploded = parsed
        .withColumn(SPANS, expr("CASE WHEN " + OTLP + ".resourceSpans IS NOT NULL THEN " + spans
            + " WHEN " + FLAT + " IS NOT NULL THEN array(CAST(NULL AS " + SOURCE_TYPE + ")) END"))
        .select(col(MappedReader.LINE), col(MappedReader.SOURCE_FILE), col(MappedReader.POSITION), col(FLAT),
            col(SPANS).isNull().as(MALFORMED),
            expr("explode_outer(" + SPANS + ") AS " + SPAN))
        .withColumn(RESOURCE_ATTRIBUTES, expr("CASE WHEN " + SPAN + " IS NOT NULL THEN " + attributeMap(SPAN + ".resource")
            + " WHEN " + FLAT + " IS NOT NULL THEN " + flatResource + " END"));
    return exploded
        .select(
            expr("CASE WHEN " + SPAN + " IS NOT NULL THEN map_concat(" + RESOURCE_ATTRIBUTES + ", "
                + attributeMap(SPAN + ".span.attributes") + ") WHEN " + FLAT + " IS NOT NULL THEN " + flatAttributes
                + " END").as(ATTRIBUTES),
            col(RESOURCE_ATTRIBUTES),
            expr("coalesce(" + SPAN + ".span.name, " + FLAT + "['name'])").as(SPAN_NAME),
            expr("coalesce(" + SPAN + ".span.traceId, " + FLAT + "['traceId'], " + FLAT + "['trace_id'])").as(TRACE_ID),
            expr("coalesce(" + SPAN + ".span.spanId, " + FLAT + "['spanId'], " + FLAT + "['span_id'])").as(SPAN_ID),
            expr("coalesce(" + nanosToMillis(SPAN + ".span.startTimeUnixNano") + ", "
                + nanosToMillis(FLAT + "['startTimeUnixNano']") + ", " + nanosToMillis(FLAT + "['start_time_unix_nano']")
                + ", " + FLAT + "['timestamp'], " + FLAT + "['start_time'], " + FLAT + "['startTime'])").as(START_TIME),
            col(MappedReader.SOURCE_FILE),
            col(MappedReader.POSITION),
            // Serialized only when a span is quarantined: the expression is inlined where it is used.
            coalesce(to_json(col(SPAN)), col(MappedReader.LINE)).as(MappedReader.RAW_RECORD),
            when(col(MALFORMED), lit("neither OTLP JSON trace data (resourceSpans[].scopeSpans[].spans[])"
                + " nor a flat JSON span record (invalid JSON, or a field of the wrong type)"))
                .as(MappedReader.SHAPE_PROBLEM));
  }

  /**
   * A key/value list as a map of text values. Keys are taken as they are unless one is missing (a map key
   * cannot be null), when the entries without a key are left out; repeated keys keep the last value.
   */
  private static String attributeMap(String keyValues) {
    String value = "coalesce(a.stringValue, a.intValue, a.doubleValue, a.boolValue)";
    return "coalesce(CASE WHEN size(array_except(" + keyValues + ".key, array(CAST(NULL AS STRING)))) = size(" + keyValues
        + ") THEN map_from_arrays(" + keyValues + ".key, transform(" + keyValues + ".value, a -> " + value + "))"
        + " ELSE map_from_entries(transform(filter(" + keyValues + ", e -> e.key IS NOT NULL),"
        + " e -> named_struct('key', e.key, 'value', coalesce(e.value.stringValue, e.value.intValue,"
        + " e.value.doubleValue, e.value.boolValue)))) END, CAST(map() AS MAP<STRING, STRING>))";
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
