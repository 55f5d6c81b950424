package dev.tokenreprice.output;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs a run's outputs in a few lanes side by side: the outputs of one lane one after the other (a later one may
 * read what an earlier one cached), the lanes at the same time. A small run's outputs are single-task Spark jobs,
 * so two lanes keep two cores busy, and one lane's driver plans its next job while the other's runs. The first
 * failure is thrown again once every lane has stopped.
 */
public final class OutputLanes implements AutoCloseable {
  /** One output of a lane: a Spark job and what the driver does with its result. */
  public interface Output {
    void write() throws IOException;
  }

  private final ExecutorService pool;
  private final List<Future<?>> lanes = new ArrayList<>();

  private OutputLanes(int lanes) {
    pool = Executors.newFixedThreadPool(lanes, runnable -> {
      Thread thread = new Thread(runnable, "reprice-output-lane");
      thread.setDaemon(true);
      return thread;
    });
  }

  public static OutputLanes of(int lanes) {
    return new OutputLanes(lanes);
  }

  /** Starts a lane that writes {@code outputs} in order; a lane whose output fails writes no later one. */
  public void start(List<Output> outputs) {
    lanes.add(pool.submit(() -> {
      for (Output output : outputs) {
        try {
          output.write();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      return null;
    }));
  }

  /** Waits for every lane; throws the first failure, as the output that failed threw it. */
  public void awaitAll() throws IOException {
    Throwable first = null;
    for (Future<?> lane : lanes) {
      try {
        lane.get();
      } catch (ExecutionException e) {
        first = first == null ? e.getCause() : first;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        first = first == null ? e : first;
      }
    }
    lanes.clear();
    if (first instanceof UncheckedIOException io) {
      throw io.getCause();
    }
    if (first instanceof RuntimeException runtime) {
      throw runtime;
    }
    if (first instanceof Error error) {
      throw error;
    }
    if (first != null) {
      throw new IllegalStateException(first);
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
