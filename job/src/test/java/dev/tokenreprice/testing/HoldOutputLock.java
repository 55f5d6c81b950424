package dev.tokenreprice.testing;

import dev.tokenreprice.output.OutputLock;
import java.time.Duration;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A process that holds the lock of an output directory as a run would, renewing its lease: {@code OUT_DIR
 * LEASE_SECONDS HOLD_MILLIS}. Prints {@code held} once it holds the lock and {@code released} when it lets go.
 */
public final class HoldOutputLock {
  private HoldOutputLock() {}

  public static void main(String[] args) throws Exception {
    Configuration conf = new Configuration();
    conf.setLong(OutputLock.LEASE_SECONDS, Long.parseLong(args[1]));
    FileSystem fs = FileSystem.getLocal(conf);
    Path out = fs.makeQualified(new Path(args[0]));
    try (OutputLock lock = OutputLock.acquire(fs, out, "holder-" + ProcessHandle.current().pid(), Duration.ZERO,
        conf)) {
      System.out.println("held");
      System.out.flush();
      Thread.sleep(Long.parseLong(args[2]));
    }
    System.out.println("released");
  }
}
