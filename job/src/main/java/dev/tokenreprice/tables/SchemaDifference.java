package dev.tokenreprice.tables;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * What keeps an existing table from taking a run's rows: a column of another type (a rate card with more decimal
 * places makes costs of a wider scale, which Iceberg cannot change in place), or a column missing on either side.
 * Column order and nullability do not matter: the job writes by name, and creates every column optional.
 */
final class SchemaDifference {
  /** Columns named in a message before the rest are counted. */
  private static final int NAMED = 4;

  private SchemaDifference() {}

  /** The differences between the table's columns and the run's, in words; empty when the run can write. */
  static Optional<String> between(StructType table, StructType run) {
    List<String> differences = new ArrayList<>();
    List<String> notInTable = new ArrayList<>();
    for (StructField field : run.fields()) {
      Optional<StructField> existing = find(table, field.name());
      if (existing.isEmpty()) {
        notInTable.add(field.name() + " " + field.dataType().simpleString());
      } else if (!existing.get().dataType().equals(field.dataType())) {
        differences.add(field.name() + " is " + existing.get().dataType().simpleString() + " in the table, "
            + field.dataType().simpleString() + " in this run");
      }
    }
    List<String> tableOnly = new ArrayList<>();
    for (StructField field : table.fields()) {
      if (find(run, field.name()).isEmpty()) {
        tableOnly.add(field.name() + " " + field.dataType().simpleString());
      }
    }
    if (!notInTable.isEmpty()) {
      differences.add("not in the table: " + named(notInTable));
    }
    if (!tableOnly.isEmpty()) {
      differences.add("in the table only: " + named(tableOnly));
    }
    return differences.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", differences));
  }

  private static String named(List<String> columns) {
    String named = String.join(", ", columns.subList(0, Math.min(NAMED, columns.size())));
    return columns.size() <= NAMED ? named : named + " and " + (columns.size() - NAMED) + " more";
  }

  private static Optional<StructField> find(StructType schema, String name) {
    for (StructField field : schema.fields()) {
      if (field.name().equals(name)) {
        return Optional.of(field);
      }
    }
    return Optional.empty();
  }
}
