package dev.tokenreprice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenreprice.cli.LogInput;
import dev.tokenreprice.input.InputFiles;
import dev.tokenreprice.input.LogFormats;
import dev.tokenreprice.input.NotReadFile;
import dev.tokenreprice.testing.JobRun;
import dev.tokenreprice.testing.RequestLogs;
import dev.tokenreprice.testing.TestCards;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.LocalFileSystem;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged input files beside good ones: each is listed in files_not_read with its reason and counted in the summary,
 * the good files' rows are priced, and no damaged file fails the run (with --strict, it exits 3).
 */
class DamagedInputTest {
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
    // 2 requests of 1000 input tokens: 2 x 0.0045 = 0.009
    RequestLogs.write(logs, "good.jsonl", RequestLogs.request("a", "2026-11-01", 1000),
        RequestLogs.request("b", "2026-11-01", 1000));
    Files.write(logs.resolve("empty.jsonl"), new byte[0]);
    String whole = RequestLogs.request("c", "2026-11-01", 1000);
    String cut = RequestLogs.request("d", "2026-11-01", 1000);
    Files.writeString(logs.resolve("cut.jsonl"), whole + "\n" + cut.substring(0, cut.length() / 2));
    byte[] gzip = gzip(RequestLogs.request("e", "2026-11-01", 1000) + "\n" + RequestLogs.request("f", "2026-11-01", 1000)
        + "\n");
    Files.write(logs.resolve("truncated.jsonl.gz"), Arrays.copyOf(gzip, gzip.length - 12));
    // A Parquet file cut short: its head (the magic bytes and some data) without its footer.
    Files.write(logs.resolve("cut.parquet"), "PAR1\u0015\u0000\u0015\u00a4\u0001\u0015\u00a4\u0001,\u0015\u0004"
        .getBytes(StandardCharsets.ISO_8859_1));
    out = dir.resolve("out");
  }

  private JobRun run(String... extra) {
    List<String> args = new java.util.ArrayList<>(List.of("--input", logs.toString(), "--rate-card", card.toString(),
        "--out", out.toString(), "--no-report", "--scenarios", "none", "--quiet"));
    args.addAll(List.of(extra));
    return JobRun.of(args.toArray(String[]::new));
  }

  @Test
  void eachDamagedFileIsListedWithItsReasonAndTheGoodFilesRowsArePriced() throws IOException {
    // good.jsonl's 2 requests and cut.jsonl's whole line are priced (3 x 0.0045); its cut line is quarantined.
    JobRun run = run();

    assertEquals(0, run.status(), run.err());
    assertTrue(run.err().isEmpty(), "no stack trace: " + run.err());
    JsonNode manifest = JSON.readTree(out.resolve("manifest.json").toFile());
    assertEquals(4, manifest.at("/counts/rows_read").asLong(), manifest.toString());
    assertEquals(1, manifest.at("/counts/quarantined/MALFORMED_RECORD").asLong(), manifest.toString());
    assertEquals("0.013500000000", manifest.get("total_cost").asText());
    Map<String, String> notRead = new TreeMap<>();
    for (JsonNode file : manifest.get("files_not_read")) {
      assertTrue(file.get("damaged").asBoolean(), file.toString());
      notRead.put(Path.of(URI.create(file.get("path").asText()).getPath()).getFileName().toString(),
          file.get("reason").asText());
    }
    assertEquals(List.of("cut.parquet", "empty.jsonl", "truncated.jsonl.gz"), List.copyOf(notRead.keySet()));
    assertTrue(notRead.get("empty.jsonl").contains("empty file"), notRead.toString());
    assertTrue(notRead.get("truncated.jsonl.gz").contains("cut short or corrupt"), notRead.toString());
    assertTrue(notRead.get("cut.parquet").contains("not a readable Parquet file"), notRead.toString());
    assertTrue(run.out().contains("damaged files"), run.out());
    assertTrue(run.out().lines().anyMatch(line -> line.matches("\\s*damaged files\\s+3 .*")), run.out());
  }

  @Test
  void withStrictADamagedFileExitsThreeWithoutPublishingTheRollups() throws IOException {
    JobRun run = run("--strict");

    assertEquals(3, run.status(), run.err() + run.out());
    assertFalse(Files.exists(out.resolve("rollup.csv")), "rollups not published");
    assertEquals(3, JSON.readTree(out.resolve("manifest.json").toFile()).get("files_not_read").size());
  }

  /** A store that refuses to open one file, as S3 (403) or HDFS (permission denied) would. */
  public static final class DenyingFileSystem extends LocalFileSystem {
    @Override
    public FSDataInputStream open(org.apache.hadoop.fs.Path path, int bufferSize) throws IOException {
      if (path.getName().startsWith("unreadable")) {
        throw new AccessDeniedException(path + ": Permission denied");
      }
      return super.open(path, bufferSize);
    }
  }

  @Test
  void aFileTheRunMayNotReadIsListedAsNotReadAndTheOthersAreRead() throws IOException {
    RequestLogs.write(logs, "unreadable.jsonl", RequestLogs.request("g", "2026-11-01", 1000));
    Configuration conf = new Configuration();
    conf.set("fs.file.impl", DenyingFileSystem.class.getName());
    conf.setBoolean("fs.file.impl.disable.cache", true);

    InputFiles.Listing listing = InputFiles.list(List.of(new LogInput(logs.toString(), "canonical",
        Optional.empty())), Optional.empty(), conf, new LogFormats(conf), null);

    assertEquals(List.of("cut.jsonl", "good.jsonl"), listing.read().stream()
        .map(file -> new org.apache.hadoop.fs.Path(file.path()).getName()).toList());
    NotReadFile unreadable = listing.damaged().stream().filter(file -> file.path().endsWith("unreadable.jsonl"))
        .findFirst().orElseThrow();
    assertTrue(unreadable.reason().startsWith("damaged: cannot be read: "), unreadable.reason());
    assertTrue(unreadable.reason().contains("Permission denied"), unreadable.reason());
    assertEquals(4, listing.damaged().size(), listing.damaged().toString());
  }

  private static byte[] gzip(String text) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
      gzip.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return bytes.toByteArray();
  }
}
