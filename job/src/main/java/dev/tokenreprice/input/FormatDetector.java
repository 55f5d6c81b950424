package dev.tokenreprice.input;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenreprice.cli.UsageException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;

/**
 * {@code --log-format auto}: tells a file's log format from its first records, on the driver, before the
 * job reads any data. A record is of a format when it has every field path of one of the format's
 * {@code detect} lists ({@code usage.prompt_tokens}, {@code object=response} for a value, or
 * {@code `gen_ai.system`} for one key with dots in it); the file is of
 * the format most of its first records match, ties going to the format tried first.
 */
public final class FormatDetector {
  /** How many records of each file are looked at. */
  public static final int SAMPLE_RECORDS = 20;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<LogFormat> candidates;
  private final Configuration hadoopConf;
  private final SparkSession spark;

  public FormatDetector(List<LogFormat> candidates, Configuration hadoopConf, SparkSession spark) {
    this.candidates = List.copyOf(candidates);
    this.hadoopConf = hadoopConf;
    this.spark = spark;
  }

  public LogFormat detect(String path, FileFormat fileFormat) {
    return detected(path, fileFormat).orElseThrow(() -> cannotTell(path));
  }

  /** The usage error for a file none of whose first records has a format's shape. */
  static UsageException cannotTell(String path) {
    return new UsageException("input " + path + ": cannot tell its log format from its first records (give"
        + " --log-format " + String.join("|", LogFormats.BUILT_IN) + "|canonical or mapping:FILE before --input)");
  }

  /** The format most of the file's first records have, or empty when none of them has one. */
  public Optional<LogFormat> detected(String path, FileFormat fileFormat) {
    if (fileFormat == FileFormat.SQLITE) {
      // A database has no lines to look at: it is of the format that reads databases (OpenCode's).
      return firstMatch(candidate -> candidate.has(LogFormat.Step.Kind.SQLITE_QUERY));
    }
    Map<LogFormat, Integer> votes = new LinkedHashMap<>();
    if (fileFormat == FileFormat.PARQUET) {
      StructType schema = spark.read().parquet(path).schema();
      firstMatch(candidate -> matchesSchema(candidate, schema)).ifPresent(format -> votes.merge(format, 1, Integer::sum));
    } else {
      for (JsonNode record : firstRecords(path)) {
        firstMatch(candidate -> matchesRecord(candidate, record)).ifPresent(format -> votes.merge(format, 1, Integer::sum));
      }
    }
    if (votes.isEmpty()) {
      return Optional.empty();
    }
    LogFormat best = null;
    for (LogFormat candidate : candidates) {
      if (votes.getOrDefault(candidate, 0) > (best == null ? 0 : votes.get(best))) {
        best = candidate;
      }
    }
    return Optional.of(best);
  }

  private Optional<LogFormat> firstMatch(Predicate<LogFormat> matches) {
    return candidates.stream().filter(matches).findFirst();
  }

  static boolean matchesRecord(LogFormat format, JsonNode record) {
    return format.detect().stream().anyMatch(paths -> paths.stream().allMatch(path -> has(record, path)));
  }

  /** Parquet has no values to compare before reading, so only the alternatives made of plain paths count. */
  static boolean matchesSchema(LogFormat format, StructType schema) {
    return format.detect().stream()
        .filter(paths -> paths.stream().noneMatch(path -> path.contains("=")))
        .anyMatch(paths -> paths.stream().allMatch(path -> has(schema, path)));
  }

  /** Whether {@code a.b.c} (or {@code a.b=value}) is in the record; a key may itself hold dots ({@code gen_ai.system}). */
  private static boolean has(JsonNode node, String path) {
    int equals = path.indexOf('=');
    String fieldPath = equals < 0 ? path : path.substring(0, equals);
    return find(node, fieldPath)
        .filter(value -> !value.isNull())
        .filter(value -> equals < 0 || value.asText().equals(path.substring(equals + 1)))
        .isPresent();
  }

  private static Optional<JsonNode> find(JsonNode node, String path) {
    if (node == null || !node.isObject()) {
      return Optional.empty();
    }
    if (isLiteralKey(path)) {
      return Optional.ofNullable(node.get(path.substring(1, path.length() - 1)));
    }
    if (node.has(path)) {
      return Optional.of(node.get(path));
    }
    for (int dot = path.indexOf('.'); dot > 0; dot = path.indexOf('.', dot + 1)) {
      Optional<JsonNode> found = find(node.get(path.substring(0, dot)), path.substring(dot + 1));
      if (found.isPresent()) {
        return found;
      }
    }
    return Optional.empty();
  }

  /** {@code `gen_ai.system`}: one key with dots in it, not a path through nested objects. */
  private static boolean isLiteralKey(String path) {
    return path.length() > 2 && path.startsWith("`") && path.endsWith("`");
  }

  private static boolean has(DataType type, String path) {
    if (!(type instanceof StructType struct)) {
      return false;
    }
    if (isLiteralKey(path)) {
      return java.util.Arrays.asList(struct.fieldNames()).contains(path.substring(1, path.length() - 1));
    }
    for (String name : struct.fieldNames()) {
      if (name.equals(path)) {
        return true;
      }
      if (path.startsWith(name + ".") && has(struct.apply(name).dataType(), path.substring(name.length() + 1))) {
        return true;
      }
    }
    return false;
  }

  private List<JsonNode> firstRecords(String location) {
    Path path = new Path(location);
    List<JsonNode> records = new ArrayList<>();
    try {
      FileSystem fs = path.getFileSystem(hadoopConf);
      CompressionCodec codec = new CompressionCodecFactory(hadoopConf).getCodec(path);
      try (InputStream raw = fs.open(path);
          InputStream in = codec == null ? raw : codec.createInputStream(raw);
          BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        for (String line = lines.readLine(); line != null && records.size() < SAMPLE_RECORDS; line = lines.readLine()) {
          if (line.isBlank()) {
            continue;
          }
          try {
            // Only an object can be a record; a pretty-printed document's lines may parse as a string or a number.
            JsonNode record = JSON.readTree(line);
            if (record != null && record.isObject()) {
              records.add(record);
            }
          } catch (IOException notJson) {
            // A broken line says nothing about the format; the reader quarantines it later.
          }
        }
      }
      if (records.isEmpty() && InputFiles.isJsonDocument(path.getName())) {
        wholeDocument(fs, path, codec).ifPresent(records::add);
      }
    } catch (IOException e) {
      throw new UsageException("input " + location + " cannot be read to detect its log format: " + e.getMessage(), e);
    }
    return records;
  }

  /**
   * A *.json file none of whose lines is a JSON object may be one pretty-printed document (a Gemini CLI session of the
   * older recorder): the document is its one record.
   */
  private static Optional<JsonNode> wholeDocument(FileSystem fs, Path path, CompressionCodec codec) throws IOException {
    try (InputStream raw = fs.open(path); InputStream in = codec == null ? raw : codec.createInputStream(raw)) {
      return Optional.ofNullable(JSON.readTree(in)).filter(JsonNode::isObject);
    } catch (com.fasterxml.jackson.core.JacksonException notJson) {
      return Optional.empty();
    }
  }
}
