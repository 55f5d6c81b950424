package dev.tokenreprice.testing;

import dev.tokenreprice.output.OutputLock;
import dev.tokenreprice.output.OutputPublisher;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A run's publish in a process of its own, to be killed with {@code kill -9} part-way: {@code OUT_DIR RUN_ID}. It
 * takes the lock, stages a rollup.csv, a totals.csv, two day folders of a rollup and a manifest (each file's text
 * names the run), prints {@code staged}, waits a second, then publishes them; each rename of the publish prints
 * {@code renamed TARGET} and then takes a fifth of a second, so that a test can kill it between two moves.
 */
public final class PublishThenStop {
  public static final List<String> DAYS = List.of("2026-10-31", "2026-11-01");
  /** How Spark names a task's file; the publish gives it a fixed name. */
  private static final String SPARK_PART = "part-00000-0123abcd-0123-4567-89ab-0123456789ab-c000.csv";

  private PublishThenStop() {}

  /** The local file system, with each rename printed and slowed down. */
  public static final class SlowRenames extends LocalFileSystem {
    @Override
    public boolean rename(Path from, Path to) throws IOException {
      boolean renamed = super.rename(from, to);
      System.out.println("renamed " + to.toUri().getPath());
      System.out.flush();
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return renamed;
    }
  }

  public static void main(String[] args) throws Exception {
    Configuration conf = new Configuration();
    conf.set("fs.file.impl", SlowRenames.class.getName());
    conf.setBoolean("fs.file.impl.disable.cache", true);
    conf.setLong(OutputLock.LEASE_SECONDS, 1); // once killed, the next run need not wait long to take over
    publish(args[0], args[1], conf, Duration.ofSeconds(1));
    System.out.println("published");
  }

  /** Stages and publishes the run's outputs, pausing between the two for {@code pause}. */
  public static void publish(String outDir, String runId, Configuration conf, Duration pause) throws Exception {
    OutputPublisher publisher = OutputPublisher.prepare(outDir, runId, conf);
    try (OutputLock lock = publisher.lock(Duration.ZERO)) {
      System.out.println("recovered " + publisher.recoverEarlierRuns());
      FileSystem fs = publisher.outDir().getFileSystem(conf);
      write(fs, publisher.staged("rollup.csv"), runId + " rollup.csv");
      write(fs, publisher.staged("totals.csv"), runId + " totals.csv");
      for (String day : DAYS) {
        write(fs, new Path(publisher.staged("rollup"), "day=" + day + "/" + SPARK_PART), runId + " rollup " + day);
      }
      write(fs, publisher.staged("manifest.json"), "{\"run_id\":\"" + runId + "\"}");
      System.out.println("staged");
      System.out.flush();
      Thread.sleep(pause.toMillis());
      publisher.publish(List.of("rollup.csv", "totals.csv", "rollup", "manifest.json"), List.of(), Set.of("rollup"),
          DAYS.stream().map(LocalDate::parse).toList());
    }
  }

  private static void write(FileSystem fs, Path path, String text) throws IOException {
    try (OutputStream out = fs.create(path, false)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }
}
