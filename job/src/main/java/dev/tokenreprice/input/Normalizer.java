package dev.tokenreprice.input;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.nullif;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import dev.tokenreprice.ratecard.PricingOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * The last step of every reader: given each canonical field as a column of the source (or null where the
 * source lacks it), applies the defaults, trims text, parses the timestamp and records which required
 * parts are missing, producing the {@link CanonicalSchema#normalizedColumns() normalized columns}.
 * It decides nothing about quarantine; validation does that from the facts recorded here.
 */
final class Normalizer {
  private Normalizer() {}

  /**
   * @param fields canonical field name to source column; text fields as strings, tokens as longs,
   *     {@link CanonicalSchema#TIMESTAMP} as an already parsed timestamp
   * @param timestampPresent whether the source record had a timestamp value at all
   * @param shapeProblem why the record does not have the shape of its format, or null
   * @param isRequest whether a well-shaped record is a request; the others are {@link SkipReason#NOT_A_REQUEST}
   * @param position the record's {@link CanonicalSchema#RECORD_POSITION}
   * @param extra further columns to keep for a later step of the format
   */
  static Dataset<Row> normalize(Dataset<Row> source, Map<String, Column> fields, Column timestampPresent,
      Column shapeProblem, Column isRequest, Column sourceFile, Column rawRecord, Column position,
      Map<String, Column> extra) {
    Column eventTime = fields.get(CanonicalSchema.TIMESTAMP);
    Column notARequest = shapeProblem.isNull().and(functions.not(functions.coalesce(isRequest, lit(false))));
    Map<String, Column> out = new LinkedHashMap<>();
    out.put(CanonicalSchema.SOURCE_FILE, sourceFile);
    out.put(CanonicalSchema.RAW_RECORD, rawRecord);
    out.put(CanonicalSchema.RECORD_POSITION, position);
    // A record that is not a request lacks token counts by nature; only its shape can make it malformed.
    out.put(CanonicalSchema.MALFORMED_DETAIL, coalesce(shapeProblem, when(functions.not(notARequest),
        missingRequiredTokens(fields))));
    out.put(CanonicalSchema.SKIPPED_AS, when(notARequest, lit(SkipReason.NOT_A_REQUEST.name())));
    out.put(CanonicalSchema.HAS_TIMESTAMP, timestampPresent);
    out.put(CanonicalSchema.EVENT_TIME, eventTime);
    out.put(CanonicalSchema.DAY, to_date(eventTime));
    out.put(CanonicalSchema.REQUEST_ID, blankToNull(fields.get(CanonicalSchema.REQUEST_ID)));
    out.put(CanonicalSchema.USAGE_PART, fields.getOrDefault(CanonicalSchema.USAGE_PART, lit(CanonicalSchema.OWN_USAGE)));
    out.put(CanonicalSchema.PROVIDER,
        lower(coalesce(blankToNull(fields.get(CanonicalSchema.PROVIDER)), lit(CanonicalSchema.DEFAULT_PROVIDER))));
    out.put(CanonicalSchema.MODEL, blankToNull(fields.get(CanonicalSchema.MODEL)));
    out.put(CanonicalSchema.FEATURE,
        coalesce(blankToNull(fields.get(CanonicalSchema.FEATURE)), lit(CanonicalSchema.DEFAULT_FEATURE)));
    for (PricingOption option : PricingOption.values()) {
      out.put(option.column(),
          lower(coalesce(blankToNull(fields.get(option.column())), lit(option.defaultValue()))));
    }
    for (String tokens : CanonicalSchema.COUNT_COLUMNS) {
      Column count = fields.get(tokens).cast(DataTypes.LongType);
      out.put(tokens, CanonicalSchema.REQUIRED_TOKEN_COLUMNS.contains(tokens) ? count : coalesce(count, lit(0L)));
    }
    out.putAll(extra);
    List<Column> projection = new ArrayList<>();
    out.forEach((name, column) -> projection.add(column.as(name)));
    return source.select(projection.toArray(Column[]::new));
  }

  private static Column blankToNull(Column text) {
    return nullif(trim(text), lit(""));
  }

  /** Names the required token counts a record lacks, for example "input_tokens is missing". */
  private static Column missingRequiredTokens(Map<String, Column> fields) {
    List<Column> missing = new ArrayList<>();
    for (String required : CanonicalSchema.REQUIRED_TOKEN_COLUMNS) {
      missing.add(when(fields.get(required).isNull(), lit(required + " is missing")));
    }
    Column joined = concat_ws("; ", missing.toArray(Column[]::new));
    return nullif(joined, lit(""));
  }
}
