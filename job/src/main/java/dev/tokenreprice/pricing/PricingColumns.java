package dev.tokenreprice.pricing;

/** Columns the pricing stage adds: the price each row resolved to, and its costs in USD. */
public final class PricingColumns {
  /** The rate card's canonical id of the row's model (the log may have used an alias). */
  public static final String CARD_MODEL = "card_model";
  /** Whether the request's prompt is above its rate's long-prompt threshold. */
  public static final String LONG_PROMPT = "long_prompt";

  public static final String INPUT_COST = "input_cost";
  public static final String OUTPUT_COST = "output_cost";
  public static final String CACHE_WRITE_COST = "cache_write_cost";
  public static final String CACHE_READ_COST = "cache_read_cost";
  /** Per-use fees (web searches): uses times the rate's USD per use, part of the total. */
  public static final String TOOL_COST = "tool_cost";
  public static final String TOTAL_COST = "total_cost";

  private PricingColumns() {}
}
