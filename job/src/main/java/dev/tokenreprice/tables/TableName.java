package dev.tokenreprice.tables;

import dev.tokenreprice.cli.UsageException;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The name given to {@code --table}: {@code CATALOG.NAMESPACE.NAME} (a namespace may have several parts), the
 * catalog one the user configured with {@code spark.sql.catalog.CATALOG}. A run publishes into four tables named
 * after it, {@code NAME_rollup}, {@code NAME_counterfactual}, {@code NAME_quarantine} and {@code NAME_runs}.
 */
public record TableName(String catalog, List<String> namespace, String name) {
  private static final Pattern PART = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  public TableName {
    namespace = List.copyOf(namespace);
  }

  /** Reads the flag's value; a part that would need quoting in SQL is refused, so every engine reads the name alike. */
  public static TableName parse(String flag, String value) {
    List<String> parts = Arrays.asList(value.split("\\.", -1));
    if (parts.size() < 3 || !parts.stream().allMatch(part -> PART.matcher(part).matches())) {
      throw new UsageException(flag + " must be CATALOG.NAMESPACE.NAME, each part letters, digits and _ (for example"
          + " lake.finance.llm_costs), cannot be: " + value);
    }
    return new TableName(parts.get(0), parts.subList(1, parts.size() - 1), parts.get(parts.size() - 1));
  }

  /** The full name of one of the run's tables, as Spark SQL reads it: {@code lake.finance.llm_costs_rollup}. */
  public String of(RunTable table) {
    return catalog + "." + String.join(".", namespace) + "." + tableName(table);
  }

  /** The last part of the name of one of the run's tables, inside the namespace. */
  public String tableName(RunTable table) {
    return name + "_" + table.suffix();
  }

  @Override
  public String toString() {
    return catalog + "." + String.join(".", namespace) + "." + name;
  }
}
