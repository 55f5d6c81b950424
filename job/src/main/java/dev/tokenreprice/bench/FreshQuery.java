package dev.tokenreprice.bench;

import static org.apache.spark.sql.functions.col;

import dev.tokenreprice.input.CanonicalSchema;
import dev.tokenreprice.ratecard.RateCardLoader;
import org.apache.spark.sql.SparkSession;

/**
 * The benchmark's Spark contenders as processes of their own, started as the job is: a fresh JVM, a local
 * session, one query, exit. {@code FreshQuery QUERY PATH FORMAT [RATE_CARD]} with QUERY one of trivial
 * (one group-by of the JSON lines by model), hand, hand-dedupe, floor, claude-code (see {@link PlainQueries}).
 */
public final class FreshQuery {
  private FreshQuery() {}

  public static void main(String[] args) {
    String query = args[0];
    String path = args[1];
    String format = args[2];
    SparkSession spark = SparkSession.builder().appName("reprice-bench-" + query).getOrCreate();
    spark.conf().set("spark.sql.session.timeZone", "UTC");
    switch (query) {
      case "trivial" -> spark.read().schema(CanonicalSchema.jsonSchema("_corrupt_record")).json(path)
          .groupBy(col(CanonicalSchema.MODEL)).count().collectAsList();
      case "hand" -> PlainQueries.handWritten(spark, path, format,
          RateCardLoader.load(args[3], spark.sparkContext().hadoopConfiguration()), false);
      case "hand-dedupe" -> PlainQueries.handWritten(spark, path, format,
          RateCardLoader.load(args[3], spark.sparkContext().hadoopConfiguration()), true);
      case "floor" -> PlainQueries.floor(spark, path, format);
      case "claude-code" -> PlainQueries.claudeCode(spark, path,
          RateCardLoader.load(args[3], spark.sparkContext().hadoopConfiguration()));
      default -> throw new IllegalArgumentException("no query named " + query);
    }
    spark.stop();
  }
}
