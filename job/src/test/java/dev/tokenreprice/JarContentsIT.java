package dev.tokenreprice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar is thin: a cluster's Spark provides Spark, Scala, Hadoop, Parquet, Jackson and univocity's CSV
 * parser, and a second copy of any of them in the jar would clash with the cluster's; Iceberg comes with
 * {@code --packages} (or the cluster's image), at the version the cluster's Spark needs. Libraries clusters do not
 * ship may be inside.
 * Runs after {@code package} (Failsafe, in {@code mvn verify}), on the jar itself.
 */
class JarContentsIT {
  /** Packages of the classes every Spark installation brings with it, and Iceberg's, which --packages adds. */
  private static final List<String> PROVIDED_BY_SPARK = List.of(
      "org/apache/spark/", "scala/", "org/apache/hadoop/", "com/fasterxml/jackson/", "org/apache/parquet/",
      "com/univocity/", "org/apache/iceberg/");

  private static final Path JAR = Path.of(System.getProperty("reprice.jar", "target/reprice-job.jar"));

  @Test
  void holdsNoClassOfThePackagesSparkOrItsPackagesProvide() throws IOException {
    assertTrue(Files.isRegularFile(JAR), "the jar must be built before this test: " + JAR.toAbsolutePath());
    try (JarFile jar = new JarFile(JAR.toFile())) {
      List<String> provided = Collections.list(jar.entries()).stream()
          .map(ZipEntry::getName)
          .filter(name -> PROVIDED_BY_SPARK.stream().anyMatch(name::startsWith))
          .toList();
      assertEquals(List.of(), provided, "classes a cluster's Spark already provides");
    }
  }

  /**
   * A run without {@code --table} must work where no Iceberg is on the class path (a cluster without
   * {@code --packages}): only one class names an Iceberg class, and only a run with a table loads it.
   */
  @Test
  void onlyIcebergTablesNamesAnIcebergClass() throws IOException {
    byte[] iceberg = "org/apache/iceberg/".getBytes(StandardCharsets.UTF_8);
    try (JarFile jar = new JarFile(JAR.toFile())) {
      List<String> naming = new ArrayList<>();
      for (ZipEntry entry : Collections.list(jar.entries())) {
        if (entry.getName().startsWith("dev/tokenreprice/") && entry.getName().endsWith(".class")) {
          try (InputStream in = jar.getInputStream(entry)) {
            if (contains(in.readAllBytes(), iceberg)) {
              naming.add(entry.getName());
            }
          }
        }
      }
      assertEquals(List.of("dev/tokenreprice/tables/IcebergTables.class"), naming);
    }
  }

  private static boolean contains(byte[] bytes, byte[] part) {
    for (int i = 0; i + part.length <= bytes.length; i++) {
      if (Arrays.equals(bytes, i, i + part.length, part, 0, part.length)) {
        return true;
      }
    }
    return false;
  }

  @Test
  void holdsTheJobAndItsBuiltInFormats() throws IOException {
    try (JarFile jar = new JarFile(JAR.toFile())) {
      assertNotNull(jar.getEntry("dev/tokenreprice/RepriceJob.class"));
      assertNotNull(jar.getEntry("dev/tokenreprice/tables/TablePublication.class"));
      assertNotNull(jar.getEntry("formats/anthropic.yaml"));
      assertEquals("dev.tokenreprice.RepriceJob", jar.getManifest().getMainAttributes().getValue("Main-Class"));
    }
  }
}
