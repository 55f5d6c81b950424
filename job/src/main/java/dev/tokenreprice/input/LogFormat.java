package dev.tokenreprice.input;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.types.StructType;

/**
 * How to read one shape of token log: a mapping from the source record to the canonical fields, as a
 * built-in file of {@code conf/formats/} or a user's own {@code mapping:FILE}. The canonical schema itself
 * is {@link #CANONICAL}, read by {@link LogReader} without a mapping.
 *
 * @param name the name given to {@code --log-format}, or {@code mapping:FILE}
 * @param source where the mapping was read from, for messages
 * @param recordSchema the explicit schema JSON records are parsed with (no inference pass); empty for
 *     formats whose records a {@link Step} parses
 * @param steps the named steps the mapping asks for, in order
 * @param derived helper columns ({@code let:}), each a Spark SQL expression that later ones may use
 * @param requestFilter which records are requests; the others are counted as not requests, never priced
 * @param fields canonical field name to Spark SQL expression over the record
 * @param additionalUsage an expression giving an array of usage the record reports apart from its own and bills at
 *     another model's prices (Anthropic advisor iterations): structs of {@code model} and token counts named as
 *     the canonical fields; each is priced as a row of its own, with every other field of the record
 * @param detect alternatives for {@code auto}: a record is of this format when it has every path of one list
 * @param fileNames the names of the files this format reads in a directory, as globs ({@code *.jsonl}); others
 *     are listed as not read. Empty: every file with a log extension
 */
public record LogFormat(
    String name,
    String source,
    String description,
    Optional<StructType> recordSchema,
    List<Step> steps,
    Map<String, String> derived,
    Optional<String> requestFilter,
    Map<String, String> fields,
    Optional<String> additionalUsage,
    List<List<String>> detect,
    List<String> fileNames) {

  /** The job's own schema: one request per record, field names as in {@link CanonicalSchema}. */
  public static final LogFormat CANONICAL = new LogFormat("canonical", "built in", "the canonical token log",
      Optional.empty(), List.of(), Map.of(), Optional.empty(), Map.of(), Optional.empty(),
      List.of(List.of(CanonicalSchema.INPUT_TOKENS, CanonicalSchema.MODEL),
          List.of(CanonicalSchema.INPUT_TOKENS, CanonicalSchema.TIMESTAMP)), List.of());

  public LogFormat {
    steps = List.copyOf(steps);
    derived = Collections.unmodifiableMap(new LinkedHashMap<>(derived));
    fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    detect = detect.stream().map(List::copyOf).toList();
    fileNames = List.copyOf(fileNames);
  }

  /** Whether a file of a directory, by its name, is one this format reads. */
  public boolean readsFileNamed(String name) {
    return fileNames.isEmpty() || fileNames.stream().anyMatch(glob -> nameMatches(glob, name));
  }

  /** Whether a file name (no directory) matches a glob ({@code *.jsonl}). */
  static boolean nameMatches(String glob, String name) {
    return java.nio.file.FileSystems.getDefault().getPathMatcher("glob:" + glob).matches(java.nio.file.Path.of(name));
  }

  /**
   * The canonical schema as a mapping: every canonical field {@code record} has, mapped to itself, and the
   * record's schema as the one JSON lines are parsed with. Read like any other format, it shares their
   * type adaptation, defaults and quarantine rules.
   */
  static LogFormat canonical(StructType record) {
    Map<String, String> identity = new LinkedHashMap<>();
    for (String field : LogFormatParser.mappableFields()) {
      if (Arrays.asList(record.fieldNames()).contains(field)) {
        identity.put(field, "`" + field + "`");
      }
    }
    return new LogFormat(CANONICAL.name(), CANONICAL.source(), CANONICAL.description(), Optional.of(record), List.of(),
        Map.of(), Optional.empty(), identity, Optional.empty(), CANONICAL.detect(), List.of());
  }

  public boolean isCanonical() {
    return this == CANONICAL;
  }

  public boolean has(Step.Kind kind) {
    return steps.stream().anyMatch(step -> step.kind() == kind);
  }

  public Optional<Step> step(Step.Kind kind) {
    return steps.stream().filter(step -> step.kind() == kind).findFirst();
  }

  /**
   * A transformation an expression cannot say, asked for by name in a mapping's {@code steps:}.
   *
   * @param arguments expressions the step takes (the key of {@link Kind#MERGE_REPEATED_LINES})
   */
  public record Step(Kind kind, List<String> arguments) {
    public Step {
      arguments = List.copyOf(arguments);
    }

    public enum Kind {
      /** OTLP JSON export lines become one record per span; flat JSON records pass as one span each. */
      OTLP_SPANS("otlp-spans"),
      /**
       * A file whose name matches the first argument (a glob) is one JSON document, not JSON lines: the document is
       * one record, or, given a second argument, its records are the elements of its top-level array field of that
       * name, each with the fields a line of the format has, taking the document's other fields where it lacks them.
       * Other files are JSON lines as usual (Gemini CLI wrote a session as one document, and now writes it as lines;
       * OpenCode writes a pretty-printed document per message).
       */
      JSON_DOCUMENTS("json-documents"),
      /**
       * A SQLite database of the format (a file of {@link FileFormat#SQLITE}) is read with the argument, a query whose
       * column {@code record} is each record's JSON text, as a JSON line of the format would be; Spark's JDBC source
       * runs it through the SQLite JDBC driver. The database must be on the local file system.
       */
      SQLITE_QUERY("sqlite-query"),
      /** Records with the same key are one request: the first is kept with the largest counts, the rest counted apart. */
      MERGE_REPEATED_LINES("merge-repeated-lines"),
      /**
       * Records the first expression selects merge only within one turn of their file: a turn runs from a
       * record whose second expression has a value to the next record whose value differs, in file order.
       */
      SPLIT_AT_TURNS("split-at-turns");

      private final String yamlName;

      Kind(String yamlName) {
        this.yamlName = yamlName;
      }

      public String yamlName() {
        return yamlName;
      }

      public static Optional<Kind> named(String name) {
        return Arrays.stream(values()).filter(kind -> kind.yamlName.equals(name)).findFirst();
      }
    }
  }
}
