package dev.tokenreprice.input;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
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
  static final String FILE_PATH = "_metadata.file_path";

  private LogReader() {}

  /**
   * All files of the run as one normalized Dataset; files of different storage or log formats are read
   * apart, each with its own explicit schema, and unioned.
   */
  public static Dataset<Row> read(SparkSession spark, List<InputFile> files) {
    // Files are read together when they share storage and log format (with its feature key).
    Map<List<Object>, List<InputFile>> groups = new LinkedHashMap<>();
    for (InputFile file : files) {
      groups.computeIfAbsent(List.of(file.format(), file.logFormat()), key -> new ArrayList<>()).add(file);
    }
    Dataset<Row> result = null;
    for (List<InputFile> group : groups.values()) {
      FileFormat format = group.get(0).format();
      LogFormat logFormat = group.get(0).logFormat();
      String[] paths = group.stream().map(InputFile::path).toArray(String[]::new);
      Dataset<Row> normalized = switch (format) {
        case JSONL -> {
          Dataset<Row> lines = spark.read().text(paths).select(col(LINE), col(FILE_PATH).as(CanonicalSchema.SOURCE_FILE));
          yield logFormat.isCanonical() ? jsonLines(lines) : MappedReader.jsonLines(lines
              .filter(trim(col(LINE)).notEqual(lit("")))
              .select(col(LINE).as(MappedReader.LINE), col(CanonicalSchema.SOURCE_FILE).as(MappedReader.SOURCE_FILE)),
              logFormat);
        }
        // Files written at different times may lack a column or widen a type: read every footer's schema.
        case PARQUET -> {
          Dataset<Row> records = spark.read().option("mergeSchema", "true").parquet(paths);
          yield logFormat.isCanonical() ? parquet(records) : MappedReader.parquet(records, logFormat);
        }
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
        shapeProblem, lit(true), col(CanonicalSchema.SOURCE_FILE), col(LINE), Map.of());
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
    fields.put(CanonicalSchema.TIMESTAMP, timeType.map(type -> FieldTypes.timestamp(col(CanonicalSchema.TIMESTAMP), type))
        .orElse(lit(null).cast(DataTypes.TimestampType)));
    Column shapeProblem = lit(null).cast(DataTypes.StringType);
    for (String tokens : CanonicalSchema.TOKEN_COLUMNS) {
      Optional<DataType> type = typeOf(schema, tokens);
      if (type.isEmpty()) {
        fields.put(tokens, lit(null).cast(DataTypes.LongType));
      } else {
        FieldTypes.Count count = FieldTypes.tokenCount(col(tokens), type.get(), tokens);
        fields.put(tokens, count.value());
        shapeProblem = functions.coalesce(shapeProblem, count.problem());
      }
    }
    Column timestampPresent = timeType.map(type -> FieldTypes.timestampPresent(col(CanonicalSchema.TIMESTAMP), type))
        .orElse(lit(false));
    return Normalizer.normalize(withProvenance, fields, timestampPresent, shapeProblem, lit(true),
        col(CanonicalSchema.SOURCE_FILE), col(CanonicalSchema.RAW_RECORD), Map.of());
  }

  /** A blank value counts as absent, as for every text field. */
  private static Column present(Column value) {
    return functions.nullif(trim(value), lit("")).isNotNull();
  }

  private static Optional<DataType> typeOf(StructType schema, String field) {
    return Arrays.stream(schema.fields()).filter(f -> f.name().equals(field)).map(StructField::dataType).findFirst();
  }
}
