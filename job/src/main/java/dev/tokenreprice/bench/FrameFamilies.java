package dev.tokenreprice.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * What the executor tasks of one run spent their time on, from a Java Flight Recorder recording of it: each
 * execution sample of a task thread is put in the family of the innermost frame that names one (JSON parsing,
 * Parquet decoding, generated code, hashing, decimals, string functions, shuffle and sort, ...). The benchmark prints
 * the shares of the job beside those of its contender, so that a difference in CPU per row has a name.
 */
final class FrameFamilies {
  /** Families in the order they are tried on each frame, innermost frame first; the first that matches wins. */
  private static final List<Map.Entry<String, List<String>>> FAMILIES = List.of(
      Map.entry("codegen compile", List.of("org.codehaus.janino", "org.codehaus.commons")),
      Map.entry("JSON parsing", List.of("com.fasterxml.jackson", "org.apache.spark.sql.catalyst.json")),
      Map.entry("Parquet decoding", List.of("org.apache.parquet", "datasources.parquet", "execution.vectorized")),
      Map.entry("decimals", List.of("java.math.", "org.apache.spark.sql.types.Decimal")),
      Map.entry("hashing", List.of("BytesToBytesMap", "UnsafeFixedWidthAggregationMap", "HashedRelation",
          "org.apache.spark.unsafe.hash", "XXH64", "Murmur3", "ByteArrayMethods.arrayEquals")),
      Map.entry("string functions", List.of("org.apache.spark.unsafe.types.UTF8String", "CollationAwareUTF8String",
          "CollationSupport", "java.util.regex", "com.ibm.icu")),
      Map.entry("timestamps", List.of("TimestampFormatter", "DateTimeUtils", "java.time.")),
      Map.entry("shuffle and sort", List.of("org.apache.spark.shuffle", "UnsafeExternalSorter", "UnsafeInMemorySorter",
          "UnsafeExternalRowSorter", "org.apache.spark.util.collection")),
      Map.entry("kept rows (cache, checkpoint)", List.of("columnar.InMemory", "CachedBatch", "ColumnBuilder",
          "org.apache.spark.storage")),
      Map.entry("interpreted expressions", List.of("Interpreted")),
      Map.entry("generated code", List.of("GeneratedClass")),
      Map.entry("Catalyst planning", List.of("org.apache.spark.sql.catalyst", "org.apache.spark.sql.execution")),
      Map.entry("other Spark", List.of("org.apache.spark")),
      Map.entry("other", List.of("")));

  private FrameFamilies() {}

  /** Each family's share of the task threads' samples in whole percent, largest first; empty without samples. */
  static Map<String, Integer> ofTasks(Path recording) throws IOException {
    Map<String, Integer> counts = new TreeMap<>();
    int total = 0;
    for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
      if (!event.getEventType().getName().equals("jdk.ExecutionSample")) {
        continue;
      }
      String thread = event.getThread("sampledThread") == null ? "" : event.getThread("sampledThread").getJavaName();
      if (thread == null || !thread.startsWith("Executor task launch")) {
        continue;
      }
      counts.merge(family(event.getStackTrace()), 1, Integer::sum);
      total++;
    }
    Map<String, Integer> percents = new LinkedHashMap<>();
    int all = total;
    // Rounded to the nearest whole percent in integers: a profile's share needs no fraction.
    counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .forEach(entry -> percents.put(entry.getKey(), (200 * entry.getValue() + all) / (2 * all)));
    return percents;
  }

  private static String family(RecordedStackTrace stack) {
    if (stack == null) {
      return "other";
    }
    for (RecordedFrame frame : stack.getFrames()) {
      String name = frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
      if (name.startsWith("java.lang.") || name.startsWith("java.util.concurrent") || name.startsWith("scala.")) {
        continue;
      }
      for (Map.Entry<String, List<String>> family : FAMILIES) {
        if (family.getValue().stream().anyMatch(name::contains) && !family.getKey().equals("other")) {
          return family.getKey();
        }
      }
    }
    return "other";
  }

  /** The shares as a table's cell: the families of 3% and more, largest first. */
  static String cell(Map<String, Integer> percents) {
    StringBuilder text = new StringBuilder();
    percents.forEach((family, percent) -> {
      if (percent >= 3) {
        text.append(text.length() == 0 ? "" : ", ").append(family).append(' ').append(percent).append('%');
      }
    });
    return text.toString();
  }
}
