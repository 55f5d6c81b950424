package dev.tokenreprice.reconcile;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A line item of the OpenAI Costs API read as what it bills: model tokens ({@code gpt-5.4-mini, input},
 * {@code priority | gpt-5.6-sol, output, long context}: an optional tier before {@code |}, the model, the token kind,
 * an optional long-context mark) or anything else, kept under its own text ({@code web search tool calls},
 * {@code file search tool calls}, {@code Image models}, storage, fine-tuning).
 *
 * @param text the line item as the API wrote it, trimmed
 * @param model the model whose tokens it bills; empty for a line that bills no model's tokens
 * @param tokenKind {@code input}, {@code cached input} or {@code output} in lower case; empty with the model
 * @param tier the service tier before {@code |} ({@code priority}, {@code flex}); empty for the default tier
 */
record OpenAiLineItem(String text, Optional<String> model, Optional<String> tokenKind, Optional<String> tier,
    boolean longContext) {
  /** The line item of web searches: a per-use fee, compared with the run's {@code tool_cost}. */
  static final String WEB_SEARCH_CALLS = "web search tool calls";
  private static final Pattern MODEL_TOKENS = Pattern.compile(
      "^(?:(?<tier>[^|,]+?)\\s*\\|\\s*)?(?<model>[^|,]+?),\\s*(?<kind>input|cached input|output)"
          + "(?<long>,\\s*long context)?$", Pattern.CASE_INSENSITIVE);

  static OpenAiLineItem parse(String lineItem) {
    String text = lineItem.trim();
    Matcher tokens = MODEL_TOKENS.matcher(text);
    if (!tokens.matches()) {
      return new OpenAiLineItem(text, Optional.empty(), Optional.empty(), Optional.empty(), false);
    }
    return new OpenAiLineItem(text, Optional.of(tokens.group("model").trim()),
        Optional.of(tokens.group("kind").toLowerCase(Locale.ROOT)),
        Optional.ofNullable(tokens.group("tier")).map(tier -> tier.trim().toLowerCase(Locale.ROOT)),
        tokens.group("long") != null);
  }

  boolean isWebSearch() {
    return text.equalsIgnoreCase(WEB_SEARCH_CALLS);
  }
}
