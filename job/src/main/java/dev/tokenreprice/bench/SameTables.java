package dev.tokenreprice.bench;

import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.map_entries;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;

/**
 * For {@code scripts/cluster-test}: whether the tables two runs published with {@code --table} into two catalogs
 * hold the same rows with the same schema, apart from the columns named after a table (a run's id, times and
 * snapshot ids differ between two runs of the same input). The catalogs are configured as Spark settings
 * ({@code -Dspark.sql.catalog.NAME=...}). Prints one line per table; exits 1 on a difference.
 *
 * <p>Usage: {@code SameTables CATALOG_A CATALOG_B NAMESPACE.TABLE[:COLUMN,COLUMN...]...}.
 */
public final class SameTables {
  private SameTables() {}

  public static void main(String[] args) {
    SparkSession spark = SparkSession.builder().appName("same-tables").getOrCreate();
    boolean same = true;
    for (String table : List.of(args).subList(2, args.length)) {
      String[] nameAndSkipped = table.split(":", 2);
      String[] skipped = nameAndSkipped.length == 2 ? nameAndSkipped[1].split(",") : new String[0];
      Dataset<Row> first = comparable(spark.table(args[0] + "." + nameAndSkipped[0]).drop(skipped));
      Dataset<Row> second = comparable(spark.table(args[1] + "." + nameAndSkipped[0]).drop(skipped));
      long rows = first.count();
      boolean equal = first.schema().equals(second.schema()) && rows == second.count()
          && first.exceptAll(second).isEmpty() && second.exceptAll(first).isEmpty();
      System.out.println((equal ? "same " : "DIFFERENT ") + "table " + nameAndSkipped[0] + " (" + rows + " rows"
          + (skipped.length == 0 ? "" : ", apart from " + String.join(", ", Arrays.asList(skipped))) + ")");
      same &= equal;
    }
    spark.stop();
    System.exit(same ? 0 : 1);
  }

  /** Spark cannot compare maps in EXCEPT: a map column becomes the sorted array of its entries. */
  private static Dataset<Row> comparable(Dataset<Row> rows) {
    for (StructField field : rows.schema().fields()) {
      if (field.dataType() instanceof MapType) {
        rows = rows.withColumn(field.name(), array_sort(map_entries(col(field.name()))));
      }
    }
    return rows;
  }
}
