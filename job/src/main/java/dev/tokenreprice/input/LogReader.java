package dev.tokenreprice.input;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.IntegralType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;

/**
 * Reads token logs, JSONL and Parquet, and normalizes them to the canonical schema. JSONL is read as
 * text and parsed with an explicit schema, so each record keeps its raw line for quarantine and no
 * schema-inference pass touches the data. Parquet brings its own schema; each canonical field is
 * adapted from whatever type the file used (32- or 64-bit counts, timestamp or text times).
 */
public final class LogReader {
  private static final String CORRUPT_RECORD = "_corrupt_record";
  private static final String PARSED = "parsed";
  private static final String LINE = "value";
  private static final String FILE_PATH = "_metadata.file_path";

  private LogReader() {}

  /** All files of the run as one normalized Dataset; files of different formats are unioned. */
  public static Dataset<Row> read(SparkSession spark, List<InputFile> files) {
    Dataset<Row> result = null;
    for (FileFormat format : FileFormat.values()) {
      String[] paths = files.stream().filter(f -> f.format() == format).map(InputFile::path).toArray(String[]::new);
      if (paths.length == 0) {
        continue;
      }
      Dataset<Row> normalized = switch (format) {
        case JSONL -> jsonLines(spark.read().text(paths).select(col(LINE), col(FILE_PATH).as(CanonicalSchema.SOURCE_FILE)));
        // Files written at different times may lack a column or widen a type: read every footer's schema.
        case PARQUET -> parquet(spark.read().option("mergeSchema", "true").parquet(paths));
      };
      result = result == null ? normalized : result.unionByName(normalized);
    }
    if (result == null) {
      throw new IllegalArgumentException("no input files to read");
    }
    return result;
  }

  /** Normalizes JSON lines: a Dataset with the raw line in {@code value} and its {@code source_file}. */
  public static Dataset<Row> jsonLines(Dataset<Row> lines) {
    Dataset<Row> parsed = lines
        .filter(trim(col(LINE)).notEqual(lit("")))
        .withColumn(PARSED, from_json(col(LINE), CanonicalSchema.jsonSchema(CORRUPT_RECORD),
            Map.of("mode", "PERMISSIVE", "columnNameOfCorruptRecord", CORRUPT_RECORD)));
    Map<String, Column> fields = new LinkedHashMap<>();
    for (String text : CanonicalSchema.TEXT_COLUMNS) {
      fields.put(text, col(PARSED + "." + text));
    }
    fields.put(CanonicalSchema.TIMESTAMP, Timestamps.fromText(col(PARSED + "." + CanonicalSchema.TIMESTAMP)));
    for (String tokens : CanonicalSchema.TOKEN_COLUMNS) {
      fields.put(tokens, col(PARSED + "." + tokens));
    }
    Column shapeProblem = when(col(PARSED + "." + CORRUPT_RECORD).isNotNull(),
        lit("not a JSON object of the canonical schema (invalid JSON, or a field of the wrong type:"
            + " token counts must be whole numbers)"));
    return Normalizer.normalize(parsed, fields, present(col(PARSED + "." + CanonicalSchema.TIMESTAMP)),
        shapeProblem, col(CanonicalSchema.SOURCE_FILE), col(LINE));
  }

  /** Normalizes Parquet records as read, adapting to the types the writer chose. */
  public static Dataset<Row> parquet(Dataset<Row> records) {
    StructType schema = records.schema();
    Column[] original = Arrays.stream(schema.fieldNames()).map(name -> col("`" + name + "`")).toArray(Column[]::new);
    Dataset<Row> withProvenance = records
        .withColumn(CanonicalSchema.SOURCE_FILE, col(FILE_PATH))
        .withColumn(CanonicalSchema.RAW_RECORD, to_json(struct(original)));
    Map<String, Column> fields = new LinkedHashMap<>();
    for (String text : CanonicalSchema.TEXT_COLUMNS) {
      fields.put(text, typeOf(schema, text).map(type -> col(text).cast(DataTypes.StringType))
          .orElse(lit(null).cast(DataTypes.StringType)));
    }
    Optional<DataType> timeType = typeOf(schema, CanonicalSchema.TIMESTAMP);
    fields.put(CanonicalSchema.TIMESTAMP, timeType.map(type -> timestamp(col(CanonicalSchema.TIMESTAMP), type))
        .orElse(lit(null).cast(DataTypes.TimestampType)));
    Column shapeProblem = lit(null).cast(DataTypes.StringType);
    for (String tokens : CanonicalSchema.TOKEN_COLUMNS) {
      Optional<DataType> type = typeOf(schema, tokens);
      if (type.isEmpty()) {
        fields.put(tokens, lit(null).cast(DataTypes.LongType));
      } else if (type.get() instanceof IntegralType) {
        fields.put(tokens, col(tokens).cast(DataTypes.LongType));
      } else {
        // Text or fractional counts (pandas writes integer columns with nulls as float64): whole numbers are
        // taken, anything else makes the record malformed.
        Column asDecimal = col(tokens).cast(DataTypes.StringType).try_cast(DataTypes.createDecimalType(38, 9));
        Column whole = when(asDecimal.equalTo(functions.floor(asDecimal)), asDecimal.try_cast(DataTypes.LongType));
        fields.put(tokens, whole);
        shapeProblem = when(col(tokens).isNotNull().and(whole.isNull()),
            lit(tokens + " is not a whole number")).otherwise(shapeProblem);
      }
    }
    Column timestampPresent = timeType.isPresent() ? present(col(CanonicalSchema.TIMESTAMP).cast(DataTypes.StringType))
        : lit(false);
    return Normalizer.normalize(withProvenance, fields, timestampPresent, shapeProblem,
        col(CanonicalSchema.SOURCE_FILE), col(CanonicalSchema.RAW_RECORD));
  }

  /** A blank value counts as absent, as for every text field. */
  private static Column present(Column value) {
    return functions.nullif(trim(value), lit("")).isNotNull();
  }

  private static Column timestamp(Column value, DataType type) {
    if (type instanceof TimestampType || type instanceof TimestampNTZType || type instanceof DateType) {
      // TIMESTAMP_NTZ carries no zone; the job's session zone is UTC, so it is read as UTC.
      return value.cast(DataTypes.TimestampType);
    }
    if (type instanceof IntegralType) {
      return Timestamps.fromText(value.cast(DataTypes.StringType));
    }
    if (type instanceof StringType) {
      return Timestamps.fromText(value);
    }
    return lit(null).cast(DataTypes.TimestampType);
  }

  private static Optional<DataType> typeOf(StructType schema, String field) {
    return Arrays.stream(schema.fields()).filter(f -> f.name().equals(field)).map(StructField::dataType).findFirst();
  }
}
