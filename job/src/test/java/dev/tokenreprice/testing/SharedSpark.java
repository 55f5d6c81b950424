package dev.tokenreprice.testing;

import org.apache.spark.sql.SparkSession;

/** The one local SparkSession the whole test suite shares: starting Spark costs seconds, a test milliseconds. */
public final class SharedSpark {
  private static SparkSession session;

  private SharedSpark() {}

  public static synchronized SparkSession session() {
    if (session == null) {
      session = SparkSession.builder()
          .appName("reprice-tests")
          .master("local[2]")
          .config("spark.ui.enabled", "false")
          .config("spark.sql.shuffle.partitions", "2")
          .config("spark.default.parallelism", "2")
          .config("spark.sql.session.timeZone", "UTC")
          // As the job sets it: OTLP attribute lists may repeat a key.
          .config("spark.sql.mapKeyDedupPolicy", "LAST_WIN")
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.driver.bindAddress", "127.0.0.1")
          .getOrCreate();
      Runtime.getRuntime().addShutdownHook(new Thread(session::stop));
    }
    return session;
  }
}
