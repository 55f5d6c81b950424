package dev.tokenreprice.input;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.tokenreprice.cli.UsageException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.parser.CatalystSqlParser$;
import org.apache.spark.sql.types.StructType;

/**
 * Reads a log format's mapping file (YAML) into a {@link LogFormat}, checking everything that can be
 * checked without data: known keys, known canonical fields, expressions Spark can parse, a valid schema.
 * Every problem is a {@link UsageException} naming the file and the field.
 */
public final class LogFormatParser {
  /** Written in expressions where the record's feature attribute is meant; replaced by a SQL string literal. */
  public static final String FEATURE_KEY_PLACEHOLDER = "${feature_key}";

  private static final Set<String> KEYS =
      Set.of("name", "description", "feature_key", "detect", "schema", "steps", "let", "request", "fields",
          "additional_usage", "file_names");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private final String source;

  private LogFormatParser(String source) {
    this.source = source;
  }

  /**
   * @param name the name the format is known by ({@code anthropic}, {@code mapping:FILE})
   * @param source the file, for messages
   * @param featureKey overrides the file's {@code feature_key} (the {@code --feature-key} flag)
   */
  public static LogFormat parse(String name, String source, byte[] yaml, Optional<String> featureKey) {
    return new LogFormatParser(source).parse(name, yaml, featureKey);
  }

  /** The canonical fields a mapping may set. */
  public static List<String> mappableFields() {
    List<String> fields = new ArrayList<>(CanonicalSchema.TEXT_COLUMNS);
    fields.add(CanonicalSchema.TIMESTAMP);
    fields.addAll(CanonicalSchema.COUNT_COLUMNS);
    return List.copyOf(fields);
  }

  private LogFormat parse(String name, byte[] yaml, Optional<String> featureKeyFlag) {
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (IOException e) {
      throw fail("is not valid YAML (" + firstLine(e.getMessage()) + ")");
    }
    if (root == null || !root.isObject()) {
      throw fail("must be a YAML mapping with 'fields'");
    }
    for (Iterator<String> keys = root.fieldNames(); keys.hasNext(); ) {
      String key = keys.next();
      if (!KEYS.contains(key)) {
        throw fail("'" + key + "' is not a key of a log format (known: " + String.join(", ", KEYS.stream().sorted().toList())
            + ")");
      }
    }
    String featureKey = featureKeyFlag.or(() -> text(root, "feature_key")).orElse("feature");
    String literal = "'" + featureKey.replace("\\", "\\\\").replace("'", "\\'") + "'";

    Map<String, String> fields = expressions(root, "fields", literal);
    if (fields.isEmpty()) {
      throw fail("'fields' is missing: map each canonical field (" + String.join(", ", mappableFields())
          + ") to a Spark SQL expression");
    }
    for (String field : fields.keySet()) {
      if (!mappableFields().contains(field)) {
        throw fail("field '" + field + "' is not a canonical field (known: " + String.join(", ", mappableFields()) + ")");
      }
    }
    Map<String, String> derived = expressions(root, "let", literal);
    for (String column : derived.keySet()) {
      if (!column.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        throw fail("let '" + column + "' must be a plain name (letters, digits, _)");
      }
    }
    Optional<String> request = text(root, "request").map(expression -> substitute(expression, literal));
    request.ifPresent(expression -> checkParses("request", expression));
    Optional<String> additionalUsage = text(root, "additional_usage").map(expression -> substitute(expression, literal));
    additionalUsage.ifPresent(expression -> checkParses("additional_usage", expression));
    return new LogFormat(name, source, text(root, "description").orElse(name), schema(root), steps(root, literal),
        derived, request, fields, additionalUsage, detect(root), fileNames(root));
  }

  private Map<String, String> expressions(JsonNode root, String key, String featureKeyLiteral) {
    JsonNode node = root.get(key);
    Map<String, String> expressions = new LinkedHashMap<>();
    if (node == null || node.isNull()) {
      return expressions;
    }
    if (!node.isObject()) {
      throw fail("'" + key + "' must be a mapping of name to Spark SQL expression");
    }
    for (Iterator<Map.Entry<String, JsonNode>> entries = node.fields(); entries.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = entries.next();
      String label = ("fields".equals(key) ? "field '" : key + " '") + entry.getKey() + "'";
      if (!entry.getValue().isValueNode() || entry.getValue().isNull() || entry.getValue().asText().isBlank()) {
        throw fail(label + " must be a Spark SQL expression (a string)");
      }
      String expression = substitute(entry.getValue().asText(), featureKeyLiteral);
      checkParses(label, expression);
      expressions.put(entry.getKey(), expression);
    }
    return expressions;
  }

  private Optional<StructType> schema(JsonNode root) {
    return text(root, "schema").map(ddl -> {
      try {
        return StructType.fromDDL(ddl);
      } catch (Exception e) { // Spark's ParseException is checked in Java's eyes, though nothing declares it.
        throw fail("'schema' is not a Spark DDL schema (" + firstLine(e.getMessage()) + ")");
      }
    });
  }

  private List<LogFormat.Step> steps(JsonNode root, String featureKeyLiteral) {
    JsonNode node = root.get("steps");
    List<LogFormat.Step> steps = new ArrayList<>();
    if (node == null || node.isNull()) {
      return steps;
    }
    if (!node.isArray()) {
      throw fail("'steps' must be a list of step names");
    }
    for (JsonNode entry : node) {
      String stepName;
      List<String> arguments = new ArrayList<>();
      if (entry.isTextual()) {
        stepName = entry.asText();
      } else if (entry.isObject() && entry.size() == 1) {
        stepName = entry.fieldNames().next();
        JsonNode value = entry.get(stepName);
        // json-documents takes a file name glob and a field name, sqlite-query a query: not Spark expressions.
        boolean expressions = !stepName.equals(LogFormat.Step.Kind.JSON_DOCUMENTS.yamlName())
            && !stepName.equals(LogFormat.Step.Kind.SQLITE_QUERY.yamlName());
        for (JsonNode argument : value.isArray() ? value : List.of(value)) {
          String expression = expressions ? substitute(argument.asText(), featureKeyLiteral) : argument.asText();
          if (expressions) {
            checkParses("step '" + stepName + "'", expression);
          }
          arguments.add(expression);
        }
      } else {
        throw fail("a step must be a name, or a name with its arguments (- merge-repeated-lines: [message.id])");
      }
      LogFormat.Step.Kind kind = LogFormat.Step.Kind.named(stepName).orElseThrow(() -> fail("step '" + stepName
          + "' is not a known step (known: otlp-spans, json-documents, sqlite-query, merge-repeated-lines,"
          + " split-at-turns)"));
      if (kind == LogFormat.Step.Kind.MERGE_REPEATED_LINES && arguments.isEmpty()) {
        throw fail("step 'merge-repeated-lines' needs the key: - merge-repeated-lines: [EXPRESSION, ...]");
      }
      if (kind == LogFormat.Step.Kind.SPLIT_AT_TURNS && arguments.size() != 2) {
        throw fail("step 'split-at-turns' needs two expressions: - split-at-turns: [WHICH_RECORDS, TURN_MARK]");
      }
      if (kind == LogFormat.Step.Kind.JSON_DOCUMENTS && (arguments.isEmpty() || arguments.size() > 2
          || (arguments.size() == 2 && !arguments.get(1).matches("[A-Za-z_][A-Za-z0-9_]*")))) {
        throw fail("step 'json-documents' needs a file name glob, and the top-level array field that holds the"
            + " records when a document holds several: - json-documents: [\"session-*.json\", messages]");
      }
      if (kind == LogFormat.Step.Kind.SQLITE_QUERY && arguments.size() != 1) {
        throw fail("step 'sqlite-query' needs one query whose column 'record' is a record's JSON text");
      }
      steps.add(new LogFormat.Step(kind, arguments));
    }
    boolean merges = steps.stream().anyMatch(step -> step.kind() == LogFormat.Step.Kind.MERGE_REPEATED_LINES);
    if (!merges && steps.stream().anyMatch(step -> step.kind() == LogFormat.Step.Kind.SPLIT_AT_TURNS)) {
      throw fail("step 'split-at-turns' splits what 'merge-repeated-lines' merges: add that step too");
    }
    return steps;
  }

  private List<String> fileNames(JsonNode root) {
    JsonNode node = root.get("file_names");
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isArray() || node.isEmpty()) {
      throw fail("'file_names' must be a list of file name globs (\"*.jsonl\"), cannot be: " + node);
    }
    List<String> globs = new ArrayList<>();
    node.forEach(glob -> globs.add(glob.asText()));
    return List.copyOf(globs);
  }

  private List<List<String>> detect(JsonNode root) {
    JsonNode node = root.get("detect");
    List<List<String>> alternatives = new ArrayList<>();
    if (node == null || node.isNull()) {
      return alternatives;
    }
    if (!node.isArray()) {
      throw fail("'detect' must be a list of lists of field paths");
    }
    for (JsonNode alternative : node) {
      List<String> paths = new ArrayList<>();
      for (JsonNode path : alternative.isArray() ? alternative : List.of(alternative)) {
        paths.add(path.asText());
      }
      alternatives.add(paths);
    }
    return alternatives;
  }

  private void checkParses(String label, String expression) {
    Expression parsed;
    try {
      parsed = CatalystSqlParser$.MODULE$.parseExpression(expression);
    } catch (Exception e) { // Spark's ParseException is checked in Java's eyes, though nothing declares it.
      throw fail(label + ": Spark cannot parse \"" + expression + "\" (" + firstLine(e.getMessage()) + ")");
    }
    MappingFunctions.refused(parsed).ifPresent(function -> {
      throw fail(label + ": \"" + expression + "\" must call Spark's built-in SQL functions only, cannot call: "
          + function + " (" + MappingFunctions.why(function) + ")");
    });
  }

  private static String substitute(String expression, String featureKeyLiteral) {
    return expression.replace(FEATURE_KEY_PLACEHOLDER, featureKeyLiteral);
  }

  private static Optional<String> text(JsonNode root, String key) {
    JsonNode node = root.get(key);
    return node == null || node.isNull() ? Optional.empty() : Optional.of(node.asText());
  }

  private UsageException fail(String problem) {
    return new UsageException("log format " + source + ": " + problem);
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "no detail";
    }
    String trimmed = message.strip();
    int newline = trimmed.indexOf('\n');
    return newline < 0 ? trimmed : trimmed.substring(0, newline);
  }
}
