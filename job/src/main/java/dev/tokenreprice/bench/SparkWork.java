package dev.tokenreprice.bench;

import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * Counts the Spark jobs a run starts and the CPU time its tasks use. On a machine shared with other work
 * wall-clock seconds vary by tens of percent; the number of jobs does not, and task CPU time much less.
 */
final class SparkWork extends SparkListener {
  /** What one run cost Spark. */
  record Used(long jobs, long taskCpuNanos) {}

  private final AtomicLong jobs = new AtomicLong();
  private final AtomicLong taskCpuNanos = new AtomicLong();
  private final SparkContext context;

  private SparkWork(SparkContext context) {
    this.context = context;
  }

  static SparkWork listenTo(SparkContext context) {
    SparkWork work = new SparkWork(context);
    context.addSparkListener(work);
    return work;
  }

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

  /** Everything counted so far, once the listener has seen every event already posted. */
  Used sinceStart() throws TimeoutException {
    context.listenerBus().waitUntilEmpty();
    return new Used(jobs.get(), taskCpuNanos.get());
  }
}
