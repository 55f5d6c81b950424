package dev.tokenreprice.bench;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * For {@code scripts/cluster-test}: whether Parquet outputs of two runs hold the same rows with the same
 * schema. Their bytes may differ where Parquet writes a set in the order the JVM hashes it (the column
 * encodings), so files are compared by content. Prints one line per directory; exits 1 on a difference.
 *
 * <p>Usage: {@code SameParquet DIR_A DIR_B NAME...}, comparing {@code DIR_A/NAME} with {@code DIR_B/NAME}.
 */
public final class SameParquet {
  private SameParquet() {}

  public static void main(String[] args) {
    SparkSession spark = SparkSession.builder().appName("same-parquet").getOrCreate();
    boolean same = true;
    for (String name : List.of(args).subList(2, args.length)) {
      Dataset<Row> first = spark.read().parquet(args[0] + "/" + name);
      Dataset<Row> second = spark.read().parquet(args[1] + "/" + name);
      long rows = first.count();
      boolean equal = first.schema().equals(second.schema()) && rows == second.count()
          && first.exceptAll(second).isEmpty() && second.exceptAll(first).isEmpty();
      System.out.println((equal ? "same " : "DIFFERENT ") + name + "/ (" + rows + " rows)");
      same &= equal;
    }
    spark.stop();
    System.exit(same ? 0 : 1);
  }
}
