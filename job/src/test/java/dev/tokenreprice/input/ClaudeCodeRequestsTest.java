package dev.tokenreprice.input;

import static org.junit.jupiter.api.Assertions.assertEquals;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenreprice.testing.FormatRun;
import dev.tokenreprice.testing.JobRun;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What one request of a Claude Code session tree is, on lines in the shape Claude Code and relays write. */
class ClaudeCodeRequestsTest {
  private static final String LINE = "{\"type\":\"assistant\",\"sessionId\":\"s\",\"cwd\":\"%s\",\"timestamp\":\"%s\","
      + "%s\"message\":{\"id\":\"%s\",\"model\":\"claude-haiku-4-5\",\"usage\":{\"input_tokens\":%d,"
      + "\"output_tokens\":1,\"cache_read_input_tokens\":0,\"cache_creation_input_tokens\":0}}}";

  @TempDir
  Path dir;

  private static String line(String time, String requestId, String messageId, long input) {
    return String.format(LINE, "/home/dev/app", time,
        requestId == null ? "" : "\"requestId\":\"" + requestId + "\",", messageId, input);
  }

  private void write(String name, String... lines) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
  }

  @Test
  void eachMessageOfOneRequestIdIsARequestOfItsOwn() throws IOException {
    write("projects/-home-dev-app/s1.jsonl",
        line("2026-11-05T10:00:00Z", "req_1", "msg_a", 100),
        line("2026-11-05T10:00:01Z", "req_1", "msg_b", 200),
        line("2026-11-05T10:00:02Z", "req_1", "msg_b", 200));
    FormatRun run = FormatRun.of("claude-code", dir.resolve("projects").toString());
    // Haiku 4.5 (1 / 5): 100 x 1 + 1 x 5, and 200 x 1 + 1 x 5; the third line repeats msg_b
    assertEquals(Map.of("req_1/msg_a", new BigDecimal("0.000105000000"), "req_1/msg_b", new BigDecimal("0.000205000000")),
        run.costs());
    assertEquals(1, run.count("REPEATED_LINE"));
  }

  @Test
  void linesWithoutARequestIdAreOneRequestOnlyWithinOneSessionFileAndOneDay() throws IOException {
    // A relay that answers every response with the same id: two sessions, and one session over two days.
    write("projects/-home-dev-app/s1.jsonl",
        line("2026-11-05T23:59:00Z", null, "ocgo", 100),
        line("2026-11-05T23:59:01Z", null, "ocgo", 100),
        line("2026-11-06T00:01:00Z", null, "ocgo", 300));
    write("projects/-home-dev-app/s2.jsonl", line("2026-11-05T12:00:00Z", null, "ocgo", 500));
    FormatRun run = FormatRun.of("claude-code", dir.resolve("projects").toString());
    assertEquals(3, run.count("PRICED"), run.statuses().toString());
    assertEquals(1, run.count("REPEATED_LINE"));
    assertEquals(0, run.count("DUPLICATE_REQUEST_ID"));
    // 100 + 300 + 500 input at 1, and 3 outputs at 5, per million
    assertEquals(new BigDecimal("0.000915000000"), run.total());
  }

  private static String prompt(String time, String promptId, String text) {
    return "{\"type\":\"user\",\"sessionId\":\"s\",\"uuid\":\"u-" + time + "\",\"timestamp\":\"" + time + "\","
        + (promptId == null ? "" : "\"promptId\":\"" + promptId + "\",")
        + "\"message\":{\"role\":\"user\",\"content\":\"" + text + "\"}}";
  }

  private static String toolResult(String time, String promptId) {
    return "{\"type\":\"user\",\"sessionId\":\"s\",\"uuid\":\"t-" + time + "\",\"timestamp\":\"" + time + "\","
        + (promptId == null ? "" : "\"promptId\":\"" + promptId + "\",\"sourceToolAssistantUUID\":\"a1\",")
        + "\"message\":{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_1\","
        + "\"content\":\"ok\"}]},\"toolUseResult\":{\"stdout\":\"ok\",\"stderr\":\"\"}}";
  }

  @Test
  void aUserPromptBetweenLinesWithoutARequestIdStartsANewRequestButAToolResultDoesNot() throws IOException {
    // Claude Code today: promptId on the prompt and on its turn's tool results. Older: neither promptId nor
    // sourceToolAssistantUUID, the tool result only recognisable by its toolUseResult.
    for (String promptId : new String[] {"p", null}) {
      write("projects/-home-dev-app/s1.jsonl",
          prompt("2026-11-05T10:00:00Z", promptId == null ? null : promptId + "1", "fix the build"),
          line("2026-11-05T10:00:01Z", null, "ocgo", 100),
          line("2026-11-05T10:00:02Z", null, "ocgo", 100),
          toolResult("2026-11-05T10:00:03Z", promptId == null ? null : promptId + "1"),
          line("2026-11-05T10:00:04Z", null, "ocgo", 120),
          prompt("2026-11-05T10:05:00Z", promptId == null ? null : promptId + "2", "now the tests"),
          line("2026-11-05T10:05:01Z", null, "ocgo", 300));
      FormatRun run = FormatRun.of("claude-code", dir.resolve("projects").toString());
      assertEquals(2, run.count("PRICED"), promptId + ": " + run.statuses());
      assertEquals(2, run.count("REPEATED_LINE"), promptId + ": " + run.statuses());
      assertEquals(0, run.count("DUPLICATE_REQUEST_ID"), promptId + ": " + run.statuses());
      // The first turn's largest input (120) and the second's 300 at 1, and two outputs at 5, per million
      assertEquals(new BigDecimal("0.000430000000"), run.total(), String.valueOf(promptId));
    }
  }

  @Test
  void linesWithARequestIdAreOneRequestWhateverUserLinesFallBetween() throws IOException {
    write("projects/-home-dev-app/s1.jsonl",
        line("2026-11-05T10:00:01Z", "req_1", "msg_a", 100),
        prompt("2026-11-05T10:00:02Z", "p1", "stop"),
        line("2026-11-05T10:00:03Z", "req_1", "msg_a", 100));
    FormatRun run = FormatRun.of("claude-code", dir.resolve("projects").toString());
    assertEquals(Map.of("req_1/msg_a", new BigDecimal("0.000105000000")), run.costs());
  }

  @Test
  void aWindowsProjectFolderStartsWithTheDriveLetter() throws IOException {
    write("projects/C--Users-alice-git-webapp/s1.jsonl", String.format(LINE,
        "C:\\\\Users\\\\alice\\\\git\\\\webapp\\\\src", "2026-11-05T10:00:00Z", "\"requestId\":\"req_w\",", "msg_w", 1));
    FormatRun run = FormatRun.of("claude-code", dir.resolve("projects").toString());
    assertEquals(Map.of("req_w/msg_w", "webapp"), run.features());
  }

  @Test
  void filesBesideTheSessionsAreListedAsNotReadAndNeitherStrictNorAutoFailsOnThem() throws IOException {
    write("projects/-home-dev-app/s1.jsonl", line("2026-11-05T10:00:00Z", "req_1", "msg_a", 100));
    // Claude Code's pretty-printed index, and other tools' files beside the sessions.
    write("projects/-home-dev-app/sessions-index.json", "{", "  \"version\": 1,", "  \"entries\": []", "}");
    write("projects/-home-dev-app/s1.meta.json", "{\"title\": \"refactor\"}");
    write("projects/-home-dev-app/s1/tool-results/toolu_1.json", "[", "  {\"type\": \"text\"}", "]");
    for (String logFormat : new String[] {"claude-code", "auto"}) {
      Path out = dir.resolve("out-" + logFormat);
      JobRun run = JobRun.of("--log-format", logFormat, "--input", dir.resolve("projects").toString(), "--strict",
          "--rate-card", FormatRun.REPO + "/conf/rate-card.yaml", "--out", out.toString(), "--scenarios", "none",
          "--no-report", "--quiet");
      assertEquals(0, run.status(), logFormat + ": " + run.err());
      String manifest = Files.readString(out.resolve("manifest.json"));
      for (String file : new String[] {"sessions-index.json", "s1.meta.json", "toolu_1.json"}) {
        assertTrue(manifest.matches("(?s).*\"files_not_read\" : \\[.*" + file.replace(".", "\\.") + ".*\\].*"
            + "\"input_files\".*"), logFormat + " lists " + file + ": " + manifest);
      }
      assertTrue(manifest.contains(logFormat.equals("auto")
          ? "its name says it is a JSON document (*.json), not a log"
          : "not a claude-code file: in a directory it reads only *.jsonl, *.jsonl.gz"), manifest);
      assertTrue(run.out().contains("files not read"), run.out());
      assertTrue(Files.readString(out.resolve("rollup.csv")).contains("app,anthropic,claude-haiku-4-5,1,"),
          Files.readString(out.resolve("rollup.csv")));
    }
  }
}
