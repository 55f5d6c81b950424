package dev.tokenreprice.input;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.monotonically_increasing_id;
import static org.apache.spark.sql.functions.posexplode_outer;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;

import dev.tokenreprice.cli.UsageException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Normalizes records of a mapped {@link LogFormat}: parses each JSON line with the format's explicit
 * schema (or its {@code otlp-spans} step), evaluates the {@code let} helpers, the {@code request} filter
 * and one Spark SQL expression per canonical field, adapts each result's type, and hands the fields to the
 * {@link Normalizer} like every other reader. The pricing code never learns which format a row came from.
 */
final class MappedReader {
  static final String LINE = "__reprice_line";
  static final String CORRUPT_RECORD = "_corrupt_record";
  /** The record's file path, a column every mapping expression may use. */
  static final String SOURCE_FILE = "_source_file";
  static final String POSITION = "__reprice_position";
  static final String RAW_RECORD = "__reprice_raw_record";
  static final String SHAPE_PROBLEM = "__reprice_shape_problem";
  private static final String PARSED = "__reprice_parsed";
  private static final String IS_REQUEST = "__reprice_is_request";
  private static final String ADDITIONAL_USAGE = "__reprice_additional_usage_array";
  private static final String FIELD_PREFIX = "__reprice_field_";

  private MappedReader() {}

  /** @param lines raw lines in {@link #LINE} with their file in {@link #SOURCE_FILE}, blank lines removed */
  static Dataset<Row> jsonLines(Dataset<Row> lines, LogFormat format) {
    Dataset<Row> records;
    if (format.has(LogFormat.Step.Kind.OTLP_SPANS)) {
      records = OtlpSpans.records(lines);
    } else {
      StructType schema = format.recordSchema().orElseThrow(() -> new UsageException("log format " + format.source()
          + ": 'schema' is missing: JSON lines are parsed with an explicit schema (a Spark DDL string)"));
      Dataset<Row> parsed = lines.withColumn(PARSED, from_json(col(LINE), schema.add(CORRUPT_RECORD, DataTypes.StringType),
          Map.of("mode", "PERMISSIVE", "columnNameOfCorruptRecord", CORRUPT_RECORD)));
      List<Column> columns = new ArrayList<>();
      for (String field : schema.fieldNames()) {
        columns.add(col(PARSED + ".`" + field + "`").as(field));
      }
      columns.add(col(SOURCE_FILE));
      columns.add(col(POSITION));
      columns.add(col(LINE).as(RAW_RECORD));
      columns.add(when(col(PARSED + "." + CORRUPT_RECORD).isNotNull(), lit("not a JSON object of the " + format.name()
          + " format (invalid JSON, or a field of the wrong type, such as a token count that is not a whole number)"))
          .as(SHAPE_PROBLEM));
      records = parsed.select(columns.toArray(Column[]::new));
      if (format.step(LogFormat.Step.Kind.JSON_DOCUMENTS).filter(step -> step.arguments().size() == 2).isPresent()) {
        records = documentElements(records, format);
      }
    }
    return mapped(records, format);
  }

  /**
   * The {@code json-documents} step: a record holding the array field becomes one record per element, each with the
   * element's fields (and the document's others), its own raw text and its place in the document; records without
   * the array (the lines of other files) pass as they are.
   */
  private static Dataset<Row> documentElements(Dataset<Row> records, LogFormat format) {
    String arrayField = format.step(LogFormat.Step.Kind.JSON_DOCUMENTS).orElseThrow().arguments().get(1);
    Optional<StructField> array = Arrays.stream(records.schema().fields())
        .filter(field -> field.name().equals(arrayField)).findFirst();
    if (array.isEmpty() || !(array.get().dataType() instanceof ArrayType arrayType)
        || !(arrayType.elementType() instanceof StructType element)) {
      throw new UsageException("log format " + format.source() + ": step 'json-documents': the schema must declare '"
          + arrayField + "' as an ARRAY of STRUCTs, the records of a document");
    }
    String index = "__reprice_element_index";
    String value = "__reprice_element";
    Dataset<Row> exploded = records.select(col("*"), posexplode_outer(col("`" + arrayField + "`")).as(
        new String[] {index, value}));
    Column inDocument = col(value).isNotNull();
    List<String> names = Arrays.asList(records.schema().fieldNames());
    for (StructField field : element.fields()) {
      Column fromElement = col(value).getField(field.name());
      exploded = exploded.withColumn(field.name(), names.contains(field.name())
          ? when(inDocument, coalesce(fromElement, col("`" + field.name() + "`"))).otherwise(col("`" + field.name() + "`"))
          : fromElement);
    }
    return exploded
        .withColumn(RAW_RECORD, when(inDocument, to_json(col(value))).otherwise(col(RAW_RECORD)))
        .withColumn(POSITION, when(inDocument, struct(col(POSITION + ".split_start"),
            col(index).cast(DataTypes.LongType).as("in_split"))).otherwise(col(POSITION)))
        .withColumn(arrayField, lit(null).cast(arrayType))
        .drop(index, value);
  }

  /** Parquet records as read: the file's own schema is the record's. */
  static Dataset<Row> parquet(Dataset<Row> records, LogFormat format) {
    if (format.has(LogFormat.Step.Kind.OTLP_SPANS)) {
      throw new UsageException("log format " + format.name() + " reads JSON lines only, not Parquet files");
    }
    Column[] original = Arrays.stream(records.schema().fieldNames()).map(name -> col("`" + name + "`"))
        .toArray(Column[]::new);
    Dataset<Row> withMappedFields = records;
    if (format.recordSchema().isPresent()) {
      // The mapping's schema names every field its expressions use: those a file lacks (an optional
      // errorCode, a nested cache count) are added as nulls, so one mapping reads files of every vintage.
      for (StructField wanted : format.recordSchema().get().fields()) {
        Optional<StructField> present = Arrays.stream(records.schema().fields())
            .filter(field -> field.name().equals(wanted.name())).findFirst();
        if (present.isPresent() && present.get().dataType().equals(wanted.dataType())) {
          continue;
        }
        withMappedFields = withMappedFields.withColumn(wanted.name(), present
            .map(field -> completed(col("`" + field.name() + "`"), field.dataType(), wanted.dataType()))
            .orElse(lit(null).cast(wanted.dataType())));
      }
    }
    return mapped(withMappedFields
        .withColumn(SOURCE_FILE, col(LogReader.FILE_PATH))
        .withColumn(POSITION, position(col(LogReader.FILE_BLOCK_START)))
        .withColumn(RAW_RECORD, to_json(struct(original)))
        .withColumn(SHAPE_PROBLEM, lit(null).cast(DataTypes.StringType)), format);
  }

  /**
   * A record's place in its file: the start of its split, then its place in the split. Spark reads a split
   * in one task, in order, so the task's increasing id orders the records of one split as they were written.
   * Computed where the records are read, before any shuffle.
   */
  static Column position(Column splitStart) {
    return struct(splitStart.cast(DataTypes.LongType).as("split_start"), monotonically_increasing_id().as("in_split"));
  }

  /** A struct with every field the mapping's schema names, the file's where it has them; other types as they are. */
  private static Column completed(Column value, DataType actual, DataType wanted) {
    if (!(actual instanceof StructType actualStruct) || !(wanted instanceof StructType wantedStruct)) {
      return value;
    }
    List<Column> fields = new ArrayList<>();
    for (StructField field : wantedStruct.fields()) {
      Optional<StructField> present = Arrays.stream(actualStruct.fields())
          .filter(candidate -> candidate.name().equals(field.name())).findFirst();
      fields.add(present.map(p -> completed(value.getField(p.name()), p.dataType(), field.dataType()))
          .orElse(lit(null).cast(field.dataType())).as(field.name()));
    }
    return when(value.isNull(), lit(null)).otherwise(struct(fields.toArray(Column[]::new)));
  }

  private static Dataset<Row> mapped(Dataset<Row> records, LogFormat format) {
    Dataset<Row> withFields = records;
    for (Map.Entry<String, String> helper : format.derived().entrySet()) {
      withFields = evaluate(withFields, helper.getKey(), helper.getValue(), format, "let '" + helper.getKey() + "'");
    }
    withFields = format.requestFilter().isPresent()
        ? evaluate(withFields, IS_REQUEST, format.requestFilter().get(), format, "request")
        : withFields.withColumn(IS_REQUEST, lit(true));
    for (Map.Entry<String, String> field : format.fields().entrySet()) {
      withFields = evaluate(withFields, FIELD_PREFIX + field.getKey(), field.getValue(), format,
          "field '" + field.getKey() + "'");
    }
    boolean withParts = format.additionalUsage().isPresent();
    if (withParts) {
      withFields = evaluate(withFields, ADDITIONAL_USAGE, format.additionalUsage().get(), format, "additional_usage");
      withFields = AdditionalUsage.explode(withFields, ADDITIONAL_USAGE,
          coalesce(col(IS_REQUEST), lit(false)).and(col(SHAPE_PROBLEM).isNull()), FIELD_PREFIX, format.source());
    }
    Column key = null;
    if (format.has(LogFormat.Step.Kind.MERGE_REPEATED_LINES)) {
      List<String> parts = format.step(LogFormat.Step.Kind.MERGE_REPEATED_LINES).orElseThrow().arguments();
      for (int i = 0; i < parts.size(); i++) {
        withFields = evaluate(withFields, RepeatedLines.KEY + i, parts.get(i), format, "step 'merge-repeated-lines'");
      }
      Column complete = lit(true);
      List<Column> text = new ArrayList<>();
      for (int i = 0; i < parts.size(); i++) {
        complete = complete.and(col(RepeatedLines.KEY + i).isNotNull());
        text.add(col(RepeatedLines.KEY + i).cast(DataTypes.StringType));
      }
      if (withParts) {
        // The streamed lines of one request repeat its advisor usage too: each part merges with its own.
        text.add(col(AdditionalUsage.PART).cast(DataTypes.StringType));
      }
      key = when(complete, concat_ws("\u0001", text.toArray(Column[]::new)));
    }
    Map<String, Column> extra = new LinkedHashMap<>();
    if (key != null) {
      extra.put(RepeatedLines.KEY, key);
    }
    if (format.has(LogFormat.Step.Kind.SPLIT_AT_TURNS)) {
      List<String> parts = format.step(LogFormat.Step.Kind.SPLIT_AT_TURNS).orElseThrow().arguments();
      withFields = evaluate(withFields, RepeatedLines.IN_TURNS, parts.get(0), format, "step 'split-at-turns'");
      withFields = evaluate(withFields, RepeatedLines.TURN_MARK, parts.get(1), format, "step 'split-at-turns'");
      extra.put(RepeatedLines.IN_TURNS, coalesce(col(RepeatedLines.IN_TURNS).cast(DataTypes.BooleanType), lit(false)));
      extra.put(RepeatedLines.TURN_MARK, col(RepeatedLines.TURN_MARK).cast(DataTypes.StringType));
    }

    StructType schema = withFields.schema();
    Map<String, Column> fields = new LinkedHashMap<>();
    Column shapeProblem = col(SHAPE_PROBLEM);
    for (String text : CanonicalSchema.TEXT_COLUMNS) {
      fields.put(text, typeOf(schema, text).map(type -> FieldTypes.text(col(FIELD_PREFIX + text)))
          .orElse(lit(null).cast(DataTypes.StringType)));
    }
    DataType timeType = typeOf(schema, CanonicalSchema.TIMESTAMP).orElse(DataTypes.StringType);
    Column time = format.fields().containsKey(CanonicalSchema.TIMESTAMP)
        ? col(FIELD_PREFIX + CanonicalSchema.TIMESTAMP) : lit(null).cast(DataTypes.StringType);
    fields.put(CanonicalSchema.TIMESTAMP, FieldTypes.timestamp(time, timeType));
    for (String tokens : CanonicalSchema.COUNT_COLUMNS) {
      if (typeOf(schema, tokens).isEmpty()) {
        fields.put(tokens, lit(null).cast(DataTypes.LongType));
        continue;
      }
      FieldTypes.Count count = FieldTypes.tokenCount(col(FIELD_PREFIX + tokens), typeOf(schema, tokens).get(), tokens);
      fields.put(tokens, count.value());
      shapeProblem = coalesce(shapeProblem, count.problem());
    }
    if (withParts) {
      fields.put(CanonicalSchema.USAGE_PART, col(AdditionalUsage.PART));
    }
    Dataset<Row> normalized = Normalizer.normalize(withFields, fields, FieldTypes.timestampPresent(time, timeType),
        shapeProblem, col(IS_REQUEST), col(SOURCE_FILE), col(RAW_RECORD), col(POSITION), extra);
    return key == null ? normalized : RepeatedLines.merge(normalized, format.has(LogFormat.Step.Kind.SPLIT_AT_TURNS));
  }

  /** The type a mapped field's expression has, when the mapping sets the field. */
  private static Optional<DataType> typeOf(StructType schema, String field) {
    return Arrays.stream(schema.fields()).filter(f -> f.name().equals(FIELD_PREFIX + field))
        .map(StructField::dataType).findFirst();
  }

  /** Adds an expression's column; an expression that does not fit the record is the mapping's error, found before reading. */
  private static Dataset<Row> evaluate(Dataset<Row> records, String column, String expression, LogFormat format,
      String label) {
    try {
      return records.withColumn(column, expr(expression));
    } catch (Exception e) { // Spark's AnalysisException is checked in Java's eyes, though nothing declares it.
      if (e instanceof AnalysisException) {
        throw new UsageException("log format " + format.source() + ": " + label + ": \"" + expression
            + "\" does not fit the record (" + firstLine(e.getMessage()) + ")", e);
      }
      throw e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
    }
  }

  private static String firstLine(String message) {
    String trimmed = message == null ? "no detail" : message.strip();
    int newline = trimmed.indexOf('\n');
    return newline < 0 ? trimmed : trimmed.substring(0, newline);
  }
}
