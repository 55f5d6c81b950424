package dev.tokenreprice.tables;

import static org.apache.spark.sql.functions.lit;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The rows a run commits to its data tables; a table it publishes nothing to has none (a strict run that
 * quarantined rows publishes no rollup and no counterfactual, only its quarantine and its row in the runs table).
 */
public record TableRows(Optional<Dataset<Row>> rollup, Optional<Dataset<Row>> counterfactualByDay,
    Dataset<Row> quarantined) {

  /**
   * What a run publishes: with the rollups, its counterfactual at day grain, or none of it without scenarios
   * ({@code --scenarios none} empties the days it covers, as it removes their folders in {@code --out}).
   */
  public static TableRows of(boolean rollupsPublished, boolean withCounterfactual, Dataset<Row> rollup,
      Dataset<Row> counterfactualByDay, Dataset<Row> quarantined) {
    return new TableRows(rollupsPublished ? Optional.of(rollup) : Optional.empty(),
        rollupsPublished ? Optional.of(withCounterfactual ? counterfactualByDay : counterfactualByDay.limit(0))
            : Optional.empty(),
        quarantined);
  }

  /** The rows of each data table in the order they are committed, the quarantine's with the run id. */
  Map<RunTable, Dataset<Row>> inCommitOrder(String runId) {
    Map<RunTable, Dataset<Row>> tables = new LinkedHashMap<>();
    rollup.ifPresent(rows -> tables.put(RunTable.ROLLUP, rows));
    counterfactualByDay.ifPresent(rows -> tables.put(RunTable.COUNTERFACTUAL, rows));
    tables.put(RunTable.QUARANTINE, quarantined.withColumn(TableLayout.Columns.RUN_ID, lit(runId)));
    return tables;
  }
}
