package dev.tokenreprice.report;

import java.math.BigDecimal;

/**
 * One row of the report's tables, as {@code totals.csv} has it: a day, a feature or a model (or the grand
 * total), its requests, tokens by kind, web searches and exact costs by kind (per-use fees in {@code toolCost}).
 */
public record CostRow(String name, long requests, long inputTokens, long outputTokens, long cacheWriteTokens,
    long cacheReadTokens, long webSearchRequests, BigDecimal inputCost, BigDecimal outputCost,
    BigDecimal cacheWriteCost, BigDecimal cacheReadCost, BigDecimal toolCost, BigDecimal totalCost) {

  public long tokens() {
    return inputTokens + outputTokens + cacheWriteTokens + cacheReadTokens;
  }
}
