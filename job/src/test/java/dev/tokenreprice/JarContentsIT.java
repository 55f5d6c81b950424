package dev.tokenreprice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar is thin: a cluster's Spark provides Spark, Scala, Hadoop, Parquet, Jackson and univocity's CSV
 * parser, and a second copy of any of them in the jar would clash with the cluster's. Libraries clusters do not
 * ship may be inside.
 * Runs after {@code package} (Failsafe, in {@code mvn verify}), on the jar itself.
 */
class JarContentsIT {
  /** Packages of the classes every Spark installation brings with it. */
  private static final List<String> PROVIDED_BY_SPARK = List.of(
      "org/apache/spark/", "scala/", "org/apache/hadoop/", "com/fasterxml/jackson/", "org/apache/parquet/",
      "com/univocity/");

  private static final Path JAR = Path.of(System.getProperty("reprice.jar", "target/reprice-job.jar"));

  @Test
  void holdsNoClassOfThePackagesSparkProvides() throws IOException {
    assertTrue(Files.isRegularFile(JAR), "the jar must be built before this test: " + JAR.toAbsolutePath());
    try (JarFile jar = new JarFile(JAR.toFile())) {
      List<String> provided = Collections.list(jar.entries()).stream()
          .map(ZipEntry::getName)
          .filter(name -> PROVIDED_BY_SPARK.stream().anyMatch(name::startsWith))
          .toList();
      assertEquals(List.of(), provided, "classes a cluster's Spark already provides");
    }
  }

  @Test
  void holdsTheJobAndItsBuiltInFormats() throws IOException {
    try (JarFile jar = new JarFile(JAR.toFile())) {
      assertNotNull(jar.getEntry("dev/tokenreprice/RepriceJob.class"));
      assertNotNull(jar.getEntry("formats/anthropic.yaml"));
      assertEquals("dev.tokenreprice.RepriceJob", jar.getManifest().getMainAttributes().getValue("Main-Class"));
    }
  }
}
