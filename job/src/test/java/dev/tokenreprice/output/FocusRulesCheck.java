package dev.tokenreprice.output;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructType;

/** Checks a FOCUS export against {@link FocusRules}: each problem found is one line naming the row and column. */
public final class FocusRulesCheck {
  /** datetime_format.md: UTC, {@code YYYY-MM-DDTHH:mm:ssZ}. */
  private static final Pattern DATE_TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");
  /** numeric_format.md: digits, an optional fraction, a leading minus; no exponent, sign, unit or separator. */
  private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?");
  /** currency_format.md: an ISO 4217 code. */
  private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

  private FocusRulesCheck() {}

  /** The problems of a FOCUS CSV (its lines, header first; the export quotes no field its checks read). */
  public static List<String> csvProblems(List<String> lines) {
    List<String> problems = new ArrayList<>();
    List<String> header = Arrays.asList(lines.get(0).split(",", -1));
    for (FocusRules rule : FocusRules.ALL) {
      if (!header.contains(rule.column())) {
        problems.add(rule.column() + " (" + rule.level() + ") is missing");
      }
    }
    int firstCustom = (int) header.stream().takeWhile(name -> !name.startsWith("x_")).count();
    if (header.subList(firstCustom, header.size()).stream().anyMatch(name -> !name.startsWith("x_"))) {
      problems.add("a FOCUS column follows a custom one: " + header);
    }
    if (lines.size() < 2) {
      problems.add("no rows");
    }
    for (int l = 1; l < lines.size(); l++) {
      List<String> fields = fields(lines.get(l));
      if (fields.size() != header.size()) {
        problems.add("line " + (l + 1) + ": " + fields.size() + " fields, the header has " + header.size());
        continue;
      }
      for (FocusRules rule : FocusRules.ALL) {
        String value = fields.get(header.indexOf(rule.column()));
        String where = "line " + (l + 1) + ", " + rule.column() + ": ";
        if (value.isEmpty()) {
          if (!rule.nullable()) {
            problems.add(where + "null where the spec forbids it");
          }
          continue;
        }
        if (rule.type().equals(FocusRules.DECIMAL) && !NUMBER.matcher(value).matches()) {
          problems.add(where + "not a FOCUS number: " + value);
        }
        if (rule.type().equals(FocusRules.DATE_TIME) && !DATE_TIME.matcher(value).matches()) {
          problems.add(where + "not a FOCUS date-time: " + value);
        }
        if (!rule.allowed().isEmpty() && !rule.allowed().contains(value)) {
          problems.add(where + "not an allowed value: " + value);
        }
      }
      String currency = fields.get(header.indexOf("BillingCurrency"));
      if (!CURRENCY.matcher(currency).matches()) {
        problems.add("line " + (l + 1) + ", BillingCurrency: not an ISO 4217 code: " + currency);
      }
      // chargeperiodstart.md / chargeperiodend.md: the start is inclusive, the end exclusive and later.
      if (fields.get(header.indexOf("ChargePeriodStart")).compareTo(fields.get(header.indexOf("ChargePeriodEnd"))) >= 0) {
        problems.add("line " + (l + 1) + ": ChargePeriodStart is not before ChargePeriodEnd");
      }
      // servicesubcategory.md: a subcategory has one parent category.
      if (!fields.get(header.indexOf("ServiceCategory")).equals("AI and Machine Learning")) {
        problems.add("line " + (l + 1) + ": ServiceSubcategory's parent is AI and Machine Learning, not "
            + fields.get(header.indexOf("ServiceCategory")));
      }
    }
    return problems;
  }

  /** The problems of the Parquet export's schema: each rule's column of its type. */
  public static List<String> typeProblems(StructType schema) {
    List<String> problems = new ArrayList<>();
    for (FocusRules rule : FocusRules.ALL) {
      if (!Arrays.asList(schema.fieldNames()).contains(rule.column())) {
        problems.add(rule.column() + " is missing");
        continue;
      }
      DataType type = schema.apply(rule.column()).dataType();
      boolean fits = switch (rule.type()) {
        case FocusRules.DECIMAL -> type instanceof DecimalType;
        case FocusRules.DATE_TIME -> type.equals(DataTypes.TimestampType);
        default -> type.equals(DataTypes.StringType);
      };
      if (!fits) {
        problems.add(rule.column() + " must be " + rule.type() + ", is " + type.simpleString());
      }
    }
    return problems;
  }

  /** The exact sum of a decimal column of the CSV. */
  public static BigDecimal sum(List<String> lines, String column) {
    int index = Arrays.asList(lines.get(0).split(",", -1)).indexOf(column);
    return lines.stream().skip(1).map(line -> new BigDecimal(fields(line).get(index)))
        .reduce(BigDecimal.ZERO, BigDecimal::add);
  }

  /** RFC 4180 fields of one line (the export writes no line break inside a field). */
  private static List<String> fields(String line) {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          field.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        fields.add(field.toString());
        field.setLength(0);
      } else {
        field.append(c);
      }
    }
    fields.add(field.toString());
    return fields;
  }
}
