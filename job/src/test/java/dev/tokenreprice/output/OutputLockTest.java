package dev.tokenreprice.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenreprice.cli.UsageException;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lock of an output directory, on one JVM's threads; other processes are in OverlappingRunsTest. */
class OutputLockTest {
  @TempDir
  java.nio.file.Path dir;

  /** A store whose create-if-absent is a check then a create (S3A before conditional writes, say). */
  public static final class RacyStore extends RawLocalFileSystem {
    @Override
    public URI getUri() {
      return URI.create("racy:///");
    }

    @Override
    public String getScheme() {
      return "racy";
    }
  }

  @Test
  void aStoreWithoutAnAtomicCreateIsRefusedRatherThanLockedWithARacyCheck() throws Exception {
    Configuration conf = new Configuration();
    conf.set("fs.racy.impl", RacyStore.class.getName());
    conf.setBoolean("fs.racy.impl.disable.cache", true);
    Path out = new Path("racy://" + dir.resolve("out").toUri().getPath());
    FileSystem fs = out.getFileSystem(conf);

    UsageException refused = assertThrows(UsageException.class,
        () -> OutputLock.acquire(fs, out, "r1", Duration.ZERO, conf));
    assertTrue(refused.getMessage().startsWith("Cannot lock --out racy:"), refused.getMessage());
    assertTrue(refused.getMessage().contains("no atomic create-if-absent"), refused.getMessage());
    assertFalse(Files.exists(dir.resolve("out")), "nothing created");
  }

  @Test
  void aSecondTakerOfTheSameLockWaitsItsTimeAndIsRefusedUntilTheFirstReleases() throws Exception {
    Configuration conf = new Configuration();
    FileSystem fs = FileSystem.getLocal(conf);
    Path out = fs.makeQualified(new Path(dir.resolve("out").toString()));
    try (OutputLock first = OutputLock.acquire(fs, out, "first", Duration.ZERO, conf)) {
      long started = System.nanoTime();
      OutputLockedException refused = assertThrows(OutputLockedException.class,
          () -> OutputLock.acquire(fs, out, "second", Duration.ofSeconds(2), conf));
      assertTrue(System.nanoTime() - started >= Duration.ofSeconds(2).toNanos(), "waited as long as asked");
      assertTrue(refused.getMessage().contains("locked by run first"), refused.getMessage());
      first.requireHeld();
    }
    try (OutputLock second = OutputLock.acquire(fs, out, "second", Duration.ZERO, conf)) {
      assertEquals(java.util.Optional.empty(), second.takenOverFrom(), "a released lock is taken, not taken over");
    }
  }

  @Test
  void aHolderWhoseLockWasTakenOverMayNotPublishAndLeavesTheTakersLockInPlace() throws Exception {
    Configuration conf = new Configuration();
    FileSystem fs = FileSystem.getLocal(conf);
    Path out = fs.makeQualified(new Path(dir.resolve("out").toString()));
    try (OutputLock stalled = OutputLock.acquire(fs, out, "stalled", Duration.ZERO, conf)) {
      // What another run writes once this one stalled past its lease.
      java.time.Instant now = java.time.Instant.now();
      byte[] taker = new LockHolder("taker", "owner-of-taker", "host-b", 42, now, now, Duration.ofMinutes(2), 0)
          .toJson();
      Files.write(dir.resolve("out").resolve(OutputLock.LOCK_FILE), taker);

      java.io.IOException lost = assertThrows(java.io.IOException.class, stalled::requireHeld);
      assertTrue(lost.getMessage().contains("this run lost its lock to run taker (host host-b, process 42"),
          lost.getMessage());
      stalled.close();
      assertEquals(new String(taker), Files.readString(dir.resolve("out").resolve(OutputLock.LOCK_FILE)),
          "releasing a lost lock leaves the taker's");
    }
  }
}
