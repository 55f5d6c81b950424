package dev.tokenreprice.report;

import static org.apache.spark.sql.functions.col;

import dev.tokenreprice.counterfactual.Counterfactual;
import dev.tokenreprice.input.CanonicalSchema;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** The largest savings among the scenarios, read from the sheet's total rows (one per scenario). */
public final class Savings {
  public static final int TOP = 3;

  private Savings() {}

  public static List<Saving> largest(Dataset<Row> sheet) {
    return sheet.filter(col(CanonicalSchema.FEATURE).equalTo(Counterfactual.ALL).and(col(Counterfactual.DELTA).lt(0)))
        .orderBy(col(Counterfactual.DELTA), col(Counterfactual.SCENARIO))
        .select(col(Counterfactual.SCENARIO), col(Counterfactual.DELTA), col(Counterfactual.DELTA_PCT),
            col(Counterfactual.ROWS_UNPRICED))
        .limit(TOP)
        .collectAsList().stream()
        .map(row -> new Saving(row.getString(0), row.getDecimal(1), Optional.ofNullable(row.getDecimal(2)), row.getLong(3)))
        .toList();
  }
}
