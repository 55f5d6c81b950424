package dev.tokenreprice.output;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * One run at a time per output directory: a lease on {@code DIR/_lock}, taken before the run reads anything and held
 * until it has published or cleaned up. The holder renews the lease from a background thread; a run that finds the
 * lease run out (its holder was killed, its driver lost) takes the lock over and says so. The lease is compared on
 * the wall clock of the run that finds it, as Hudi's storage lock does: hosts' clocks must agree to well within a
 * lease (docs/operations.md says what each store guarantees).
 */
public final class OutputLock implements AutoCloseable {
  public static final String LOCK_FILE = "_lock";
  /** A run that takes over a lease first creates this marker, named for the lease it saw: one taker wins. */
  static final String TAKEOVER_PREFIX = "_lock.takeover.";
  /** Hadoop configuration key ({@code spark.hadoop.} prefixed in Spark) of the lease, in seconds. */
  public static final String LEASE_SECONDS = "reprice.lock.lease-seconds";
  public static final long LEASE_SECONDS_DEFAULT = 120;
  /** Renewals per lease: a holder misses nine before it loses the lock (Hudi renews ten times a lease). */
  private static final int RENEWALS_PER_LEASE = 10;
  private static final Duration POLL = Duration.ofSeconds(1);

  private final AtomicFiles files;
  private final Path outDir;
  private final Path lockFile;
  private final Optional<LockHolder> takenOverFrom;
  /** Whether the output directory was there before the lock: one made only for the lock goes when left empty. */
  private final boolean outDirExisted;
  private final ScheduledExecutorService renewer;
  private volatile LockHolder held;
  private volatile long lastRenewedNanos;
  private volatile boolean lost;

  private OutputLock(AtomicFiles files, Path outDir, boolean outDirExisted, LockHolder held,
      Optional<LockHolder> takenOverFrom) {
    this.files = files;
    this.outDirExisted = outDirExisted;
    this.outDir = outDir;
    this.lockFile = new Path(outDir, LOCK_FILE);
    this.held = held;
    this.takenOverFrom = takenOverFrom;
    this.lastRenewedNanos = System.nanoTime();
    this.renewer = Executors.newSingleThreadScheduledExecutor(task -> {
      Thread thread = new Thread(task, "reprice-lock-renewal");
      thread.setDaemon(true);
      return thread;
    });
    long every = Math.max(1, held.lease().toMillis() / RENEWALS_PER_LEASE);
    renewer.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
  }

  /**
   * Takes the lock of {@code outDir} for {@code runId}, waiting up to {@code wait} while another run holds it.
   *
   * @throws OutputLockedException when another run still holds it after {@code wait}
   */
  public static OutputLock acquire(FileSystem fs, Path outDir, String runId, Duration wait, Configuration conf)
      throws IOException {
    AtomicFiles files = AtomicFiles.of(fs, outDir);
    Duration lease = Duration.ofSeconds(Math.max(1, conf.getLong(LEASE_SECONDS, LEASE_SECONDS_DEFAULT)));
    Instant now = Instant.now();
    LockHolder mine = new LockHolder(runId, UUID.randomUUID().toString(), hostName(),
        ProcessHandle.current().pid(), now, now, lease, 0);
    long deadline = System.nanoTime() + wait.toNanos();
    Path lockFile = new Path(outDir, LOCK_FILE);
    boolean outDirExisted = fs.exists(outDir);
    while (true) {
      if (files.createIfAbsent(lockFile, mine.toJson())) {
        return new OutputLock(files, outDir, outDirExisted, mine, Optional.empty());
      }
      Optional<byte[]> seen = files.read(lockFile);
      if (seen.isEmpty()) {
        continue; // released between our create and our read: try again at once
      }
      LockHolder holder = holderOf(files, lockFile, seen.get(), lease);
      if (holder.expiredAt(Instant.now()) && takeOver(files, lockFile, outDir, seen.get(), holder, mine)) {
        return new OutputLock(files, outDir, outDirExisted, mine, Optional.of(holder));
      }
      if (System.nanoTime() >= deadline) {
        throw new OutputLockedException("Cannot run on --out " + outDir + ": it is locked by " + holder.describe()
            + " (two runs would publish over each other); wait for it to finish, give --wait-for-lock SECONDS, or, if"
            + " that run is dead, run again after its lease ends");
      }
      sleep(POLL);
    }
  }

  /** What the lock file says, or for one whose writer died before writing it, its age as a lease of ours. */
  private static LockHolder holderOf(AtomicFiles files, Path lockFile, byte[] content, Duration lease)
      throws IOException {
    Optional<LockHolder> holder = LockHolder.fromJson(content);
    if (holder.isPresent()) {
      return holder.get();
    }
    FileStatus status = files.fs.getFileStatus(lockFile);
    Instant written = Instant.ofEpochMilli(status.getModificationTime());
    return new LockHolder("(unknown: the lock file is being written)", "unwritten-" + status.getModificationTime(),
        "?", 0, written, written, lease, 0);
  }

  /**
   * Replaces an expired lease with ours. Several runs may find the same lease expired: each tries to create the
   * marker named for that lease (owner and renewal), and only the one that creates it goes on, after checking that
   * the lock still holds the lease it saw.
   */
  private static boolean takeOver(AtomicFiles files, Path lockFile, Path outDir, byte[] seen, LockHolder expired,
      LockHolder mine) throws IOException {
    Path marker = new Path(outDir, TAKEOVER_PREFIX + expired.owner() + "-" + expired.renewals());
    if (!files.createIfAbsent(marker, mine.toJson())) {
      return false;
    }
    Optional<byte[]> now = files.read(lockFile);
    if (now.isEmpty() || !Arrays.equals(now.get(), seen)) {
      return false;
    }
    files.replace(lockFile, mine.toJson());
    return true;
  }

  /** The run whose expired lease this run took over, if it did. */
  public Optional<LockHolder> takenOverFrom() {
    return takenOverFrom;
  }

  /** One line for the summary and the manifest, when this run took the lock over from a dead run. */
  public Optional<String> takeoverNote() {
    return takenOverFrom.map(dead -> "took over the lock of --out from " + dead.describe()
        + ", whose lease had run out: that run was killed or lost");
  }

  /**
   * Checked before the first move of a publish: this run still holds the lock, renewed within its lease. A run that
   * stalled past its lease may have lost the lock to another, and must not move anything then.
   */
  public void requireHeld() throws IOException {
    Optional<LockHolder> now = files.read(lockFile).flatMap(LockHolder::fromJson);
    boolean renewedInTime = System.nanoTime() - lastRenewedNanos < held.lease().toNanos();
    if (lost || !renewedInTime || now.isEmpty() || !now.get().owner().equals(held.owner())) {
      lost = true;
      throw new IOException("Cannot publish to --out " + outDir + ": this run lost its lock"
          + now.filter(other -> !other.owner().equals(held.owner())).map(other -> " to " + other.describe()).orElse("")
          + " (its lease ran out while it stalled; publishing now could mix two runs' outputs)");
    }
  }

  private synchronized void renew() {
    if (lost) {
      return;
    }
    try {
      Optional<LockHolder> now = files.read(lockFile).flatMap(LockHolder::fromJson);
      if (now.isEmpty() || !now.get().owner().equals(held.owner())) {
        lost = true;
        return;
      }
      LockHolder renewed = held.renewed(Instant.now());
      files.replace(lockFile, renewed.toJson());
      held = renewed;
      lastRenewedNanos = System.nanoTime();
    } catch (IOException | RuntimeException e) {
      // Tried again at the next renewal; a lease that runs out meanwhile is found by requireHeld.
    }
  }

  /** Stops renewing and releases the lock, if it is still ours; removes the takeover markers of older leases. */
  @Override
  public void close() throws IOException {
    renewer.shutdownNow();
    try {
      renewer.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (this) {
      Optional<LockHolder> now = files.read(lockFile).flatMap(LockHolder::fromJson);
      FileStatus[] markers = files.fs.globStatus(new Path(outDir, TAKEOVER_PREFIX + "*"));
      for (FileStatus marker : markers == null ? new FileStatus[0] : markers) {
        files.delete(marker.getPath());
      }
      if (now.isPresent() && now.get().owner().equals(held.owner())) {
        files.delete(lockFile);
      }
      FileStatus[] left = files.fs.exists(outDir) ? files.fs.listStatus(outDir) : null;
      if (!outDirExisted && left != null && left.length == 0) {
        files.fs.delete(outDir, false); // a run that stopped before writing leaves no trace
      }
    }
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return ManagementFactory.getRuntimeMXBean().getName();
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OutputLockedException("interrupted while waiting for the lock of an output directory");
    }
  }
}
