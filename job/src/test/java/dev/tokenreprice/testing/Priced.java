package dev.tokenreprice.testing;

import static org.apache.spark.sql.functions.col;

import dev.tokenreprice.cli.Period;
import dev.tokenreprice.input.CanonicalSchema;
import dev.tokenreprice.pricing.Pricer;
import dev.tokenreprice.ratecard.RateCardTables;
import dev.tokenreprice.validate.RowStatus;
import dev.tokenreprice.validate.Validation;
import java.math.BigDecimal;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Runs validation and per-row pricing on inline JSON lines, for tests of one row's price. */
public final class Priced {
  private Priced() {}

  /** Per-row costs of the accepted rows, ordered by request id. */
  public static List<Row> rows(RateCardTables card, String... jsonLines) {
    Dataset<Row> classified = Validation.classify(Logs.fromJsonLines(jsonLines), card, Period.ALL_DAYS);
    return Pricer.price(Validation.accepted(classified), card)
        .orderBy(col(CanonicalSchema.REQUEST_ID)).collectAsList();
  }

  /** The status each line got, ordered by request id. */
  public static List<String> statuses(RateCardTables card, Period period, String... jsonLines) {
    return Validation.classify(Logs.fromJsonLines(jsonLines), card, period)
        .orderBy(col(CanonicalSchema.REQUEST_ID)).select(col(RowStatus.COLUMN)).collectAsList().stream()
        .map(row -> row.getString(0)).toList();
  }

  public static BigDecimal cost(Row row, String column) {
    return row.getDecimal(row.fieldIndex(column));
  }
}
