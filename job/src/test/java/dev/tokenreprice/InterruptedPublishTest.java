package dev.tokenreprice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenreprice.output.OutputLock;
import dev.tokenreprice.output.OutputPublisher;
import dev.tokenreprice.testing.ChildJvm;
import dev.tokenreprice.testing.JobRun;
import dev.tokenreprice.testing.PublishThenStop;
import dev.tokenreprice.testing.RequestLogs;
import dev.tokenreprice.testing.TestCards;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run killed with {@code kill -9} after staging or between two moves of its publish: the next run on the output
 * finishes the publish from its journal, or undoes it, or removes the staging, and the output is one run's whole output.
 */
class InterruptedPublishTest {
  @TempDir
  Path dir;
  private Path out;

  @BeforeEach
  void firstRunPublished() throws Exception {
    out = dir.resolve("out");
    PublishThenStop.publish(out.toString(), "first", new Configuration(), Duration.ZERO);
    assertEquals(outputOf("first"), published(), "the first run's whole output");
  }

  @Test
  void aPublishKilledBetweenTwoMovesIsFinishedByTheNextRunFromItsJournal() throws Exception {
    killDuringMoves("second");
    assertNotEquals(outputOf("first"), published(), "killed half-way: a mix of two runs");
    assertNotEquals(outputOf("second"), published(), "killed half-way: a mix of two runs");

    List<String> recovered = recoverAsTheNextRun();

    assertEquals(outputOf("second"), published(), "the killed run's whole output");
    assertTrue(recovered.stream().anyMatch(line -> line.startsWith("finished the publish of run second, interrupted"
        + " after ")), recovered.toString());
    assertTrue(recovered.stream().anyMatch(line -> line.startsWith("took over the lock of --out from run second")),
        recovered.toString());
    assertFalse(Files.exists(out.resolve("_staging")));
    assertFalse(Files.exists(out.resolve("_journal")));
  }

  @Test
  void aPublishKilledBetweenTwoMovesWhoseStagedOutputIsGoneIsUndone() throws Exception {
    killDuringMoves("second");
    try (Stream<Path> staged = Files.walk(out.resolve("_staging"))) {
      Path manifest = staged.filter(path -> path.toString().endsWith("second/manifest.json")).findFirst().orElseThrow();
      Files.delete(manifest); // staged files lost (a cleaner, a hand): the publish cannot be finished
    }

    List<String> recovered = recoverAsTheNextRun();

    assertTrue(recovered.stream().anyMatch(line -> line.startsWith("undid the publish of run second")),
        recovered.toString());
    assertEquals(outputOf("first"), published(), "the output as it was before the killed run");
  }

  @Test
  void aRunKilledAfterStagingLeavesThePreviousOutputWholeAndTheNextRunRemovesItsStaging() throws Exception {
    try (ChildJvm second = ChildJvm.start(PublishThenStop.class, out.toString(), "second")) {
      second.awaitLine("staged");
      second.killHard();
    }
    assertEquals(outputOf("first"), published());

    List<String> recovered = recoverAsTheNextRun();

    assertEquals(outputOf("first"), published());
    assertTrue(recovered.stream().anyMatch(line -> line.startsWith("removed the staged outputs of run second")),
        recovered.toString());
    assertFalse(Files.exists(out.resolve("_staging")));
  }

  @Test
  void theJobSaysInItsSummaryAndManifestThatItFinishedAKilledRunsPublish() throws Exception {
    killDuringMoves("second");
    Path card = Files.writeString(dir.resolve("card.yaml"), TestCards.SMALL_CARD);
    Path logs = dir.resolve("logs");
    RequestLogs.write(logs, "nov01.jsonl", RequestLogs.request("a", "2026-11-01", 1000));

    // The killed run's lease of a second may not have run out yet: the job waits for it, then takes the lock over.
    JobRun next = JobRun.of("--input", logs.toString(), "--rate-card", card.toString(), "--out", out.toString(),
        "--no-report", "--scenarios", "none", "--quiet", "--wait-for-lock", "10");

    assertEquals(0, next.status(), next.err());
    assertTrue(next.out().contains("recovered: took over the lock of --out from run second"), next.out());
    assertTrue(next.out().contains("recovered: finished the publish of run second"), next.out());
    assertTrue(Files.readString(out.resolve("manifest.json")).contains("finished the publish of run second"));
    // The killed run's day the job does not cover is the killed run's, whole; the day it covers, the job's own.
    assertEquals("second rollup 2026-10-31", Files.readString(out.resolve("rollup/day=2026-10-31/part-00000.csv")));
    assertFalse(Files.exists(out.resolve("rollup/day=2026-11-01/part-00000.csv")));
  }

  private void killDuringMoves(String runId) throws Exception {
    try (ChildJvm second = ChildJvm.start(PublishThenStop.class, out.toString(), runId)) {
      // The rollup.csv and totals.csv are in place, the rollup's days and the manifest not yet.
      second.awaitLine("renamed " + out.resolve("totals.csv"));
      second.killHard();
    }
    assertTrue(Files.exists(out.resolve("_journal").resolve(runId + ".json")), "the journal of the killed publish");
  }

  private List<String> recoverAsTheNextRun() throws Exception {
    Thread.sleep(1100); // the killed run's lease of one second runs out
    Configuration conf = new Configuration();
    OutputPublisher next = OutputPublisher.prepare(out.toString(), "next", conf);
    try (OutputLock lock = next.lock(Duration.ZERO)) {
      List<String> recovered = new java.util.ArrayList<>(lock.takeoverNote().stream().toList());
      recovered.addAll(next.recoverEarlierRuns());
      return recovered;
    }
  }

  /** What a run of PublishThenStop publishes, file by file. */
  private static Map<String, String> outputOf(String runId) {
    Map<String, String> files = new TreeMap<>();
    files.put("rollup.csv", runId + " rollup.csv");
    files.put("totals.csv", runId + " totals.csv");
    for (String day : PublishThenStop.DAYS) {
      files.put("rollup/day=" + day + "/part-00000.csv", runId + " rollup " + day);
    }
    files.put("manifest.json", "{\"run_id\":\"" + runId + "\"}");
    return files;
  }

  /** The published files under --out, leaving out the job's own bookkeeping (_lock, _staging, checksums). */
  private Map<String, String> published() throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> all = Files.walk(out)) {
      for (Path file : all.filter(Files::isRegularFile).toList()) {
        String relative = out.relativize(file).toString();
        if (!relative.startsWith("_") && !file.getFileName().toString().startsWith(".")) {
          files.put(relative, Files.readString(file));
        }
      }
    }
    return files;
  }
}
