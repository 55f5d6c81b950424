package dev.tokenreprice.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The moves of one publish, written to {@code DIR/_journal/RUN_ID.json} after every output is staged and before the
 * first move, so that the next run on the directory can finish a publish a killed run left half-way, or undo it. A
 * published version is moved aside (into the run's staging), never deleted, until the publish is complete: that is
 * what makes undoing possible. Paths are relative to the output directory.
 */
final class PublishJournal {
  static final String DIR = "_journal";
  private static final String SUFFIX = ".json";
  private static final String PROGRESS_SUFFIX = ".progress";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One rename: a published version aside, or a staged output into place. */
  record Move(String from, String to) {}

  private PublishJournal() {}

  static Path of(Path outDir, String runId) {
    return new Path(new Path(outDir, DIR), runId + SUFFIX);
  }

  /** Beside a journal: how many of its moves are made, rewritten after each one. */
  static Path progressOf(Path journal) {
    return new Path(journal.getParent(), runId(journal) + PROGRESS_SUFFIX);
  }

  static void writeProgress(FileSystem fs, Path journal, int movesMade) throws IOException {
    try (OutputStream out = fs.create(progressOf(journal), true)) {
      out.write(Integer.toString(movesMade).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
  }

  /** How many moves the progress file says are made, or empty without a readable one. */
  static Optional<Integer> readProgress(FileSystem fs, Path journal) throws IOException {
    Path progress = progressOf(journal);
    if (!fs.exists(progress)) {
      return Optional.of(0);
    }
    try (InputStream in = fs.open(progress)) {
      return Optional.of(Integer.parseInt(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII)));
    } catch (NumberFormatException e) {
      return Optional.empty(); // killed while rewriting it
    }
  }

  /** The run a journal file is of. */
  static String runId(Path journal) {
    String name = journal.getName();
    return name.endsWith(SUFFIX) ? name.substring(0, name.length() - SUFFIX.length()) : name;
  }

  static void write(FileSystem fs, Path journal, String runId, List<Move> moves) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("run_id", runId);
    ArrayNode steps = root.putArray("moves");
    for (Move move : moves) {
      steps.addObject().put("from", move.from()).put("to", move.to());
    }
    try (OutputStream out = fs.create(journal, false)) {
      out.write(JSON.writeValueAsBytes(root));
    }
  }

  /** The moves a journal lists, or empty when its run was killed while writing it (before any move). */
  static Optional<List<Move>> read(FileSystem fs, Path journal) throws IOException {
    try (InputStream in = fs.open(journal)) {
      JsonNode root = JSON.readTree(in.readAllBytes());
      JsonNode steps = root == null ? null : root.get("moves");
      if (steps == null || !steps.isArray()) {
        return Optional.empty();
      }
      List<Move> moves = new ArrayList<>();
      for (JsonNode step : steps) {
        moves.add(new Move(step.path("from").asText(), step.path("to").asText()));
      }
      return Optional.of(List.copyOf(moves));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return Optional.empty();
    }
  }
}
