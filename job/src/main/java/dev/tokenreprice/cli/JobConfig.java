package dev.tokenreprice.cli;

import dev.tokenreprice.input.FileFormat;
import dev.tokenreprice.tables.TableName;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

/**
 * Everything a run was asked to do, with defaults applied; built only by {@link ArgumentParser}.
 *
 * @param period the days asked for, {@code --days-back} already turned into its days
 * @param table the Iceberg tables to publish into besides {@code --out} ({@code --table})
 * @param focus whether the run also writes its costs as a FOCUS dataset ({@code --focus})
 * @param asOf a run to render again from its tables instead of pricing ({@code --as-of}); no inputs then
 * @param checkCard public price tables to compare the card with instead of pricing ({@code --check-card}); no inputs then
 */
public record JobConfig(
    List<LogInput> inputs,
    Optional<FileFormat> format,
    String rateCard,
    String outDir,
    Period period,
    boolean strict,
    Optional<String> scenarios,
    List<String> arguments,
    List<String> reconcile,
    BigDecimal tolerancePercent,
    boolean report,
    boolean focus,
    boolean quiet,
    boolean dedupe,
    boolean sinceLastRun,
    Optional<Integer> daysBack,
    Optional<TableName> table,
    Optional<String> asOf,
    Optional<CardCheckRequest> checkCard,
    int waitForLockSeconds) {

  /** The input paths as given, for messages. */
  public List<String> inputPaths() {
    return inputs.stream().map(LogInput::path).toList();
  }

  /** Whether the run compares its costs with the provider's bill ({@code --reconcile}). */
  public boolean reconciles() {
    return !reconcile.isEmpty();
  }
}
