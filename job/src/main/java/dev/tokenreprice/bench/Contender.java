package dev.tokenreprice.bench;

import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/** One way of getting the numbers, run on the same files as the others. */
record Contender(String name, Runner runner) {
  /** Runs once on the shared session; {@code out} is an empty directory it may write into. */
  @FunctionalInterface
  interface Runner {
    void run(SparkSession spark, Path out) throws Exception;
  }
}
