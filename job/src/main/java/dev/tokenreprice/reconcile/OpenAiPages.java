package dev.tokenreprice.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Pages of OpenAI's organization Costs API ({@code GET /v1/organization/costs}) or Usage API for completions
 * ({@code GET /v1/organization/usage/completions}) as saved to a file: {@code {"object": "page", "data": [...]}}, each
 * {@code data[]} a bucket of one day ({@code start_time}, {@code end_time} in epoch seconds, UTC) whose
 * {@code results[]} are {@code organization.costs.result} ({@code amount.value} in dollars, a JSON number or string
 * read as its exact digits, {@code amount.currency}, {@code line_item}, {@code project_id}) or
 * {@code organization.usage.completions.result} ({@code input_tokens} with the cached ones among them,
 * {@code input_cached_tokens}, {@code output_tokens}, {@code model}). Costs must be fetched with
 * {@code group_by=line_item}: a model's tokens are summed per day under the card's id of its model, whatever the
 * tier or context length; {@code web search tool calls} go on the line {@link BillKey#TOOL_FEES}; any other line item
 * (file search, storage, fine-tuning, images) is kept on a line named by its text, so it shows as a cost the run
 * does not price. Projects and API keys are summed. The provider is {@code openai}. Sources: openai-python's
 * {@code types/admin/organization/usage_costs_response.py}; OpenAI's usage API reference.
 */
final class OpenAiPages {
  static final String PROVIDER = "openai";
  static final String COSTS_RESULT = "organization.costs.result";
  static final String COMPLETIONS_RESULT = "organization.usage.completions.result";
  private static final String OBJECT = "object";
  private static final String RESULTS = "results";
  private static final String START_TIME = "start_time";
  private static final String END_TIME = "end_time";
  private static final String LINE_ITEM = "line_item";
  private static final long SECONDS_A_DAY = 86_400;

  private OpenAiPages() {}

  /** Whether the pages are OpenAI pages of costs or of completions usage (other usage pages are not read). */
  static boolean accepts(List<JsonNode> pages) {
    if (pages.isEmpty() || !pages.stream().allMatch(page -> page.path(OBJECT).asText().equals("page"))) {
      return false;
    }
    Optional<String> kind = resultObject(pages);
    return kind.isEmpty() || kind.get().equals(COSTS_RESULT) || kind.get().equals(COMPLETIONS_RESULT);
  }

  static FileRows read(String path, List<JsonNode> pages, BillModels models, String currency) {
    boolean usagePages = resultObject(pages).filter(COMPLETIONS_RESULT::equals).isPresent();
    List<BillRow> rows = new ArrayList<>();
    Map<BillKey, UsageTokens> usage = new TreeMap<>();
    List<LocalDate> buckets = new ArrayList<>();
    long usageResults = 0;
    for (int p = 0; p < pages.size(); p++) {
      String pageName = pages.size() > 1 ? "page " + (p + 1) : "page";
      JsonNode data = pages.get(p).path(CostApiPages.DATA);
      if (!data.isArray()) {
        throw BillFileException.at(path, pageName, "'" + CostApiPages.DATA + "' is missing or not an array (save the"
            + " JSON of GET /v1/organization/costs as it comes)");
      }
      for (int b = 0; b < data.size(); b++) {
        JsonNode bucket = data.get(b);
        String bucketName = pageName + ", " + CostApiPages.DATA + "[" + b + "]";
        LocalDate day = bucketDay(path, bucketName, bucket);
        buckets.add(day);
        JsonNode results = bucket.path(RESULTS);
        if (!results.isArray()) {
          throw BillFileException.at(path, bucketName, "'" + RESULTS + "' is missing or not an array");
        }
        for (int r = 0; r < results.size(); r++) {
          JsonNode result = results.get(r);
          String where = bucketName + " (" + day + "), " + RESULTS + "[" + r + "]";
          String object = result.path(OBJECT).asText();
          if (!object.equals(usagePages ? COMPLETIONS_RESULT : COSTS_RESULT)) {
            throw BillFileException.at(path, where, "'" + OBJECT + "' must be " + (usagePages ? COMPLETIONS_RESULT
                : COSTS_RESULT) + " as the file's first result, cannot be: " + object + " (save costs and usage"
                + " pages in files of their own)");
          }
          if (usagePages) {
            usage.merge(new BillKey(day, PROVIDER, model(path, where, result, models)), tokens(path, where, result),
                UsageTokens::plus);
            usageResults++;
          } else {
            rows.add(costLine(path, where, day, result, models, currency));
          }
        }
      }
    }
    return usagePages
        ? new FileRows(BillForm.OPENAI_USAGE, List.of(), 0, buckets, usage, usageResults)
        : new FileRows(BillForm.OPENAI_COSTS, rows, 0, buckets);
  }

  private static BillRow costLine(String path, String where, LocalDate day, JsonNode result, BillModels models,
      String currency) {
    JsonNode amount = result.path("amount");
    BillAmounts.checkCurrency(path, where, "amount.currency", CostApiPages.text(amount, "currency"), currency);
    BigDecimal dollars = CostApiPages.exactDecimal(path, where, amount, "value",
        "a decimal amount in dollars (0.06 or \"0.06\")");
    OpenAiLineItem item = CostApiPages.text(result, LINE_ITEM).map(OpenAiLineItem::parse).orElseThrow(() ->
        BillFileException.at(path, where, "'" + LINE_ITEM + "' is null: fetch the costs with group_by=line_item, so"
            + " each cost names its model and token kind"));
    if (item.isWebSearch()) {
      return new BillRow(BillKey.toolFees(day, PROVIDER), dollars);
    }
    // A line item without a token kind may still be a model's whole cost ("GPT-5.4"): it is when the card knows it.
    String model = item.model().or(() -> models.find(PROVIDER, item.text())).map(name -> models.canonical(PROVIDER, name))
        .orElse(item.text());
    return new BillRow(new BillKey(day, PROVIDER, model), dollars);
  }

  private static UsageTokens tokens(String path, String where, JsonNode result) {
    long input = UsageReportPages.count(path, where, result, "input_tokens");
    long cached = UsageReportPages.count(path, where, result, "input_cached_tokens");
    if (cached > input) {
      throw BillFileException.at(path, where, "'input_cached_tokens' must be at most 'input_tokens' (the cached"
          + " tokens are among the input tokens), cannot be: " + cached + " of " + input);
    }
    return new UsageTokens(input - cached, UsageReportPages.count(path, where, result, "output_tokens"), 0, 0,
        cached);
  }

  private static String model(String path, String where, JsonNode result, BillModels models) {
    String model = CostApiPages.text(result, CostApiPages.MODEL).orElseThrow(() -> BillFileException.at(path, where,
        "'model' is null: fetch the usage with group_by=model, so each result names its model"));
    return models.canonical(PROVIDER, model);
  }

  /** The UTC day of a bucket of one day, {@code start_time} to {@code end_time} in epoch seconds. */
  private static LocalDate bucketDay(String path, String where, JsonNode bucket) {
    JsonNode start = bucket.path(START_TIME);
    if (!start.canConvertToExactIntegral()) {
      throw BillFileException.at(path, where, "'" + START_TIME + "' must be epoch seconds, cannot be: " + start);
    }
    JsonNode end = bucket.path(END_TIME);
    if (!end.isMissingNode() && !end.isNull() && end.asLong() - start.asLong() != SECONDS_A_DAY) {
      throw BillFileException.at(path, where, "the bucket " + start.asLong() + " to " + end.asText()
          + " is not one day: fetch with bucket_width=1d");
    }
    return BillDays.utcDay(Instant.ofEpochSecond(start.asLong()));
  }

  private static Optional<String> resultObject(List<JsonNode> pages) {
    for (JsonNode page : pages) {
      for (JsonNode bucket : page.path(CostApiPages.DATA)) {
        for (JsonNode result : bucket.path(RESULTS)) {
          return Optional.of(result.path(OBJECT).asText());
        }
      }
    }
    return Optional.empty();
  }
}
