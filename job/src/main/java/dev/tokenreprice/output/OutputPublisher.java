package dev.tokenreprice.output;

import dev.tokenreprice.cli.UsageException;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Every output is written under {@code DIR/_staging/RUN_ID/} first and moved into {@code DIR} only when
 * the whole run has succeeded, so a run that fails half-way leaves the previous output as it was. The
 * manifest is published last: its presence says the outputs beside it are complete.
 *
 * <p>Outputs partitioned by day are published one day folder at a time, so a run replaces exactly the days it
 * covers. This, not Spark's dynamic partition overwrite into the published folder, is how days are replaced:
 * a dynamic overwrite commits each output as its own job, so a run failing after the rollup's commit would leave
 * new days beside the old CSV files and manifest; staging everything and moving day folders at the end keeps
 * the previous output whole until the run has succeeded.
 */
public final class OutputPublisher {
  static final String STAGING = "_staging";
  private static final String DAY_PARTITION = "day=";
  /** How Spark names a task's file, up to its extension: part number, job UUID, file counter. */
  private static final String SPARK_PART_NAME =
      "^part-\\d+-[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}([.-]c\\d+)?";

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

  /**
   * Takes the lock of the output directory for this run ({@link OutputLock}), waiting up to {@code wait} while
   * another run holds it.
   */
  public OutputLock lock(java.time.Duration wait) throws IOException {
    return OutputLock.acquire(fs, outDir, stagingDir.getName(), wait, fs.getConf());
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

  /**
   * Publishes a run: each name in order (manifest last) replaces its published version, except the outputs
   * partitioned by day, of which only the {@code days} the run covered are replaced (a covered day without
   * rows this run loses its old partition) and every other day stays as it was. {@code stale} outputs are
   * removed first (for a partitioned one, only its covered days).
   */
  public void publish(List<String> names, List<String> stale, Set<String> partitionedByDay, Collection<LocalDate> days)
      throws IOException {
    for (String name : stale) {
      if (partitionedByDay.contains(name)) {
        for (LocalDate day : days) {
          fs.delete(new Path(published(name), dayPartition(day)), true);
        }
      } else {
        fs.delete(published(name), true);
      }
    }
    for (String name : names) {
      if (partitionedByDay.contains(name)) {
        publishDays(name, days);
      } else {
        replace(staged(name), published(name));
      }
    }
    // Also what runs killed before they could clean up left behind: runs on one DIR never overlap.
    fs.delete(stagingDir.getParent(), true);
  }

  /** The folder of one day in an output partitioned by day, as Spark names it. */
  public static String dayPartition(LocalDate day) {
    return DAY_PARTITION + day;
  }

  /**
   * Moves the staged day folders of {@code name} into the published one; a covered day that has no staged
   * folder is removed. Each day's data files get fixed names ({@code part-00000.snappy.parquet}) in place of
   * Spark's, which carry a job's random id, so the same rows make the same files on every run.
   */
  private void publishDays(String name, Collection<LocalDate> days) throws IOException {
    Path publishedDir = published(name);
    fs.mkdirs(publishedDir);
    SortedSet<String> toReplace = new TreeSet<>();
    days.forEach(day -> toReplace.add(dayPartition(day)));
    Path stagedDir = staged(name);
    FileStatus[] stagedDays = fs.exists(stagedDir) ? fs.listStatus(stagedDir) : new FileStatus[0];
    for (FileStatus status : stagedDays) {
      String partition = status.getPath().getName();
      if (status.isDirectory() && partition.startsWith(DAY_PARTITION)) {
        toReplace.add(partition);
        renameDataFiles(status.getPath());
      }
    }
    for (String partition : toReplace) {
      Path staged = new Path(stagedDir, partition);
      Path target = new Path(publishedDir, partition);
      if (fs.exists(staged)) {
        replace(staged, target);
      } else {
        fs.delete(target, true);
      }
    }
  }

  /**
   * Gives the data files of a staged output folder fixed names ({@code part-00000.json}) in place of Spark's,
   * which carry a job's random id.
   */
  public void giveFixedFileNames(String name) throws IOException {
    renameDataFiles(staged(name));
  }

  private void renameDataFiles(Path dayDir) throws IOException {
    List<Path> dataFiles = new ArrayList<>();
    for (FileStatus file : fs.listStatus(dayDir)) {
      String fileName = file.getPath().getName();
      if (file.isFile() && !fileName.startsWith("_") && !fileName.startsWith(".")) {
        dataFiles.add(file.getPath());
      }
    }
    dataFiles.sort(null);
    for (int i = 0; i < dataFiles.size(); i++) {
      Path from = dataFiles.get(i);
      // part-00003-<job uuid>.c000.snappy.parquet -> part-00000.snappy.parquet (also -c000.json -> .json)
      String extension = from.getName().replaceFirst(SPARK_PART_NAME, "");
      Path to = new Path(dayDir, String.format("part-%05d%s", i, extension));
      if (!from.equals(to) && !fs.rename(from, to)) {
        throw new IOException("cannot rename " + from + " to " + to);
      }
    }
  }

  private void replace(Path staged, Path target) throws IOException {
    if (fs.exists(target) && !fs.delete(target, true)) {
      throw new IOException("cannot replace " + target);
    }
    fs.mkdirs(target.getParent());
    if (!fs.rename(staged, target)) {
      throw new IOException("cannot move " + staged + " to " + target);
    }
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
