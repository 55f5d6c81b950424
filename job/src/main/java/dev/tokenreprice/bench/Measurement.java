package dev.tokenreprice.bench;

import java.util.Arrays;

/** The wall-clock seconds of each run of one contender on one data set. */
record Measurement(long rows, String format, String contender, double[] seconds) {
  double median() {
    double[] sorted = seconds.clone();
    Arrays.sort(sorted);
    int middle = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  }

  double rowsPerSecond() {
    return rows / median();
  }
}
