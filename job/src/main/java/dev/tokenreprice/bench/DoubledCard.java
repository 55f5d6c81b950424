package dev.tokenreprice.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A rate card with every model of another twice: each model again under a new id ({@code ID-copy}, its aliases
 * likewise), at the same prices. The benchmark prices the same logs with it to show that a run's cost does not grow
 * with the card: the copies add rows to the card's tables and scenarios to the sheet, not width to any plan.
 */
public final class DoubledCard {
  static final String SUFFIX = "-copy";

  private DoubledCard() {}

  /** Writes the doubled card of {@code source} to {@code target}. */
  public static void write(Path source, Path target) throws IOException {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    ObjectNode card = (ObjectNode) yaml.readTree(Files.readString(source));
    ArrayNode models = (ArrayNode) card.get("models");
    int count = models.size();
    for (int i = 0; i < count; i++) {
      ObjectNode copy = models.get(i).deepCopy();
      copy.put("model", copy.get("model").asText() + SUFFIX);
      JsonNode aliases = copy.get("aliases");
      if (aliases instanceof ArrayNode list) {
        for (int a = 0; a < list.size(); a++) {
          list.set(a, TextNode.valueOf(list.get(a).asText() + SUFFIX));
        }
      }
      models.add(copy);
    }
    Files.writeString(target, yaml.writeValueAsString(card));
  }
}
