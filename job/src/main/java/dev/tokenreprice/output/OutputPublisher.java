package dev.tokenreprice.output;

import dev.tokenreprice.cli.UsageException;
import java.io.IOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Every output is written under {@code DIR/_staging/RUN_ID/} first and moved into {@code DIR} only when
 * the whole run has succeeded, so a run that fails half-way leaves the previous output as it was. The
 * manifest is published last: its presence says the outputs beside it are complete.
 */
public final class OutputPublisher {
  static final String STAGING = "_staging";

  private final FileSystem fs;
  private final Path outDir;
  private final Path stagingDir;

  private OutputPublisher(FileSystem fs, Path outDir, Path stagingDir) {
    this.fs = fs;
    this.outDir = outDir;
    this.stagingDir = stagingDir;
  }

  /** Checks the output directory before any data is read; nothing is created yet. */
  public static OutputPublisher prepare(String outDir, String runId, Configuration hadoopConf) {
    Path out = new Path(outDir);
    try {
      FileSystem fs = out.getFileSystem(hadoopConf);
      if (fs.exists(out) && !fs.getFileStatus(out).isDirectory()) {
        throw new UsageException("--out " + outDir + " is a file, not a directory (give a directory to write into)");
      }
      Path qualified = fs.makeQualified(out);
      return new OutputPublisher(fs, qualified, new Path(new Path(qualified, STAGING), runId));
    } catch (IOException e) {
      throw new UsageException("--out " + outDir + " cannot be used: " + e.getMessage(), e);
    }
  }

  public Path outDir() {
    return outDir;
  }

  /** Where an output is written before it is published. */
  public Path staged(String name) {
    return new Path(stagingDir, name);
  }

  /** Where an output lives once published. */
  public Path published(String name) {
    return new Path(outDir, name);
  }

  /** Makes an empty staged directory, for an output that has no rows this run. */
  public void stageEmptyDirectory(String name) throws IOException {
    fs.mkdirs(staged(name));
  }

  /** Replaces each published output by its staged version, in the order given, after removing {@code stale} ones. */
  public void publish(List<String> names, List<String> stale) throws IOException {
    for (String name : stale) {
      fs.delete(published(name), true);
    }
    for (String name : names) {
      Path target = published(name);
      if (fs.exists(target) && !fs.delete(target, true)) {
        throw new IOException("cannot replace " + target);
      }
      if (!fs.rename(staged(name), target)) {
        throw new IOException("cannot move " + staged(name) + " to " + target);
      }
    }
    discardStaging();
  }

  /** Removes this run's staging directory, and the staging parent when no other run uses it. */
  public void discardStaging() throws IOException {
    fs.delete(stagingDir, true);
    Path parent = stagingDir.getParent();
    FileStatus[] others = fs.exists(parent) ? fs.listStatus(parent) : new FileStatus[0];
    if (others.length == 0) {
      fs.delete(parent, true);
    }
  }
}
