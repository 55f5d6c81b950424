package dev.tokenreprice.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Pages of Anthropic's Usage and Cost Analytics API (beta since 2026-10-29), as saved to a file like the Cost API's
 * pages ({@code data}, {@code has_more}, {@code next_page}, {@code data_refreshed_at}). Each {@code data[]} entry is
 * a row of one time bucket ({@code starting_at}, {@code ending_at}: fetched with {@code time_bucket_width=1d}) and
 * one combination of the dimensions asked for in {@code group_by[]}, given in its {@code group} (every dimension is
 * there, null unless grouped by). Rows of {@code GET /v1/organizations/analytics/cost} carry {@code cost.amount} (billed,
 * after discounts, before credits) and {@code cost.list_amount} (at list price), both decimal strings in cents, and
 * {@code group.cost_type} (the file's kept rows at list price and as billed are kept beside it, what the discounts
 * are worth); token costs name their {@code group.model} (fetched with {@code group_by[]=model}),
 * {@code web_search} costs go on the line {@link BillKey#TOOL_FEES} as in the Cost API, code execution is left out
 * and counted. Rows of {@code GET /v1/organizations/analytics/usage} carry {@code usage} with the Usage API's token
 * counts. Rows of one day and model (other workspaces, API keys, service tiers, users) are summed: all are kept.
 * The provider is {@code anthropic}. Source: platform.claude.com/docs/en/api/beta/organization/analytics/cost.
 */
final class AnalyticsPages {
  static final String GROUP = "group";
  static final String COST = "cost";
  static final String USAGE = "usage";
  static final String LIST_AMOUNT = "list_amount";
  private static final String ONE_DAY = "time_bucket_width=1d";
  private static final int MINOR_UNIT_DIGITS = 2;

  private AnalyticsPages() {}

  /** Whether the pages are analytics pages: their rows carry a {@code group} of dimensions and a cost or a usage. */
  static boolean accepts(List<JsonNode> pages) {
    for (JsonNode page : pages) {
      for (JsonNode row : page.path(CostApiPages.DATA)) {
        return row.path(GROUP).isObject() && (row.path(COST).isObject() || row.path(USAGE).isObject());
      }
    }
    return false;
  }

  static FileRows read(String path, List<JsonNode> pages, BillModels models, String currency) {
    boolean usagePages = firstRow(pages).path(USAGE).isObject();
    List<BillRow> rows = new ArrayList<>();
    Map<BillKey, UsageTokens> usage = new TreeMap<>();
    // A row is one bucket and one combination of dimensions: found twice, the file holds a page twice.
    Set<String> rowsSeen = new HashSet<>();
    long skipped = 0;
    long usageRows = 0;
    ListPrices listPrices = ListPrices.NONE;
    for (int p = 0; p < pages.size(); p++) {
      String pageName = pages.size() > 1 ? "page " + (p + 1) : "page";
      JsonNode data = pages.get(p).path(CostApiPages.DATA);
      if (!data.isArray()) {
        throw BillFileException.at(path, pageName, "'" + CostApiPages.DATA + "' is missing or not an array: not an"
            + " analytics page (save the JSON of GET /v1/organizations/analytics/cost as it comes)");
      }
      for (int r = 0; r < data.size(); r++) {
        JsonNode row = data.get(r);
        String rowName = pageName + ", " + CostApiPages.DATA + "[" + r + "]";
        LocalDate day = CostApiPages.bucketDay(path, rowName, row, ONE_DAY);
        String where = rowName + " (" + day + ")";
        JsonNode group = row.path(GROUP);
        if (!rowsSeen.add(CostApiPages.text(row, CostApiPages.STARTING_AT).orElse("") + group)) {
          throw BillFileException.at(path, where, "the same bucket and group is in an earlier row: its costs would"
              + " count twice (keep each page once)");
        }
        if (usagePages) {
          JsonNode counts = row.path(USAGE);
          if (!counts.isObject()) {
            throw BillFileException.at(path, where, "'" + USAGE + "' is missing: a file holds either cost or usage"
                + " pages of the analytics API, not both");
          }
          usage.merge(new BillKey(day, CostApiPages.PROVIDER, modelOf(path, where, group, models)),
              UsageReportPages.tokens(path, where, counts), UsageTokens::plus);
          usageRows++;
          continue;
        }
        JsonNode cost = row.path(COST);
        if (!cost.isObject()) {
          throw BillFileException.at(path, where, "'" + COST + "' is missing: a file holds either cost or usage pages"
              + " of the analytics API, not both");
        }
        BillAmounts.checkCurrency(path, where, COST + "." + CostApiPages.CURRENCY,
            CostApiPages.text(cost, CostApiPages.CURRENCY), currency);
        BigDecimal billed = CostApiPages.cents(path, where, cost, CostApiPages.AMOUNT).movePointLeft(MINOR_UNIT_DIGITS);
        BigDecimal list = CostApiPages.cents(path, where, cost, LIST_AMOUNT).movePointLeft(MINOR_UNIT_DIGITS);
        Optional<String> costType = CostApiPages.text(group, CostApiPages.COST_TYPE);
        if (costType.isPresent() && !costType.get().equals(CostApiPages.TOKENS)
            && !costType.get().equals(CostApiPages.WEB_SEARCH)) {
          skipped++;
          continue;
        }
        rows.add(new BillRow(costType.filter(CostApiPages.WEB_SEARCH::equals).isPresent()
            ? BillKey.toolFees(day, CostApiPages.PROVIDER)
            : new BillKey(day, CostApiPages.PROVIDER, modelOf(path, where, group, models)), billed));
        listPrices = listPrices.plus(list, billed);
      }
    }
    return usagePages
        ? new FileRows(BillForm.ANALYTICS_USAGE, List.of(), 0, List.of(), usage, usageRows)
        : new FileRows(BillForm.ANALYTICS_COST, rows, skipped, List.of(), Map.of(), 0, Optional.of(listPrices));
  }

  private static String modelOf(String path, String where, JsonNode group, BillModels models) {
    String model = CostApiPages.text(group, CostApiPages.MODEL).orElseThrow(() -> BillFileException.at(path, where,
        "'" + GROUP + "." + CostApiPages.MODEL + "' is null: fetch the report with group_by[]=model (and"
            + " group_by[]=cost_type), so each token cost names its model"));
    return models.canonical(CostApiPages.PROVIDER, model);
  }

  private static JsonNode firstRow(List<JsonNode> pages) {
    for (JsonNode page : pages) {
      for (JsonNode row : page.path(CostApiPages.DATA)) {
        return row;
      }
    }
    return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
  }
}
