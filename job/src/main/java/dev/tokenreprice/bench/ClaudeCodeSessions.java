package dev.tokenreprice.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A Claude Code projects tree in the shape real sessions have, for the benchmark against ccusage: project folders
 * named after a path ({@code -home-dev-src-app3}), session files that open with a summary line, turns of a user
 * prompt and requests whose lines repeat as they stream (same requestId and message.id, same usage), tool-result
 * user lines between requests, 1-hour and 5-minute cache writes, and a subagent file for one session in ten. Lines
 * carry message content, so a line is as long as a real one (about 600 bytes). The same seed writes the same tree.
 */
final class ClaudeCodeSessions {
  private static final String[] MODELS = {"claude-sonnet-4-5-20250929", "claude-sonnet-4-5-20250929",
      "claude-sonnet-4-5-20250929", "claude-opus-4-6", "claude-haiku-4-5-20251001"};
  private static final int PROJECTS = 6;
  private static final int LINES_PER_SESSION = 250;
  private static final String FILLER = "Looking at the build output, the failing step is the integration test of the "
      + "billing module: the fixture's dates moved to the new month and the expected totals did not. I will update "
      + "the fixture, run the suite again and check the rollup for the first and last day of the period.";

  private final SplittableRandom random;
  private final Instant start = Instant.parse("2026-11-01T00:00:00Z");
  private long counter;

  private ClaudeCodeSessions(long seed) {
    this.random = new SplittableRandom(seed);
  }

  /** Writes about {@code lines} lines under {@code projects}; returns how many it wrote. */
  static long write(Path projects, long lines, long seed) throws IOException {
    return new ClaudeCodeSessions(seed).writeTree(projects, lines);
  }

  private long writeTree(Path projects, long lines) throws IOException {
    long written = 0;
    int session = 0;
    while (written < lines) {
      int project = session % PROJECTS;
      Path dir = projects.resolve("-home-dev-src-app" + project);
      String sessionId = String.format(Locale.ROOT, "5e55%04x-0000-4000-8000-%012x", project, session);
      Instant sessionStart = start.plusSeconds(random.nextLong(30L * 86_400));
      Files.createDirectories(dir);
      long inSession = Math.min(LINES_PER_SESSION, lines - written);
      written += writeSession(dir.resolve(sessionId + ".jsonl"), sessionId, "/home/dev/src/app" + project, sessionStart,
          inSession, false);
      if (session % 10 == 3 && written < lines) {
        Path agent = dir.resolve(sessionId).resolve("subagents").resolve("agent-a" + session + ".jsonl");
        Files.createDirectories(agent.getParent());
        written += writeSession(agent, sessionId, "/home/dev/src/app" + project, sessionStart.plusSeconds(60),
            Math.min(40, lines - written), true);
      }
      session++;
    }
    return written;
  }

  private long writeSession(Path file, String sessionId, String cwd, Instant at, long lines, boolean sidechain)
      throws IOException {
    long written = 0;
    Instant time = at;
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      if (!sidechain) {
        out.write("{\"type\":\"summary\",\"summary\":\"Fix the billing fixtures\",\"leafUuid\":\"" + uuid() + "\"}\n");
        written++;
      }
      while (written < lines) {
        String promptId = uuid();
        time = time.plusSeconds(30 + random.nextInt(600));
        out.write(user(sessionId, cwd, time, promptId, sidechain, null));
        written++;
        int requests = 1 + random.nextInt(4);
        for (int r = 0; r < requests && written < lines; r++) {
          String requestId = "req_011C" + Long.toString(counter++, 36) + "bench";
          String messageId = "msg_01" + Long.toString(counter++, 36) + "bench";
          String model = MODELS[random.nextInt(MODELS.length)];
          boolean hourCache = random.nextInt(10) < 3;
          long input = 1 + random.nextInt(8);
          long write = random.nextInt(20_000);
          long read = 10_000 + random.nextInt(150_000);
          long output = 20 + random.nextInt(2_000);
          int streamed = 1 + random.nextInt(3);
          for (int line = 0; line < streamed && written < lines; line++) {
            time = time.plusMillis(200 + random.nextInt(3_000));
            out.write(assistant(sessionId, cwd, time, requestId, messageId, model, input, write, read, output, hourCache,
                sidechain));
            written++;
          }
          if (written < lines) {
            time = time.plusMillis(100 + random.nextInt(5_000));
            out.write(user(sessionId, cwd, time, promptId, sidechain, "toolu_01" + Long.toString(counter++, 36)));
            written++;
          }
        }
      }
    }
    return written;
  }

  private String user(String sessionId, String cwd, Instant time, String promptId, boolean sidechain, String toolUseId) {
    String content = toolUseId == null ? "\"Please fix the failing billing test and explain what changed.\""
        : "[{\"tool_use_id\":\"" + toolUseId + "\",\"type\":\"tool_result\",\"content\":\"" + FILLER + "\"}]";
    return "{\"parentUuid\":\"" + uuid() + "\",\"isSidechain\":" + sidechain + ",\"promptId\":\"" + promptId
        + "\",\"type\":\"user\",\"message\":{\"role\":\"user\",\"content\":" + content + "},\"uuid\":\"" + uuid()
        + "\",\"timestamp\":\"" + time + "\""
        + (toolUseId == null ? "" : ",\"toolUseResult\":{\"stdout\":\"ok\",\"stderr\":\"\",\"interrupted\":false}")
        + ",\"userType\":\"external\",\"cwd\":\"" + cwd + "\",\"sessionId\":\"" + sessionId
        + "\",\"version\":\"2.1.123\",\"gitBranch\":\"main\"}\n";
  }

  private String assistant(String sessionId, String cwd, Instant time, String requestId, String messageId, String model,
      long input, long write, long read, long output, boolean hourCache, boolean sidechain) {
    long write5m = hourCache ? 0 : write;
    long write1h = hourCache ? write : 0;
    return "{\"parentUuid\":\"" + uuid() + "\",\"isSidechain\":" + sidechain + ",\"message\":{\"model\":\"" + model
        + "\",\"id\":\"" + messageId + "\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[{\"type\":\"text\","
        + "\"text\":\"" + FILLER + "\"}],\"stop_reason\":\"tool_use\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":"
        + input + ",\"cache_creation_input_tokens\":" + write + ",\"cache_read_input_tokens\":" + read
        + ",\"output_tokens\":" + output + ",\"service_tier\":\"standard\",\"cache_creation\":{\"ephemeral_1h_input_tokens\":"
        + write1h + ",\"ephemeral_5m_input_tokens\":" + write5m + "}}},\"requestId\":\"" + requestId
        + "\",\"type\":\"assistant\",\"uuid\":\"" + uuid() + "\",\"timestamp\":\"" + time
        + "\",\"userType\":\"external\",\"cwd\":\"" + cwd + "\",\"sessionId\":\"" + sessionId
        + "\",\"version\":\"2.1.123\",\"gitBranch\":\"main\"}\n";
  }

  private String uuid() {
    return String.format(Locale.ROOT, "%08x-%04x-4%03x-8%03x-%012x", random.nextInt() & 0xffffffffL,
        random.nextInt(0x10000), random.nextInt(0x1000), random.nextInt(0x1000), random.nextLong(0x1000000000000L));
  }
}
