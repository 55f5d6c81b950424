package dev.tokenreprice.report;


import dev.tokenreprice.cli.Period;
import dev.tokenreprice.input.CanonicalSchema;
import dev.tokenreprice.pricing.PricingColumns;
import dev.tokenreprice.ratecard.CardModel;
import dev.tokenreprice.ratecard.Rate;
import dev.tokenreprice.ratecard.RateCard;
import dev.tokenreprice.rollup.UsageAggregation;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.spark.sql.Row;

/**
 * Requests priced at a promotional rate after the last day a source confirms it
 * ({@code promotional_until}): the card keeps the price, as no later one is known, and the run says so
 * instead of keeping it silently (pricing-facts-2026-12.md, "Promotions need an end date").
 */
public final class PromotionsPastEnd implements Consumer<Row> {
  /** One model's requests past the end of its rate's promotion. */
  public record PastPromotion(String provider, String model, LocalDate promotionalUntil, long requests,
      BigDecimal cost) {
    /** The line the manifest and the summary carry. */
    public String warning(String currency) {
      return provider + "/" + model + ": " + requests + " request" + (requests == 1 ? "" : "s") + " after "
          + promotionalUntil + " priced at a promotional rate no source confirms after that day ("
          + cost.setScale(2, RoundingMode.HALF_UP).toPlainString() + " " + currency
          + "); check the provider's price and add a dated rate";
    }
  }

  /** One promotion's window: a model's requests after its end and before the model's next rate. */
  private record Window(LocalDate promotionalUntil, Optional<LocalDate> nextRate) {
    boolean holds(LocalDate day) {
      return day.isAfter(promotionalUntil) && nextRate.map(day::isBefore).orElse(true);
    }
  }

  private final Map<String, List<Window>> windows;
  private final Map<String, long[]> requests = new TreeMap<>();
  private final Map<String, BigDecimal> costs = new TreeMap<>();
  private final Map<String, LocalDate> ends = new TreeMap<>();

  private PromotionsPastEnd(Map<String, List<Window>> windows) {
    this.windows = windows;
  }

  /**
   * A tally of the rollup's rows, as they stream to the driver for rollup.csv, against the card's promotions that end
   * within {@code period}: it costs no Spark job.
   */
  public static PromotionsPastEnd tally(RateCard card, Period period) {
    Map<String, List<Window>> windows = new TreeMap<>();
    for (CardModel model : card.models()) {
      for (int i = 0; i < model.rates().size(); i++) {
        Rate rate = model.rates().get(i);
        if (rate.promotionalUntil().isEmpty()) {
          continue;
        }
        LocalDate until = rate.promotionalUntil().get();
        Optional<LocalDate> next = i + 1 < model.rates().size()
            ? Optional.of(model.rates().get(i + 1).effectiveFrom()) : Optional.empty();
        if (period.to().map(to -> to.isAfter(until)).orElse(true)) {
          windows.computeIfAbsent(model.provider() + "/" + model.model(), key -> new ArrayList<>())
              .add(new Window(until, next));
        }
      }
    }
    return new PromotionsPastEnd(windows);
  }

  /** The models of the rollup priced past a promotion's end within the period. */
  public static List<PastPromotion> in(List<Row> rollup, RateCard card, Period period) {
    PromotionsPastEnd tally = tally(card, period);
    rollup.forEach(tally);
    return tally.past();
  }

  @Override
  public void accept(Row rollupRow) {
    String model = rollupRow.<String>getAs(CanonicalSchema.PROVIDER) + "/" + rollupRow.<String>getAs(UsageAggregation.MODEL);
    List<Window> ofModel = windows.get(model);
    if (ofModel == null) {
      return;
    }
    LocalDate day = day(rollupRow.getAs(CanonicalSchema.DAY));
    for (Window window : ofModel) {
      if (window.holds(day)) {
        requests.computeIfAbsent(model, key -> new long[1])[0] += rollupRow.<Long>getAs(UsageAggregation.REQUESTS);
        costs.merge(model, rollupRow.getAs(PricingColumns.TOTAL_COST), BigDecimal::add);
        ends.put(model, window.promotionalUntil());
      }
    }
  }

  /** The models priced past a promotion's end so far, by provider and model. */
  public List<PastPromotion> past() {
    List<PastPromotion> found = new ArrayList<>();
    requests.forEach((model, count) -> {
      int slash = model.indexOf('/');
      found.add(new PastPromotion(model.substring(0, slash), model.substring(slash + 1), ends.get(model), count[0],
          costs.get(model)));
    });
    return List.copyOf(found);
  }

  /** Spark hands a DATE over as {@code java.sql.Date}, or as {@code LocalDate} with its Java 8 time API on. */
  private static LocalDate day(Object value) {
    return value instanceof LocalDate day ? day : ((Date) value).toLocalDate();
  }
}
