package dev.tokenreprice.tables;

import java.util.Map;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The columns of each of the run's tables, taken from the plans of the run's own Datasets (no data is read for
 * them): the rollup, the counterfactual at day grain, the quarantine with the run id, and the runs table.
 */
public record TableSchemas(StructType rollup, StructType counterfactual, StructType quarantine, StructType runs) {

  /** The schemas of a run whose costs have {@code costScale} decimal places. */
  public static TableSchemas of(StructType rollup, StructType counterfactualByDay, StructType quarantined, int costScale) {
    return new TableSchemas(rollup, counterfactualByDay,
        quarantined.add(TableLayout.Columns.RUN_ID, DataTypes.StringType), RunsTable.schema(costScale));
  }

  StructType of(RunTable table) {
    return Map.of(RunTable.ROLLUP, rollup, RunTable.COUNTERFACTUAL, counterfactual, RunTable.QUARANTINE, quarantine,
        RunTable.RUNS, runs).get(table);
  }
}
