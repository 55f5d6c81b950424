package dev.tokenreprice.tables;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** The snapshot a run committed to each of its tables; a table it published nothing to has none. */
public record TableCommits(TableName name, Map<RunTable, Long> snapshotIds) {
  public TableCommits {
    snapshotIds = Map.copyOf(snapshotIds);
  }

  public Optional<Long> snapshotOf(RunTable table) {
    return Optional.ofNullable(snapshotIds.get(table));
  }

  /** For the end of the run's summary: {@code tables lake.finance.llm_costs_*: rollup 123, ..., runs 456}. */
  public String summaryLine() {
    Map<RunTable, Long> ordered = new EnumMap<>(RunTable.class);
    ordered.putAll(snapshotIds);
    return "tables " + name + "_*: " + ordered.entrySet().stream()
        .map(entry -> entry.getKey().suffix() + " snapshot " + entry.getValue())
        .collect(Collectors.joining(", "));
  }
}
