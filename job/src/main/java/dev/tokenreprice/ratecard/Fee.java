package dev.tokenreprice.ratecard;

import java.util.Arrays;
import java.util.Optional;

/**
 * A price per use that a rate can carry beside its token prices, with the canonical log column that counts
 * the uses. A later fee (file search, grounding) is one more constant here and one more count column.
 */
public enum Fee {
  /** A web search run by the provider: Anthropic's web search tool, OpenAI's built-in web search. */
  WEB_SEARCH("web_search", "web_search_requests", "web searches");

  private final String key;
  private final String countColumn;
  private final String uses;

  Fee(String key, String countColumn, String uses) {
    this.key = key;
    this.countColumn = countColumn;
    this.uses = uses;
  }

  /** The rate card's name of the fee under {@code fees:}, for example {@code web_search}. */
  public String key() {
    return key;
  }

  /** The canonical column counting a request's uses, for example {@code web_search_requests}. */
  public String countColumn() {
    return countColumn;
  }

  /** What the uses are called in a message, for example "web searches". */
  public String uses() {
    return uses;
  }

  public static Optional<Fee> byKey(String key) {
    return Arrays.stream(values()).filter(fee -> fee.key.equals(key)).findFirst();
  }
}
