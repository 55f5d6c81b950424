package dev.tokenreprice.cardcheck;

import java.util.List;

/** A public price table as read: where it came from, which maintainers' shape it has, and its entries. */
public record PriceTable(String location, Shape shape, List<TablePrice> entries) {
  /** The tables the check reads, each as its maintainers publish it. */
  public enum Shape {
    LITELLM("LiteLLM model_prices_and_context_window.json"),
    GENAI_PRICES("pydantic genai-prices"),
    MODELS_DEV("models.dev");

    private final String label;

    Shape(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  public PriceTable {
    entries = List.copyOf(entries);
  }
}
