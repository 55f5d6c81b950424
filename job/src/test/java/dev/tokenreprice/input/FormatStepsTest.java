package dev.tokenreprice.input;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tokenreprice.testing.FormatRun;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The named steps on hand-written records: what an expression alone could not do. */
class FormatStepsTest {
  @TempDir
  Path dir;

  @Test
  void aRequestLoggedInTwoSessionFilesIsOneRequestWithTheLargestCountsItsLinesShow() throws IOException {
    String line = "{\"type\":\"assistant\",\"sessionId\":\"s\",\"timestamp\":\"%s\",\"requestId\":\"req_1\","
        + "\"message\":{\"id\":\"msg_1\",\"model\":\"claude-haiku-4-5\",\"usage\":{\"input_tokens\":%d,"
        + "\"output_tokens\":%d,\"cache_read_input_tokens\":0,\"cache_creation_input_tokens\":0}}}";
    write("proj/a.jsonl", String.format(line, "2026-11-05T10:00:02Z", 100, 7));
    write("proj/b.jsonl", String.format(line, "2026-11-05T10:00:01Z", 90, 40) + "\n"
        + String.format(line, "2026-11-05T10:00:03Z", 100, 35).replace("req_1", "req_2"));
    FormatRun run = FormatRun.of("claude-code", dir.resolve("proj").toString());
    // req_1: input max(100, 90) x 1 + output max(7, 40) x 5 = 300; req_2 on its own: 100 + 175 = 275 (Haiku 4.5, 1 / 5)
    assertEquals(new BigDecimal("0.000300000000"), run.costs().get("req_1/msg_1"));
    assertEquals(new BigDecimal("0.000275000000"), run.costs().get("req_2/msg_1"));
    assertEquals(1, run.count("REPEATED_LINE"));
    // The earliest line stands for the request: it is the one in b.jsonl.
    assertEquals("PRICED", run.normalized().stream()
        .filter(row -> row.<String>getAs(CanonicalSchema.RAW_RECORD).contains("10:00:01"))
        .map(row -> row.<String>getAs("row_status")).findFirst().orElseThrow());
  }

  @Test
  void spanAttributesWinOverResourceAttributesAndCountsMayBeStringsOrNumbers() throws IOException {
    write("spans.jsonl", "{\"resourceSpans\":[{\"resource\":{\"attributes\":["
        + "{\"key\":\"service.name\",\"value\":{\"stringValue\":\"resource-name\"}},"
        + "{\"key\":\"gen_ai.request.model\",\"value\":{\"stringValue\":\"claude-opus-4-6\"}}]},"
        + "\"scopeSpans\":[{\"spans\":[{\"traceId\":\"t\",\"spanId\":\"s1\",\"startTimeUnixNano\":\"1762351200000000000\","
        + "\"attributes\":[{\"key\":\"gen_ai.provider.name\",\"value\":{\"stringValue\":\"anthropic\"}},"
        + "{\"key\":\"gen_ai.request.model\",\"value\":{\"stringValue\":\"claude-haiku-4-5\"}},"
        + "{\"key\":\"service.name\",\"value\":{\"stringValue\":\"span-name\"}},"
        + "{\"key\":\"gen_ai.usage.input_tokens\",\"value\":{\"intValue\":\"2000\"}},"
        + "{\"key\":\"gen_ai.usage.output_tokens\",\"value\":{\"intValue\":200}}]}]}]}]}\n"
        + "{\"resourceSpans\":[{\"resource\":{},\"scopeSpans\":[{\"spans\":[]}]}]}\n");
    FormatRun run = FormatRun.of("otel", dir.resolve("spans.jsonl").toString());
    // Haiku 4.5 (the span's model, not the resource's Opus): 2000 x 1 + 200 x 5
    assertEquals(new BigDecimal("0.003000000000"), run.costs().get("t:s1"));
    assertEquals("span-name", run.features().get("t:s1"));
    // 2025-11-05 12:00 UTC, cut from nanoseconds to the day
    assertEquals("2025-11-05", run.normalized().stream().filter(row -> "t:s1".equals(row.getAs(CanonicalSchema.REQUEST_ID)))
        .map(row -> row.getAs(CanonicalSchema.DAY).toString()).findFirst().orElseThrow());
    assertEquals(1, run.count("NOT_A_REQUEST"), "an export without spans is counted, not lost");
  }

  private void write(String name, String content) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }
}
