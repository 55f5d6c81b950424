package dev.tokenreprice.input;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.trim;

import dev.tokenreprice.cli.UsageException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Reads token logs, JSONL and Parquet, and normalizes them to the canonical schema. JSONL is read as
 * text and parsed with an explicit schema, so each record keeps its raw line for quarantine and no
 * schema-inference pass touches the data. Parquet brings its own schema; each canonical field is
 * adapted from whatever type the file used (32- or 64-bit counts, timestamp or text times). The canonical
 * schema is read as a mapping of every field to itself, by the same {@link MappedReader} as every format.
 */
public final class LogReader {
  private static final String CORRUPT_RECORD = "_corrupt_record";
  private static final String LINE = "value";
  /** The column of a {@code sqlite-query} step's query that holds each record's JSON text. */
  private static final String DATABASE_RECORD = "record";
  static final String FILE_PATH = "_metadata.file_path";
  static final String FILE_BLOCK_START = "_metadata.file_block_start";

  private LogReader() {}

  /**
   * All files of the run as one normalized Dataset; files of different storage or log formats are read
   * apart, each with its own explicit schema, and unioned.
   */
  public static Dataset<Row> read(SparkSession spark, List<InputFile> files) {
    // Files are read together when they share storage and log format (with its feature key). A database's records
    // are JSON text, read with the format's JSON files, so a message in both (OpenCode's) merges as one request.
    Map<List<Object>, List<InputFile>> groups = new LinkedHashMap<>();
    for (InputFile file : files) {
      FileFormat storage = file.format() == FileFormat.SQLITE ? FileFormat.JSONL : file.format();
      groups.computeIfAbsent(List.of(storage, file.logFormat()), key -> new ArrayList<>()).add(file);
    }
    Dataset<Row> result = null;
    for (Map.Entry<List<Object>, List<InputFile>> entry : groups.entrySet()) {
      List<InputFile> group = entry.getValue();
      FileFormat format = (FileFormat) entry.getKey().get(0);
      LogFormat logFormat = group.get(0).logFormat();
      String[] paths = group.stream().map(InputFile::path).toArray(String[]::new);
      Dataset<Row> normalized = switch (format) {
        case JSONL -> {
          Dataset<Row> lines = jsonText(spark, group, logFormat);
          yield logFormat.isCanonical() ? jsonLines(lines) : MappedReader.jsonLines(withoutBlankLines(lines), logFormat);
        }
        case SQLITE -> throw new IllegalStateException("databases are grouped with their format's JSON files above");
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

  /**
   * The text of JSON files: a line per record, or, for the files a format's {@code json-documents} step names, the
   * whole file as one record (read with Spark's {@code wholetext}, so a pretty-printed document is one value).
   */
  private static Dataset<Row> jsonText(SparkSession spark, List<InputFile> files, LogFormat logFormat) {
    Optional<LogFormat.Step> documents = logFormat.step(LogFormat.Step.Kind.JSON_DOCUMENTS);
    List<String> documentPaths = new ArrayList<>();
    List<String> linePaths = new ArrayList<>();
    List<InputFile> databases = new ArrayList<>();
    for (InputFile file : files) {
      if (file.format() == FileFormat.SQLITE) {
        databases.add(file);
        continue;
      }
      boolean document = documents.isPresent() && LogFormat.nameMatches(documents.get().arguments().get(0),
          new org.apache.hadoop.fs.Path(file.path()).getName());
      (document ? documentPaths : linePaths).add(file.path());
    }
    Dataset<Row> text = null;
    if (!linePaths.isEmpty()) {
      text = placed(spark.read().text(linePaths.toArray(String[]::new)));
    }
    if (!documentPaths.isEmpty()) {
      Dataset<Row> whole = placed(spark.read().option("wholetext", "true").text(documentPaths.toArray(String[]::new)));
      text = text == null ? whole : text.unionByName(whole);
    }
    if (!databases.isEmpty()) {
      Dataset<Row> records = databaseRecords(spark, databases, logFormat);
      text = text == null ? records : text.unionByName(records);
    }
    return text;
  }

  /**
   * The records a format's {@code sqlite-query} step reads from SQLite databases, as JSON text with the database's
   * path as their file. Spark's JDBC source reads each database through the SQLite JDBC driver, which opens a local
   * file only; a database is read in one partition, in the query's order.
   */
  private static Dataset<Row> databaseRecords(SparkSession spark, List<InputFile> files, LogFormat logFormat) {
    String query = logFormat.step(LogFormat.Step.Kind.SQLITE_QUERY).map(step -> step.arguments().get(0))
        .orElseThrow(() -> new UsageException("input " + files.get(0).path() + ": log format " + logFormat.name()
            + " does not read SQLite databases (*.db): give it the format that wrote it (opencode)"));
    Dataset<Row> records = null;
    for (InputFile file : files) {
      org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(file.path());
      String scheme = path.toUri().getScheme();
      if (scheme != null && !scheme.equals("file")) {
        throw new UsageException("input " + file.path() + ": a SQLite database is read from the local file system"
            + " only (copy it to the machine that runs the job)");
      }
      Dataset<Row> database = spark.read().format("jdbc")
          .option("driver", "org.sqlite.JDBC")
          .option("url", "jdbc:sqlite:file:" + path.toUri().getPath() + "?mode=ro")
          .option("query", query)
          // An expression's column has no declared type in SQLite: the record is text.
          .option("customSchema", DATABASE_RECORD + " STRING")
          .load()
          .select(col(DATABASE_RECORD).as(LINE), lit(file.path()).as(CanonicalSchema.SOURCE_FILE),
              MappedReader.position(lit(0L)).as(MappedReader.POSITION));
      records = records == null ? database : records.unionByName(database);
    }
    return records;
  }

  /** Each text value with its file and place in the file, taken where the file is read. */
  private static Dataset<Row> placed(Dataset<Row> text) {
    return text.select(col(LINE), col(FILE_PATH).as(CanonicalSchema.SOURCE_FILE),
        MappedReader.position(col(FILE_BLOCK_START)).as(MappedReader.POSITION));
  }

  /**
   * Normalizes canonical JSON lines (a Dataset with the raw line in {@code value} and its {@code source_file}):
   * the canonical schema read as a mapping of every field to itself.
   */
  public static Dataset<Row> jsonLines(Dataset<Row> lines) {
    StructType schema = CanonicalSchema.jsonSchema(CORRUPT_RECORD);
    StructType fields = new StructType(Arrays.stream(schema.fields())
        .filter(field -> !field.name().equals(CORRUPT_RECORD)).toArray(StructField[]::new));
    return MappedReader.jsonLines(withoutBlankLines(lines), LogFormat.canonical(fields));
  }

  /** Normalizes canonical Parquet records as read: each canonical field the file has, mapped to itself. */
  public static Dataset<Row> parquet(Dataset<Row> records) {
    return MappedReader.parquet(records, LogFormat.canonical(records.schema()));
  }

  /** Lines made elsewhere (tests) without a position get one in the order Spark holds them, before the filter. */
  private static Dataset<Row> withoutBlankLines(Dataset<Row> lines) {
    Dataset<Row> placed = List.of(lines.columns()).contains(MappedReader.POSITION) ? lines
        : lines.withColumn(MappedReader.POSITION, MappedReader.position(lit(0L)));
    return placed.filter(trim(col(LINE)).notEqual(lit("")))
        .select(col(LINE).as(MappedReader.LINE), col(CanonicalSchema.SOURCE_FILE).as(MappedReader.SOURCE_FILE),
            col(MappedReader.POSITION));
  }
}
