package dev.tokenreprice.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Pages of the Anthropic Usage API ({@code GET /v1/organizations/usage_report/messages}, daily buckets grouped by
 * model) as saved to a file: each {@code data[]} bucket ({@code starting_at}, {@code ending_at}) carries
 * {@code results[]} of {@code uncached_input_tokens}, {@code cache_creation.ephemeral_5m_input_tokens} and
 * {@code ephemeral_1h_input_tokens}, {@code cache_read_input_tokens}, {@code output_tokens} and {@code model}.
 * No cost: beside a cost bill it tells a wrong price (tokens match, cost does not) from missing or doubled
 * traffic (tokens differ). Results of one day and model (other workspaces, keys, tiers) are summed.
 */
final class UsageReportPages {
  static final String UNCACHED_INPUT = "uncached_input_tokens";
  private static final String PROVIDER = CostApiPages.PROVIDER;

  private UsageReportPages() {}

  /** Whether the pages are Usage API pages: their results count tokens, not cents. */
  static boolean accepts(List<JsonNode> pages) {
    for (JsonNode page : pages) {
      for (JsonNode bucket : page.path(CostApiPages.DATA)) {
        for (JsonNode result : bucket.path(CostApiPages.RESULTS)) {
          return result.has(UNCACHED_INPUT);
        }
      }
    }
    return false;
  }

  static FileRows read(String path, List<JsonNode> pages, BillModels models) {
    Map<BillKey, UsageTokens> usage = new TreeMap<>();
    long results = 0;
    for (int p = 0; p < pages.size(); p++) {
      String pageName = pages.size() > 1 ? "page " + (p + 1) : "page";
      JsonNode data = pages.get(p).path(CostApiPages.DATA);
      for (int b = 0; b < data.size(); b++) {
        JsonNode bucket = data.get(b);
        String bucketName = pageName + ", " + CostApiPages.DATA + "[" + b + "]";
        LocalDate day = CostApiPages.bucketDay(path, bucketName, bucket);
        JsonNode list = bucket.path(CostApiPages.RESULTS);
        for (int r = 0; r < list.size(); r++) {
          JsonNode result = list.get(r);
          String where = bucketName + " (" + day + "), " + CostApiPages.RESULTS + "[" + r + "]";
          String model = Optional.ofNullable(result.get(CostApiPages.MODEL)).filter(JsonNode::isTextual)
              .map(JsonNode::asText).orElseThrow(() -> BillFileException.at(path, where, "'model' is missing: fetch"
                  + " the usage report with group_by[]=model, so each result names its model"));
          UsageTokens tokens = tokens(path, where, result);
          usage.merge(new BillKey(day, PROVIDER, models.canonical(PROVIDER, model)), tokens, UsageTokens::plus);
          results++;
        }
      }
    }
    return new FileRows(BillForm.USAGE_REPORT, List.of(), 0, List.of(), usage, results);
  }

  /** The token counts of one result (the Usage API) or one row's {@code usage} (the analytics API). */
  static UsageTokens tokens(String path, String where, JsonNode counts) {
    return new UsageTokens(count(path, where, counts, UNCACHED_INPUT),
        count(path, where, counts, "output_tokens"),
        count(path, where, counts.path("cache_creation"), "ephemeral_5m_input_tokens"),
        count(path, where, counts.path("cache_creation"), "ephemeral_1h_input_tokens"),
        count(path, where, counts, "cache_read_input_tokens"));
  }

  static long count(String path, String where, JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return 0;
    }
    if (!value.canConvertToExactIntegral() || value.asLong() < 0) {
      throw BillFileException.at(path, where, "'" + field + "' must be a whole number of tokens, cannot be: " + value);
    }
    return value.asLong();
  }
}
