package dev.tokenreprice.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Who holds the lock of an output directory, as its {@code _lock} file says: the run, where it runs, and until when
 * its lease holds unless it renews it. {@code owner} is unique to one taking of the lock (a run id could repeat).
 */
public record LockHolder(String runId, String owner, String host, long pid, Instant startedAt, Instant renewedAt,
    Duration lease, long renewals) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** When the lease runs out unless the holder renews it first. */
  public Instant expiresAt() {
    return renewedAt.plus(lease);
  }

  public boolean expiredAt(Instant now) {
    return now.isAfter(expiresAt());
  }

  LockHolder renewed(Instant now) {
    return new LockHolder(runId, owner, host, pid, startedAt, now, lease, renewals + 1);
  }

  /** Names the holder in one phrase, for a message: run, host, process, start and lease. */
  public String describe() {
    return "run " + runId + " (host " + host + ", process " + pid + ", started " + startedAt + ", lease until "
        + expiresAt() + ")";
  }

  byte[] toJson() {
    ObjectNode node = JSON.createObjectNode();
    node.put("run_id", runId);
    node.put("owner", owner);
    node.put("host", host);
    node.put("pid", pid);
    node.put("started_at", startedAt.toString());
    node.put("renewed_at", renewedAt.toString());
    node.put("lease_ms", lease.toMillis());
    node.put("renewals", renewals);
    return node.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The holder a lock file names, or empty while its writer has created it but not yet written it. */
  static Optional<LockHolder> fromJson(byte[] content) {
    try {
      JsonNode node = JSON.readTree(content);
      if (node == null || !node.hasNonNull("owner") || !node.hasNonNull("renewed_at")) {
        return Optional.empty();
      }
      return Optional.of(new LockHolder(node.path("run_id").asText(), node.get("owner").asText(),
          node.path("host").asText(), node.path("pid").asLong(), Instant.parse(node.path("started_at").asText()),
          Instant.parse(node.get("renewed_at").asText()), Duration.ofMillis(node.path("lease_ms").asLong()),
          node.path("renewals").asLong()));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
