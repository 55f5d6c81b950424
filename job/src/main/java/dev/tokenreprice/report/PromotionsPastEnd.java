package dev.tokenreprice.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import dev.tokenreprice.cli.Period;
import dev.tokenreprice.input.CanonicalSchema;
import dev.tokenreprice.pricing.PricingColumns;
import dev.tokenreprice.ratecard.CardModel;
import dev.tokenreprice.ratecard.Rate;
import dev.tokenreprice.ratecard.RateCard;
import dev.tokenreprice.rollup.Totals;
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
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Requests priced at a promotional rate after the last day a source confirms it
 * ({@code promotional_until}): the card keeps the price, as no later one is known, and the run says so
 * instead of keeping it silently (pricing-facts-2026-12.md, "Promotions need an end date").
 */
public final class PromotionsPastEnd {
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

  private PromotionsPastEnd() {}

  /**
   * The models of the rollup priced past a promotion's end within the period; runs one Spark job over the
   * rollup only when the period reaches past the end of some promotion in the card.
   */
  public static List<PastPromotion> in(Dataset<Row> rollup, RateCard card, Period period) {
    return in(rollup, card, period, model -> true, Optional.empty());
  }

  /**
   * The same, asking Spark only when the run's collected totals hold a model with a promotion and a day after its
   * end: most runs price no such model, or no such day, and need no job for it.
   */
  public static List<PastPromotion> in(Dataset<Row> rollup, List<Row> totals, RateCard card, Period period) {
    java.util.Set<String> models = new java.util.HashSet<>();
    Optional<LocalDate> lastDay = Optional.empty();
    for (Row row : totals) {
      String level = row.getAs(Totals.LEVEL);
      if (Totals.LEVEL_MODEL.equals(level)) {
        models.add(row.<String>getAs(CanonicalSchema.PROVIDER) + "/" + row.<String>getAs(UsageAggregation.MODEL));
      } else if (Totals.LEVEL_DAY.equals(level)) {
        LocalDate day = day(row.getAs(CanonicalSchema.DAY));
        lastDay = lastDay.filter(last -> !last.isBefore(day)).or(() -> Optional.of(day));
      }
    }
    return lastDay.isEmpty() ? List.of() : in(rollup, card, period, models::contains, lastDay);
  }

  private static List<PastPromotion> in(Dataset<Row> rollup, RateCard card, Period period,
      java.util.function.Predicate<String> priced, Optional<LocalDate> lastDay) {
    Map<String, LocalDate> ends = new TreeMap<>();
    Column past = lit(false);
    for (CardModel model : card.models()) {
      for (int i = 0; i < model.rates().size(); i++) {
        Rate rate = model.rates().get(i);
        if (rate.promotionalUntil().isEmpty()) {
          continue;
        }
        LocalDate until = rate.promotionalUntil().get();
        Optional<LocalDate> next = i + 1 < model.rates().size()
            ? Optional.of(model.rates().get(i + 1).effectiveFrom()) : Optional.empty();
        boolean reachable = period.to().map(to -> to.isAfter(until)).orElse(true)
            && lastDay.map(last -> last.isAfter(until)).orElse(true)
            && next.map(day -> day.isAfter(until.plusDays(1))).orElse(true)
            && priced.test(model.provider() + "/" + model.model());
        if (!reachable) {
          continue;
        }
        Column day = col(CanonicalSchema.DAY);
        Column window = col(CanonicalSchema.PROVIDER).equalTo(model.provider())
            .and(col(UsageAggregation.MODEL).equalTo(model.model()))
            .and(day.gt(lit(Date.valueOf(until))));
        if (next.isPresent()) {
          window = window.and(day.lt(lit(Date.valueOf(next.get()))));
        }
        past = past.or(window);
        ends.put(model.provider() + "/" + model.model(), until);
      }
    }
    if (ends.isEmpty()) {
      return List.of();
    }
    List<PastPromotion> found = new ArrayList<>();
    for (Row row : rollup.filter(past)
        .groupBy(col(CanonicalSchema.PROVIDER), col(UsageAggregation.MODEL))
        .agg(sum(col(UsageAggregation.REQUESTS)), sum(col(PricingColumns.TOTAL_COST)))
        .orderBy(col(CanonicalSchema.PROVIDER), col(UsageAggregation.MODEL))
        .collectAsList()) {
      String provider = row.getString(0);
      String model = row.getString(1);
      found.add(new PastPromotion(provider, model, ends.get(provider + "/" + model), row.getLong(2),
          row.getDecimal(3)));
    }
    return List.copyOf(found);
  }

  /** Spark hands a DATE over as {@code java.sql.Date}, or as {@code LocalDate} with its Java 8 time API on. */
  private static LocalDate day(Object value) {
    return value instanceof LocalDate day ? day : ((Date) value).toLocalDate();
  }
}
