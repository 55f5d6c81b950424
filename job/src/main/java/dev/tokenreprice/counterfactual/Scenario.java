package dev.tokenreprice.counterfactual;

import dev.tokenreprice.input.CanonicalSchema;
import dev.tokenreprice.ratecard.CardModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One what-if: the same traffic on another model, at the batch tier, without the prompt cache, or a
 * combination. A scenario of the default set that moves to another model applies only to the rows of
 * that model's provider that are on some other model ({@code sameProviderOnly}); a scenario asked for
 * by name applies to every row.
 */
public record Scenario(Optional<CardModel> target, boolean batch, boolean noCache, boolean sameProviderOnly) {
  public static final String BATCH = "batch";
  public static final String NO_CACHE = "no-cache";
  public static final String MODEL_PREFIX = "model:";

  public Scenario {
    if (target.isEmpty() && !batch && !noCache) {
      throw new IllegalArgumentException("a scenario must change something");
    }
  }

  /**
   * The name in the sheet, in a fixed order of its parts: {@code model:claude-haiku-4-5+batch+no-cache}, or
   * {@code model:bedrock/claude-haiku-4-5} for a model of a provider other than the default.
   */
  public String name() {
    List<String> parts = new ArrayList<>();
    // The Claude API's ids stand alone; another provider's are prefixed, since Bedrock reuses the same ids.
    target.ifPresent(model -> parts.add(MODEL_PREFIX
        + (model.provider().equals(CanonicalSchema.DEFAULT_PROVIDER) ? "" : model.provider() + "/") + model.model()));
    if (batch) {
      parts.add(BATCH);
    }
    if (noCache) {
      parts.add(NO_CACHE);
    }
    return String.join("+", parts);
  }
}
