package dev.tokenreprice.input;

import static dev.tokenreprice.testing.FormatRun.sample;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenreprice.cli.LogInput;
import dev.tokenreprice.testing.FormatRun;
import dev.tokenreprice.testing.SharedSpark;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coding agents' own logs beside Claude Code's (Codex CLI, Gemini CLI, OpenCode), on the hand-made files of
 * {@code sample-data/formats/}, priced with the shipped card. Each expected cost is worked out by hand from the
 * card's USD-per-million prices in the comment beside it.
 */
class CodingAgentFormatsTest {
  private static BigDecimal usd(String amount) {
    return new BigDecimal(amount).setScale(12);
  }

  private static String codexRequest(String session, long input, long cached, long written, long output) {
    return "codex " + session + " at " + input + " in (" + cached + " cached, " + written + " written), " + output + " out";
  }

  @Test
  void codexPricesEachTurnsLastUsageOnceWithTheModelOfItsTurnAndCacheAndReasoningAsParts() {
    FormatRun run = FormatRun.of("codex", sample("codex"));
    String session = "019a4e1c-7e39-7a20-a2f3-d5383f46df9d";
    // gpt-5.6-sol in November (4 / 20, cache read 0.40): (12000 - 10000) x 4 + 10000 x 0.40 + 400 x 20; the 256
    // reasoning tokens are inside the 400 output tokens.
    assertEquals(usd("0.02"), run.costs().get(codexRequest(session, 12000, 10000, 0, 400)));
    assertEquals("PRICED,NOT_A_REQUEST", run.statuses().get(codexRequest(session, 12000, 10000, 0, 400)),
        "the same count written again is no second request");
    // A turn_context switches the session to gpt-5.6-terra (2 / 12, read 0.20, write 2.50); the turn's own usage
    // (last_token_usage), not the session's total: (8000 - 6000 - 2000) x 2 + 6000 x 0.20 + 2000 x 2.50 + 500 x 12
    assertEquals(usd("0.0122"), run.costs().get(codexRequest(session, 20000, 16000, 2000, 900)));
    assertEquals("openai/gpt-5.6-terra", run.models().get(codexRequest(session, 20000, 16000, 2000, 900)));
    // Resumed in the same file a day later at the fast tier (x 2), the inherited count written again first:
    // (3000 x 4 + 100 x 20) x 2
    assertEquals(usd("0.028"), run.costs().get(codexRequest(session, 3000, 0, 0, 100)));
    // An older Codex (0.58) without cache_write_input_tokens and total_tokens, its cwd a Windows path:
    // (5000 - 1000) x 4 + 1000 x 0.40 + 300 x 20, then (4000 - 2000) x 4 + 2000 x 0.40 + 200 x 20
    String older = "0199b3a1-55e0-7c41-9a7d-1b2c3d4e5f60";
    assertEquals(usd("0.0224"), run.costs().get(codexRequest(older, 5000, 1000, 0, 300)));
    assertEquals(usd("0.0128"), run.costs().get(codexRequest(older, 9000, 3000, 0, 500)));
    assertEquals(usd("0.0954"), run.total());
    assertEquals("search-service", run.features().get(codexRequest(older, 9000, 3000, 0, 500)));
    assertEquals("billing-api", run.features().get(codexRequest(session, 3000, 0, 0, 100)));
    // A session through a provider the card does not know is quarantined with it named, not priced as OpenAI's.
    String routed = codexRequest("019a5f00-0000-7000-8000-00000000abcd", 1000, 0, 0, 50);
    assertEquals("UNKNOWN_MODEL", run.statuses().get(routed));
    assertTrue(run.details().get(routed).contains("provider 'openrouter'"), run.details().get(routed));
    // The session cut mid-line: its last line is quarantined, the lines before it priced.
    assertEquals(1, run.count("MALFORMED_RECORD"));
    // The overflow's zero count, written when the session filled its context and again on resume, is no request.
    assertEquals("NOT_A_REQUEST,NOT_A_REQUEST", run.statuses().get(codexRequest(session, 0, 0, 0, 0)));
  }

  @Test
  void geminiCliPricesEachMessageOnceAcrossTheOldDocumentAndTheNewLinesWithThoughtsAsOutput() {
    FormatRun run = FormatRun.of("gemini-cli", sample("gemini-cli"));
    String session = "gemini-cli 1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d/";
    // The older recorder's one document (session-*.json), its messages copied into the .jsonl that resumed it: each
    // message is one request, the document's line counted and the copy a repeated line.
    // gemini-3.1-pro-preview (2 / 12, read 0.20), total = input + output + thoughts: thoughts are output.
    // (10000 - 8000) x 2 + 8000 x 0.20 + (500 + 1000) x 12
    assertEquals(usd("0.0236"), run.costs().get(session + "g-1"));
    assertEquals("PRICED,REPEATED_LINE", run.statuses().get(session + "g-1"));
    // Switched to gemini-3.5-flash (1.50 / 9, read 0.15) in the same session; the tool-use prompt is input:
    // (4000 + 100) x 1.50 + 200 x 9
    assertEquals(usd("0.00795"), run.costs().get(session + "g-2"));
    assertEquals("google/gemini-3.5-flash", run.models().get(session + "g-2"));
    // A message of an older version without thoughts, tool or total: 1000 x 1.50 + 100 x 9
    assertEquals(usd("0.0024"), run.costs().get(session + "g-0"));
    // Written three times in the JSON lines (before its tokens, with them, with its tool call), rewound after:
    // billed once. (20000 - 15000) x 1.50 + 15000 x 0.15 + (300 + 200) x 9
    assertEquals(usd("0.01425"), run.costs().get(session + "g-3"));
    assertEquals("NOT_A_REQUEST,REPEATED_LINE,PRICED", run.statuses().get(session + "g-3"));
    // A sub-agent's session (chats/<parent>/<id>.jsonl): 2000 x 1.50 + (100 + 50) x 9
    assertEquals(usd("0.00435"), run.costs().get("gemini-cli 9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a/s-1"));
    assertEquals(usd("0.05255"), run.total());
    assertTrue(run.features().values().stream().allMatch("search-service"::equals), run.features().toString());
    // The session cut mid-line: the cut line is quarantined.
    assertEquals(1, run.count("MALFORMED_RECORD"));
  }

  @Test
  void openCodePricesEachAssistantMessageWithReasoningReadByItsVersionAndQuarantinesAnUnknownProvider() {
    FormatRun run = FormatRun.of("opencode", sample("opencode"));
    // No total (an older version), Anthropic's uncached input: claude-sonnet-4-6 (3 / 15, 5m write 3.75, read 0.30):
    // 2000 x 3 + 500 x 15 + 1000 x 3.75 + 10000 x 0.30
    assertEquals(usd("0.02025"), run.costs().get("msg_4f1e2d3c1002"));
    // The same OpenAI usage as two versions wrote it, gpt-5.6-sol (4 / 20, read 0.40): the older kept the 300
    // reasoning tokens inside output 800 (total 4800 = 3000 + 800 + 1000), the newer took them out (output 500,
    // total 4800 = 3000 + 500 + 300 + 1000). Both: 3000 x 4 + 1000 x 0.40 + 800 x 20
    assertEquals(usd("0.0284"), run.costs().get("msg_4f1e2d3c1003"));
    assertEquals(usd("0.0284"), run.costs().get("msg_4f1e2d3c1004"));
    // Google without a total: its thoughts were never inside output. gemini-3.5-flash (1.50 / 9): 1000 x 1.50 + 150 x 9
    assertEquals(usd("0.00285"), run.costs().get("msg_4f1e2d3c1005"));
    assertEquals("billing-api", run.features().get("msg_4f1e2d3c1004"));
    // A subscription gateway has no price on the card: quarantined with the provider named.
    assertEquals("UNKNOWN_MODEL", run.statuses().get("msg_4f1e2d3c1006"));
    assertTrue(run.details().get("msg_4f1e2d3c1006").contains("provider 'github-copilot'"));
    // The user's message and an aborted one without tokens are no requests.
    assertEquals("NOT_A_REQUEST", run.statuses().get("msg_4f1e2d3c1001"));
    assertEquals("NOT_A_REQUEST", run.statuses().get("msg_4f1e2d3c1007"));
  }

  @Test
  void openCodesDatabaseIsReadBesideItsMessageFilesAndAMessageInBothIsOneRequest() {
    FormatRun run = FormatRun.of("opencode", sample("opencode"));
    // The upgrade copied msg_4f1e2d3c1003 into opencode.db and kept its file: priced once.
    assertEquals("PRICED,REPEATED_LINE", run.statuses().get("msg_4f1e2d3c1003"));
    // A newer version's message, only in the database, reasoning taken out of output (total 800 = 500 + 200 + 100):
    // claude-sonnet-4-6 (3 / 15): 500 x 3 + (200 + 100) x 15. It has no path: its session's directory names the project.
    assertEquals(usd("0.006"), run.costs().get("msg_5a6b7c8d0002"));
    assertEquals("search-service", run.features().get("msg_5a6b7c8d0002"));
    assertEquals("NOT_A_REQUEST", run.statuses().get("msg_5a6b7c8d0001"));
    assertEquals(usd("0.0859"), run.total());
  }

  @Test
  void eachAgentsFormatReadsOnlyItsLogsInADirectoryAndListsTheOtherFiles() {
    assertEquals(List.of("codex/history.jsonl"), notRead("codex"));
    assertEquals(List.of("gemini-cli/tmp/search-service/.project_root", "gemini-cli/tmp/search-service/logs.json"),
        notRead("gemini-cli"));
    assertEquals(List.of("opencode/storage/part/msg_4f1e2d3c1001/prt_4f1e2d3c2001.json",
        "opencode/storage/session/global/ses_4f1e2d3c0ffeeAbCdEf.json"), notRead("opencode"));
  }

  @Test
  void autoTellsEachAgentsLogsApartInATreeThatMixesThemWithClaudeCode(@TempDir Path tree) throws IOException {
    for (String agent : List.of("claude-code", "codex/sessions", "gemini-cli", "opencode")) {
      copyTree(Path.of(sample(agent)), tree.resolve(agent));
    }
    SparkSession spark = SharedSpark.session();
    InputFiles.Listing listing = InputFiles.list(List.of(new LogInput(tree.toString(), LogFormats.AUTO,
            Optional.empty())), Optional.empty(), spark.sparkContext().hadoopConfiguration(),
        new LogFormats(spark.sparkContext().hadoopConfiguration()), spark);
    Map<String, Long> filesByFormat = listing.read().stream()
        .collect(Collectors.groupingBy(file -> file.logFormat().name(), TreeMap::new, Collectors.counting()));
    // 2 Claude Code sessions, 2 Codex rollouts, Gemini CLI's document, its lines and a sub-agent's lines, 7 OpenCode
    // message files and its database.
    assertEquals(Map.of("claude-code", 2L, "codex", 2L, "gemini-cli", 3L, "opencode", 8L), filesByFormat);
    for (InputFile file : listing.read()) {
      String agent = tree.relativize(Path.of(java.net.URI.create(file.path()))).getName(0).toString();
      assertEquals(agent, file.logFormat().name(), file.path());
    }
    // Gemini CLI's logs.json (prompts) and OpenCode's session and part documents are no logs; .project_root is hidden.
    assertEquals(4, listing.notRead().size(), listing.notRead().toString());
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path path : paths.toList()) {
        Path target = to.resolve(from.relativize(path).toString());
        if (Files.isDirectory(path)) {
          Files.createDirectories(target);
        } else {
          Files.copy(path, target);
        }
      }
    }
  }

  /** The files of the format's sample directory that are listed as not read, below sample-data/formats/. */
  private static List<String> notRead(String format) {
    SparkSession spark = SharedSpark.session();
    InputFiles.Listing listing = InputFiles.list(List.of(new LogInput(sample(format), format, Optional.empty())),
        Optional.empty(), spark.sparkContext().hadoopConfiguration(),
        new LogFormats(spark.sparkContext().hadoopConfiguration()), spark);
    return listing.notRead().stream().map(file -> file.path().replaceAll(".*/formats/", "")).sorted().toList();
  }
}
