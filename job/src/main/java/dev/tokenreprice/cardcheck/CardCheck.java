package dev.tokenreprice.cardcheck;

import dev.tokenreprice.cardcheck.CardCheckLine.Status;
import dev.tokenreprice.ratecard.CardModel;
import dev.tokenreprice.ratecard.Rate;
import dev.tokenreprice.ratecard.RateCard;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The card beside public price tables on one day: for every model both have, every price kind either states, the card's
 * price in force beside the table's, compared as decimals; and the models only one of them has. It prices no log.
 */
public final class CardCheck {
  private CardCheck() {}

  /** The lines of card-check.csv, table by table, in the order of the card's providers and the table's keys. */
  public static List<CardCheckLine> compare(RateCard card, List<PriceTable> tables, LocalDate day) {
    List<CardCheckLine> lines = new ArrayList<>();
    for (PriceTable table : tables) {
      lines.addAll(compare(card, table, day));
    }
    return List.copyOf(lines);
  }

  private static List<CardCheckLine> compare(RateCard card, PriceTable table, LocalDate day) {
    List<CardCheckLine> lines = new ArrayList<>();
    Set<CardModel> matched = new HashSet<>();
    Set<String> providers = new HashSet<>();
    for (TablePrice entry : table.entries()) {
      providers.add(entry.provider());
      Optional<CardModel> model = match(card, entry);
      Optional<Rate> rate = model.flatMap(m -> inForce(m, day));
      if (rate.isEmpty()) {
        lines.add(new CardCheckLine(table.location(), entry.provider(), model.map(CardModel::model).orElse(""),
            entry.key(), CardCheckLine.WHOLE_MODEL, Optional.empty(), Optional.empty(), Status.ONLY_IN_TABLE));
        continue;
      }
      matched.add(model.get());
      for (PriceKind kind : PriceKind.values()) {
        Optional<BigDecimal> onCard = kind.onCard(rate.get(), entry.geo());
        Optional<BigDecimal> inTable = Optional.ofNullable(entry.prices().get(kind));
        if (onCard.isEmpty() && inTable.isEmpty() || !expressible(table.shape(), kind)) {
          continue;
        }
        Status status = onCard.isEmpty() ? Status.ONLY_IN_TABLE : inTable.isEmpty() ? Status.ONLY_IN_CARD
            : onCard.get().compareTo(inTable.get()) == 0 ? Status.AGREE : Status.DIFFER;
        lines.add(new CardCheckLine(table.location(), entry.provider(), model.get().model(), entry.key(),
            kind.csvName(), onCard.map(CardCheck::plain), inTable.map(CardCheck::plain),
            status));
      }
    }
    for (CardModel model : card.models()) {
      if (providers.contains(model.provider()) && !matched.contains(model) && inForce(model, day).isPresent()
          && model.offeredOn(day)) {
        lines.add(new CardCheckLine(table.location(), model.provider(), model.model(), "", CardCheckLine.WHOLE_MODEL,
            Optional.empty(), Optional.empty(), Status.ONLY_IN_CARD));
      }
    }
    lines.sort(Comparator.comparing(CardCheckLine::provider).thenComparing(CardCheckLine::model)
        .thenComparing(CardCheckLine::tableKey));
    return lines;
  }

  /**
   * The kinds a table's shape can state: LiteLLM has them all; genai-prices and models.dev have one cache write (compared
   * with the 5-minute one) and no service tier or 1-hour write, so the card's are not reported as missing there.
   */
  private static boolean expressible(PriceTable.Shape shape, PriceKind kind) {
    return shape == PriceTable.Shape.LITELLM || !Set.of(PriceKind.CACHE_WRITE_1H, PriceKind.BATCH_INPUT,
        PriceKind.BATCH_OUTPUT, PriceKind.FLEX_INPUT, PriceKind.FLEX_OUTPUT, PriceKind.PRIORITY_INPUT,
        PriceKind.PRIORITY_OUTPUT).contains(kind);
  }

  /** The card model of the entry's provider with an id or alias the entry is for. */
  private static Optional<CardModel> match(RateCard card, TablePrice entry) {
    return card.models().stream()
        .filter(model -> model.provider().equals(entry.provider()))
        .filter(model -> entry.names().test(model.model()) || model.aliases().stream().anyMatch(entry.names()))
        .findFirst();
  }

  /** The shortest plain form of a value, so 2.00 and 2 print alike: trailing zeros off, no exponent. */
  private static BigDecimal plain(BigDecimal value) {
    BigDecimal stripped = value.stripTrailingZeros();
    return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
  }

  private static Optional<Rate> inForce(CardModel model, LocalDate day) {
    Rate found = null;
    for (Rate rate : model.rates()) {
      if (!rate.effectiveFrom().isAfter(day)) {
        found = rate;
      }
    }
    return Optional.ofNullable(found);
  }
}
