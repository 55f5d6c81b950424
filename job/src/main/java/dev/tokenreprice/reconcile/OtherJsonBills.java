package dev.tokenreprice.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/**
 * JSON files found beside bills that are no provider API page the job reads: an exporter's metadata, skipped, and other
 * providers' or tools' cost JSON, named in the error so that a user knows what the job took the file for.
 */
final class OtherJsonBills {
  private OtherJsonBills() {}

  /** Azure Cost Management writes manifest.json beside an export's CSV parts: its run, its blobs, its config. */
  static boolean isExporterMetadata(JsonNode root) {
    return root.isObject() && (root.has("exportConfig")
        || (root.has("manifestVersion") && (root.has("blobs") || root.has("runInfo"))));
  }

  /** What a JSON bill of another shape looks like, if it is one the job knows by sight. */
  static Optional<String> recognize(List<JsonNode> pages) {
    for (JsonNode page : pages) {
      if (page.path("object").asText().equals("page") && page.path("data").isArray()) {
        for (JsonNode bucket : page.path("data")) {
          for (JsonNode result : bucket.path("results")) {
            // Costs and completions usage pages are read (OpenAiPages); the other usage endpoints count no model tokens.
            if (result.path("object").asText().startsWith("organization.")) {
              return Optional.of("an OpenAI API page of " + result.path("object").asText());
            }
          }
        }
        return Optional.of("an OpenAI API page (\"object\": \"page\")");
      }
      JsonNode first = page.path("data").isArray() && !page.path("data").isEmpty() ? page.path("data").get(0) : page;
      if (first.has("spend") && (first.has("model") || first.has("model_group") || first.has("startTime"))) {
        return Optional.of("a LiteLLM spend export (\"spend\" per request or model)");
      }
      JsonNode results = page.path("results");
      if (results.isArray() && !results.isEmpty() && results.get(0).path("metrics").has("spend")) {
        return Optional.of("a LiteLLM daily activity export (\"metrics\": {\"spend\": …})");
      }
    }
    return Optional.empty();
  }
}
