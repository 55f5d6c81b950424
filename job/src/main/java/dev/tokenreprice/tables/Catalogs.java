package dev.tokenreprice.tables;

import dev.tokenreprice.cli.UsageException;
import org.apache.spark.sql.SparkSession;

/**
 * Opens the catalog of {@code --table}, once the run has checked what it can without Iceberg's classes: that the
 * user configured the catalog, and that Iceberg is on the class path at all (a cluster without
 * {@code --packages} has no Iceberg, and only a run with a table needs it).
 */
final class Catalogs {
  /** What spark-submit's {@code --packages} takes for the Iceberg this job is built with (see pom.xml). */
  static final String ICEBERG_PACKAGE = "org.apache.iceberg:iceberg-spark-runtime-4.1_2.13:1.12.0";

  private Catalogs() {}

  static IcebergTables open(SparkSession spark, TableName name) {
    String key = "spark.sql.catalog." + name.catalog();
    if (spark.conf().getOption(key).isEmpty()) {
      throw new UsageException("--table " + name + ": no catalog '" + name.catalog() + "' is configured (set " + key
          + "=org.apache.iceberg.spark.SparkCatalog with its type, uri or warehouse; see docs/tables.md)");
    }
    try {
      return IcebergTables.of(spark, name);
    } catch (NoClassDefFoundError e) {
      throw new UsageException("--table " + name + " needs Apache Iceberg's Spark runtime, which is not on the class"
          + " path (" + e.getMessage() + "): give spark-submit --packages " + ICEBERG_PACKAGE, e);
    }
  }
}
