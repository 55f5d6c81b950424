package dev.tokenreprice.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Canonical JSONL logs of claude-sonnet-4-5 requests in a test's directory, priced by {@link TestCards#SMALL_CARD}. */
public final class RequestLogs {
  // input_tokens x 3/M + 100 output x 15/M: 1000 input tokens cost 0.0045
  private static final String REQUEST = "{\"request_id\":\"%s\",\"timestamp\":\"%sT10:00:00Z\",\"feature\":\"chat\","
      + "\"model\":\"%s\",\"input_tokens\":%d,\"output_tokens\":100}";

  private RequestLogs() {}

  /** A request on {@code day} of {@code inputTokens} input and 100 output tokens. */
  public static String request(String id, String day, int inputTokens) {
    return REQUEST.formatted(id, day, "claude-sonnet-4-5", inputTokens);
  }

  /** A request of a model the card does not know: quarantined as UNKNOWN_MODEL. */
  public static String unknownModel(String id, String day) {
    return REQUEST.formatted(id, day, "no-such-model", 1000);
  }

  /** Writes (or replaces) one log file. */
  public static Path write(Path dir, String name, String... lines) {
    try {
      Files.createDirectories(dir);
      return Files.write(dir.resolve(name), List.of(lines), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
