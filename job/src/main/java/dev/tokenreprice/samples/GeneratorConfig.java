package dev.tokenreprice.samples;

import java.time.YearMonth;
import java.util.List;

/**
 * What to generate: how many requests, in which month, with which seed and share of bad rows, and the
 * directories to write them to (one per format; the sample writes the same requests to two).
 */
record GeneratorConfig(long rows, YearMonth month, long seed, double badFraction, int files, List<LogOutput> outputs) {
  GeneratorConfig {
    outputs = List.copyOf(outputs);
  }
}
