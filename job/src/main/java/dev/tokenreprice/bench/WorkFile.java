package dev.tokenreprice.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerApplicationEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * What a process the benchmark started cost Spark, written when its application ends: "JOBS TASK_CPU_NANOS PEAK_KIB"
 * (the process's peak resident memory so far, 0 where /proc is not there) into
 * the file the system property {@value #FILE_PROPERTY} names. Registered with {@code spark.extraListeners}, so the
 * job runs as a user starts it, with nothing of the benchmark in its code path.
 */
public final class WorkFile extends SparkListener {
  static final String FILE_PROPERTY = "reprice.bench.work-file";

  private final AtomicLong jobs = new AtomicLong();
  private final AtomicLong taskCpuNanos = new AtomicLong();

  @Override
  public void onJobStart(SparkListenerJobStart jobStart) {
    jobs.incrementAndGet();
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd taskEnd) {
    if (taskEnd.taskMetrics() != null) {
      taskCpuNanos.addAndGet(taskEnd.taskMetrics().executorCpuTime());
    }
  }

  private static long peakKib() throws IOException {
    Path status = Path.of("/proc/self/status");
    if (!Files.exists(status)) {
      return 0;
    }
    return Files.readAllLines(status).stream().filter(line -> line.startsWith("VmHWM:"))
        .mapToLong(line -> Long.parseLong(line.replaceAll("[^0-9]", ""))).findFirst().orElse(0);
  }

  @Override
  public void onApplicationEnd(SparkListenerApplicationEnd end) {
    String file = System.getProperty(FILE_PROPERTY);
    if (file == null) {
      return;
    }
    try {
      Files.writeString(Path.of(file), jobs.get() + " " + taskCpuNanos.get() + " " + peakKib() + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the Spark work to " + file, e);
    }
  }
}
