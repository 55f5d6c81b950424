package dev.tokenreprice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenreprice.testing.ChildJvm;
import dev.tokenreprice.testing.HoldOutputLock;
import dev.tokenreprice.testing.JobRun;
import dev.tokenreprice.testing.RequestLogs;
import dev.tokenreprice.testing.TestCards;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One run at a time per --out: a run finding the lock held exits 1 in one line, waits if asked, takes over a dead one. */
class OverlappingRunsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;
  private Path card;
  private Path logs;
  private Path out;

  @BeforeEach
  void files() throws IOException {
    card = Files.writeString(dir.resolve("card.yaml"), TestCards.SMALL_CARD);
    logs = dir.resolve("logs");
    RequestLogs.write(logs, "nov01.jsonl", RequestLogs.request("a", "2026-11-01", 1000));
    RequestLogs.write(logs, "nov02.jsonl", RequestLogs.request("b", "2026-11-02", 1000));
    out = dir.resolve("out");
  }

  private JobRun run(String... extra) {
    List<String> args = new java.util.ArrayList<>(List.of("--input", logs.toString(), "--rate-card", card.toString(),
        "--out", out.toString(), "--no-report", "--scenarios", "none", "--quiet"));
    args.addAll(List.of(extra));
    return JobRun.of(args.toArray(String[]::new));
  }

  @Test
  void aRunFindingTheLockHeldByAnotherProcessExitsOneAtOnceWithOneLineNamingTheHolder() throws Exception {
    try (ChildJvm holder = ChildJvm.start(HoldOutputLock.class, out.toString(), "60", "60000")) {
      holder.awaitLine("held");
      JobRun second = run();

      assertEquals(1, second.status(), second.err());
      List<String> lines = second.err().lines().toList();
      assertEquals(1, lines.size(), second.err());
      assertTrue(lines.get(0).contains("it is locked by run holder-" + holder.pid()), lines.get(0));
      assertTrue(lines.get(0).contains("process " + holder.pid()), lines.get(0));
      assertTrue(lines.get(0).contains("--wait-for-lock"), "says what to do: " + lines.get(0));
      assertFalse(Files.exists(out.resolve("manifest.json")), "nothing published");
      assertFalse(Files.exists(out.resolve("_staging")), "nothing staged");
    }
  }

  @Test
  void waitForLockWaitsForTheHolderToFinishAndThenRuns() throws Exception {
    try (ChildJvm holder = ChildJvm.start(HoldOutputLock.class, out.toString(), "60", "2000")) {
      holder.awaitLine("held");
      JobRun waiting = run("--wait-for-lock", "30");

      assertEquals(0, waiting.status(), waiting.err());
      assertEquals("released", holder.awaitLine("released"), "the holder let go first");
      assertEquals(0, manifest().path("recovered").size(), "a released lock is no takeover");
      assertFalse(Files.exists(out.resolve("_lock")), "the run releases the lock");
    }
  }

  @Test
  void aLockWhoseHolderWasKilledIsTakenOverOnceItsLeaseRunsOutAndTheTakeoverIsSaid() throws Exception {
    long killedPid;
    try (ChildJvm holder = ChildJvm.start(HoldOutputLock.class, out.toString(), "1", "60000")) {
      holder.awaitLine("held");
      killedPid = holder.pid();
      holder.killHard();
    }
    assertTrue(Files.exists(out.resolve("_lock")), "kill -9 leaves the lock behind");
    Thread.sleep(1100); // the dead holder's lease of one second runs out
    JobRun next = run();

    assertEquals(0, next.status(), next.err());
    assertTrue(next.out().contains("recovered: took over the lock of --out from run holder-" + killedPid), next.out());
    JsonNode recovered = manifest().path("recovered");
    assertEquals(1, recovered.size());
    assertTrue(recovered.get(0).asText().contains("process " + killedPid), recovered.toString());
  }

  @Test
  void twoRunsStartedTogetherOnOneOutPublishOneWholeOutputAndTheOtherExitsOneWithOneLine() throws Exception {
    CyclicBarrier start = new CyclicBarrier(2);
    List<CompletableFuture<JobRun>> runs = Stream.of("a", "b").map(name -> CompletableFuture.supplyAsync(() -> {
      try {
        start.await();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      return run();
    })).toList();
    List<JobRun> done = runs.stream().map(CompletableFuture::join).toList();

    List<JobRun> published = done.stream().filter(r -> r.status() == 0).toList();
    List<JobRun> refused = done.stream().filter(r -> r.status() == 1).toList();
    assertEquals(1, published.size(), done.toString());
    assertEquals(1, refused.size(), done.toString());
    assertEquals(1, refused.get(0).err().lines().count(), refused.get(0).err());
    assertTrue(refused.get(0).err().contains("it is locked by run"), refused.get(0).err());
    // The output is the winner's whole output: its manifest, its run's copy, its rollup of both days.
    String runId = manifest().path("run_id").asText();
    assertTrue(published.get(0).out().contains("rows read"), published.get(0).out());
    assertTrue(Files.exists(out.resolve("runs").resolve(runId).resolve("manifest.json")));
    try (Stream<Path> runsDirs = Files.list(out.resolve("runs"))) {
      assertEquals(1, runsDirs.count(), "one run published");
    }
    assertEquals(3, Files.readAllLines(out.resolve("rollup.csv")).size(), "header and both days");
    assertFalse(Files.exists(out.resolve("_staging")), "no staging left");
    assertFalse(Files.exists(out.resolve("_journal")), "no journal left");
    assertFalse(Files.exists(out.resolve("_lock")), "the lock released");
  }

  private JsonNode manifest() throws IOException {
    return JSON.readTree(out.resolve("manifest.json").toFile());
  }

}
