package dev.tokenreprice.reconcile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Pages of the Anthropic Cost API ({@code GET /v1/organizations/cost_report}) as saved to a file: one page
 * {@code {"data": [...], "has_more": ..., "next_page": ...}}, an array of pages, or pages one after another (one
 * per line, as a loop appending each response writes them). Each {@code data[]} entry is a
 * one-day bucket ({@code starting_at}, {@code ending_at}) whose {@code results[]} carry {@code amount} (a decimal
 * string in the lowest unit of {@code currency}: cents, so "123.45" is 1.2345 USD), {@code cost_type} and, when
 * fetched with {@code group_by[]=description}, {@code model}. Token costs are split by token type, service tier
 * and context window; they are summed per day and model. Web search results ({@code cost_type} web_search) name no
 * model: they are kept, summed per day on the line {@link BillKey#TOOL_FEES} that the run's {@code tool_cost} is
 * compared with. Code execution results are skipped: they are billed by container-hour, which no token log shows,
 * so the run does not price them. The provider is {@code anthropic}.
 */
final class CostApiPages {
  static final String DATA = "data";
  static final String STARTING_AT = "starting_at";
  static final String ENDING_AT = "ending_at";
  static final String RESULTS = "results";
  static final String AMOUNT = "amount";
  static final String CURRENCY = "currency";
  static final String COST_TYPE = "cost_type";
  static final String TOKENS = "tokens";
  static final String WEB_SEARCH = "web_search";
  static final String MODEL = "model";
  static final String PROVIDER = "anthropic";
  /** Amounts are in cents: two places to the left make dollars, exactly. */
  private static final int MINOR_UNIT_DIGITS = 2;
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private CostApiPages() {}

  static FileRows read(String path, String text, BillModels models, String currency) {
    List<JsonNode> pages = pages(path, text);
    if (UsageReportPages.accepts(pages)) {
      return UsageReportPages.read(path, pages, models);
    }
    if (AnalyticsPages.accepts(pages)) {
      return AnalyticsPages.read(path, pages, models, currency);
    }
    if (OpenAiPages.accepts(pages)) {
      return OpenAiPages.read(path, pages, models, currency);
    }
    if (!pages.isEmpty() && pages.stream().allMatch(OtherJsonBills::isExporterMetadata)) {
      return new FileRows(BillForm.EXPORTER_METADATA, List.of(), 0, List.of());
    }
    OtherJsonBills.recognize(pages).ifPresent(shape -> {
      throw BillFileException.of(path, "looks like " + shape + ", which --reconcile does not read: it reads Anthropic's"
          + " and OpenAI's cost and usage API pages (JSON), a FOCUS CSV or a day,model,cost CSV (export that bill as one of"
          + " these)");
    });
    List<BillRow> rows = new ArrayList<>();
    List<LocalDate> buckets = new ArrayList<>();
    long skipped = 0;
    for (int p = 0; p < pages.size(); p++) {
      JsonNode page = pages.get(p);
      String pageName = pages.size() > 1 ? "page " + (p + 1) : "page";
      if (!page.isObject() || !page.path(DATA).isArray()) {
        throw BillFileException.at(path, pageName, "'" + DATA + "' is missing or not an array: not a Cost API page"
            + " (save the JSON of GET /v1/organizations/cost_report as it comes)");
      }
      JsonNode data = page.get(DATA);
      for (int b = 0; b < data.size(); b++) {
        JsonNode bucket = data.get(b);
        String bucketName = pageName + ", " + DATA + "[" + b + "]";
        LocalDate day = bucketDay(path, bucketName, bucket);
        buckets.add(day);
        JsonNode results = bucket.path(RESULTS);
        if (!results.isArray()) {
          throw BillFileException.at(path, bucketName, "'" + RESULTS + "' is missing or not an array");
        }
        for (int r = 0; r < results.size(); r++) {
          JsonNode result = results.get(r);
          String where = bucketName + " (" + day + "), " + RESULTS + "[" + r + "]";
          Optional<String> costType = text(result, COST_TYPE);
          if (costType.isPresent() && costType.get().equals(WEB_SEARCH)) {
            BillAmounts.checkCurrency(path, where, CURRENCY, text(result, CURRENCY), currency);
            rows.add(new BillRow(BillKey.toolFees(day, PROVIDER), cents(path, where, result)
                .movePointLeft(MINOR_UNIT_DIGITS)));
            continue;
          }
          if (costType.isPresent() && !costType.get().equals(TOKENS)) {
            skipped++;
            continue;
          }
          String model = text(result, MODEL).orElseThrow(() -> BillFileException.at(path, where, "'" + MODEL
              + "' is missing: fetch the report with group_by[]=description, so each token cost names its model"));
          BillAmounts.checkCurrency(path, where, CURRENCY, text(result, CURRENCY), currency);
          BigDecimal dollars = cents(path, where, result).movePointLeft(MINOR_UNIT_DIGITS);
          rows.add(new BillRow(new BillKey(day, PROVIDER, models.canonical(PROVIDER, model)), dollars));
        }
      }
    }
    return new FileRows(BillForm.COST_API, rows, skipped, buckets);
  }

  /** The file's pages: one page, an array of pages, or pages one after another. */
  static List<JsonNode> pages(String path, String text) {
    List<JsonNode> pages = new ArrayList<>();
    try (MappingIterator<JsonNode> roots = JSON.readerFor(JsonNode.class).readValues(text)) {
      while (roots.hasNextValue()) {
        JsonNode root = roots.nextValue();
        if (root.isArray()) {
          root.forEach(pages::add);
        } else {
          pages.add(root);
        }
      }
    } catch (JsonProcessingException e) {
      // Jackson's message goes on with its source and marker positions: the line number says where.
      String problem = e.getOriginalMessage().split("\\R| \\(", 2)[0];
      throw BillFileException.of(path, "is not valid JSON (" + problem + " at line " + e.getLocation().getLineNr()
          + "): save the Cost API's response as it comes");
    } catch (IOException e) {
      throw BillFileException.of(path, "cannot be read: " + e.getMessage());
    }
    return pages;
  }

  /** A one-day bucket's UTC day, of a Cost API page or a usage report page (fetched with {@code bucket_width=1d}). */
  static LocalDate bucketDay(String path, String where, JsonNode bucket) {
    return bucketDay(path, where, bucket, "bucket_width=1d");
  }

  /** A one-day row's or bucket's UTC day; {@code oneDayParameter} is the query parameter that asks for days. */
  static LocalDate bucketDay(String path, String where, JsonNode bucket, String oneDayParameter) {
    Instant start = instant(path, where, bucket, STARTING_AT).orElseThrow(() -> BillFileException.at(path, where,
        "'" + STARTING_AT + "' is missing (every bucket of a Cost API page has one)"));
    Optional<Instant> end = instant(path, where, bucket, ENDING_AT);
    if (end.isPresent() && !Duration.between(start, end.get()).equals(Duration.ofDays(1))) {
      throw BillFileException.at(path, where, "the bucket " + start + " to " + end.get()
          + " is not one day: fetch the report with " + oneDayParameter);
    }
    return BillDays.utcDay(start);
  }

  private static Optional<Instant> instant(String path, String where, JsonNode node, String field) {
    return text(node, field).map(value -> BillDays.instant(value).orElseThrow(() -> BillFileException.at(path, where,
        "'" + field + "' must be an RFC 3339 time (2026-11-03T00:00:00Z), cannot be: " + value)));
  }

  private static BigDecimal cents(String path, String where, JsonNode result) {
    return cents(path, where, result, AMOUNT);
  }

  /** An amount in cents, a decimal string (or a JSON number, read exactly), as the field of this node. */
  static BigDecimal cents(String path, String where, JsonNode node, String field) {
    return exactDecimal(path, where, node, field, "a decimal string of cents (\"123.45\")");
  }

  /** An exact decimal written as a JSON string or number (read as its digits, never through a double). */
  static BigDecimal exactDecimal(String path, String where, JsonNode node, String field, String rule) {
    JsonNode amount = node.path(field);
    if (amount.isNumber()) {
      return amount.decimalValue();
    }
    if (amount.isContainerNode()) {
      throw BillFileException.at(path, where, "'" + field + "' must be " + rule + ", cannot be: " + amount);
    }
    String value = text(node, field).orElseThrow(() -> BillFileException.at(path, where,
        "'" + field + "' is missing (it must be " + rule + ")"));
    return BillAmounts.decimal(value).orElseThrow(() -> BillFileException.at(path, where,
        "'" + field + "' must be " + rule + ", cannot be: " + value));
  }

  /** A field's text; absent, null or blank is empty. Numbers and booleans read as their text. */
  static Optional<String> text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    if (value.isMissingNode() || value.isNull() || value.isContainerNode()) {
      return Optional.empty();
    }
    String text = value.asText().trim();
    return text.isEmpty() ? Optional.empty() : Optional.of(text);
  }
}
