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
  /** Where, in a run's staging, the versions it replaces wait until its publish is complete. */
  private static final String PREVIOUS = "_previous";
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
   * removed first (for a partitioned one, only its covered days). The moves are written to a journal first
   * ({@link PublishJournal}), and each published version is moved aside rather than deleted until the last move.
   */
  public void publish(List<String> names, List<String> stale, Set<String> partitionedByDay, Collection<LocalDate> days)
      throws IOException {
    List<PublishJournal.Move> moves = new ArrayList<>();
    for (String name : stale) {
      if (partitionedByDay.contains(name)) {
        for (LocalDate day : days) {
          moveAside(name + "/" + dayPartition(day), moves);
        }
      } else {
        moveAside(name, moves);
      }
    }
    for (String name : names) {
      if (partitionedByDay.contains(name)) {
        planDays(name, days, moves);
      } else {
        moveAside(name, moves);
        moves.add(new PublishJournal.Move(relative(staged(name)), name));
      }
    }
    Path journal = PublishJournal.of(outDir, stagingDir.getName());
    PublishJournal.write(fs, journal, stagingDir.getName(), moves);
    for (int i = 0; i < moves.size(); i++) {
      moveForward(moves.get(i));
      PublishJournal.writeProgress(fs, journal, i + 1);
    }
    finish(journal);
  }

  /** Once every move is made: the journal goes first, then the staging with the versions moved aside. */
  private void finish(Path journal) throws IOException {
    fs.delete(journal, false);
    fs.delete(PublishJournal.progressOf(journal), false);
    FileStatus[] otherJournals = fs.listStatus(journal.getParent());
    if (otherJournals.length == 0) {
      fs.delete(journal.getParent(), false);
    }
    discardStaging();
  }

  /** Moves the published version of {@code name} (a path under DIR) into this run's staging, if there is one. */
  private void moveAside(String name, List<PublishJournal.Move> moves) throws IOException {
    if (fs.exists(published(name))) {
      moves.add(new PublishJournal.Move(name, relative(new Path(new Path(stagingDir, PREVIOUS), name))));
    }
  }

  private String relative(Path path) {
    return outDir.toUri().relativize(path.toUri()).getPath();
  }

  /**
   * Makes a move of a journal. A destination already there is what a copying store (S3 renames by copy, then delete)
   * leaves of an interrupted move of the same source: it is replaced.
   */
  private void moveForward(PublishJournal.Move move) throws IOException {
    Path from = new Path(outDir, move.from());
    Path to = new Path(outDir, move.to());
    if (fs.exists(to) && !fs.delete(to, true)) {
      throw new IOException("cannot replace " + to);
    }
    fs.mkdirs(to.getParent());
    if (!fs.rename(from, to)) {
      throw new IOException("cannot move " + from + " to " + to);
    }
  }

  /**
   * How many moves of a journal were made: as many as its progress file says, and one more when the run was killed
   * between that move and the progress file's rewrite (the move's source gone, its destination there). Without a
   * readable progress file, the last move made is the last whose source is gone and whose destination is there.
   */
  private int movesMade(Path journal, List<PublishJournal.Move> moves) throws IOException {
    java.util.Optional<Integer> progress = PublishJournal.readProgress(fs, journal);
    if (progress.isPresent()) {
      int made = Math.min(progress.get(), moves.size());
      return made < moves.size() && made(moves.get(made)) ? made + 1 : made;
    }
    for (int i = moves.size() - 1; i >= 0; i--) {
      if (made(moves.get(i))) {
        return i + 1;
      }
    }
    return 0;
  }

  private boolean made(PublishJournal.Move move) throws IOException {
    return !fs.exists(new Path(outDir, move.from())) && fs.exists(new Path(outDir, move.to()));
  }

  /**
   * Before a run reads anything, under the lock: finishes or undoes the publish each journal left in DIR/_journal
   * says was interrupted, and removes what runs killed before publishing left in DIR/_staging. Returns one line
   * for each, for the summary and the manifest.
   */
  public List<String> recoverEarlierRuns() throws IOException {
    List<String> recovered = new ArrayList<>();
    Set<String> journaled = new TreeSet<>();
    Path journals = new Path(outDir, PublishJournal.DIR);
    FileStatus[] found = fs.exists(journals) ? fs.listStatus(journals) : new FileStatus[0];
    for (FileStatus status : found) {
      Path journal = status.getPath();
      if (!status.isFile() || !journal.getName().endsWith(".json")) {
        continue;
      }
      String runId = PublishJournal.runId(journal);
      journaled.add(runId);
      java.util.Optional<List<PublishJournal.Move>> moves = PublishJournal.read(fs, journal);
      if (moves.isEmpty()) {
        recovered.add("run " + runId + " was killed while writing its publish journal, before its first move:"
            + " its staged outputs are removed, the published output is as it was");
      } else {
        List<PublishJournal.Move> all = moves.get();
        int made = movesMade(journal, all);
        if (sourcesExist(all.subList(made, all.size()))) {
          for (PublishJournal.Move move : all.subList(made, all.size())) {
            moveForward(move);
          }
          recovered.add("finished the publish of run " + runId + ", interrupted after " + made + " of " + all.size()
              + " moves (its journal lists them; its staged outputs were complete)");
        } else {
          for (int i = made - 1; i >= 0; i--) {
            moveBack(all.get(i));
          }
          recovered.add("undid the publish of run " + runId + ", interrupted after " + made + " of " + all.size()
              + " moves (some of its staged outputs were gone): the output is as it was before that run");
        }
      }
      fs.delete(journal, false);
      fs.delete(PublishJournal.progressOf(journal), false);
    }
    fs.delete(journals, true);
    Path staging = stagingDir.getParent();
    FileStatus[] leftovers = fs.exists(staging) ? fs.listStatus(staging) : new FileStatus[0];
    for (FileStatus leftover : leftovers) {
      if (!journaled.contains(leftover.getPath().getName())) {
        recovered.add("removed the staged outputs of run " + leftover.getPath().getName()
            + ", which ended before it published (killed or lost)");
      }
      fs.delete(leftover.getPath(), true);
    }
    fs.delete(staging, true);
    return List.copyOf(recovered);
  }

  private boolean sourcesExist(List<PublishJournal.Move> moves) throws IOException {
    for (PublishJournal.Move move : moves) {
      if (!fs.exists(new Path(outDir, move.from()))) {
        return false;
      }
    }
    return true;
  }

  /** Undoes a move that was made. */
  private void moveBack(PublishJournal.Move move) throws IOException {
    Path from = new Path(outDir, move.from());
    Path to = new Path(outDir, move.to());
    if (fs.exists(to)) {
      fs.mkdirs(from.getParent());
      if (!fs.rename(to, from)) {
        throw new IOException("cannot move " + to + " back to " + from);
      }
    }
  }

  /** The folder of one day in an output partitioned by day, as Spark names it. */
  public static String dayPartition(LocalDate day) {
    return DAY_PARTITION + day;
  }

  /**
   * Plans the moves of the staged day folders of {@code name} into the published one; a covered day that has no
   * staged folder is moved aside. Each day's data files get fixed names ({@code part-00000.snappy.parquet}) in place
   * of Spark's, which carry a job's random id, so the same rows make the same files on every run.
   */
  private void planDays(String name, Collection<LocalDate> days, List<PublishJournal.Move> moves) throws IOException {
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
      moveAside(name + "/" + partition, moves);
      Path staged = new Path(stagedDir, partition);
      if (fs.exists(staged)) {
        moves.add(new PublishJournal.Move(relative(staged), name + "/" + partition));
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

  /**
   * Removes this run's staging directory, and the staging parent when no other run uses it; once its publish has
   * begun, the staging is what the next run needs to finish it, and stays.
   */
  public void discardStaging() throws IOException {
    if (fs.exists(PublishJournal.of(outDir, stagingDir.getName()))) {
      return; // the publish began: the next run finishes it from the journal, with what is staged here
    }
    fs.delete(stagingDir, true);
    Path parent = stagingDir.getParent();
    FileStatus[] others = fs.exists(parent) ? fs.listStatus(parent) : new FileStatus[0];
    if (others.length == 0) {
      fs.delete(parent, true);
    }
  }
}
