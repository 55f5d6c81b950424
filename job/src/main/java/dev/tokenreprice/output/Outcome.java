package dev.tokenreprice.output;

import dev.tokenreprice.cli.ExitStatus;
import dev.tokenreprice.reconcile.Reconciliation;
import java.util.List;
import java.util.Optional;

/**
 * What a run comes to, decided once from the facts it found: what it publishes, what its manifest says, which exit
 * status the scheduler sees. {@code --strict} with quarantined rows publishes the quarantine and the manifest only
 * (exit 3); {@code --strict} with costs that do not match the bill publishes everything (exit 4); a quarantine in
 * strict mode is reported first.
 *
 * @param rollupsPublished whether the rollups, the counterfactual and the report are published
 * @param outputs what is published, in order, manifest last
 * @param stale outputs of an earlier run that this run removes
 */
public record Outcome(String manifestStatus, ExitStatus exitStatus, boolean rollupsPublished, boolean withCounterfactual,
    boolean withReport, Optional<Reconciliation> reconciliation, List<String> outputs, List<String> stale) {

  public Outcome {
    outputs = List.copyOf(outputs);
    stale = List.copyOf(stale);
  }

  /** Whether a run publishes its rollups: not with {@code --strict} and quarantined rows. */
  public static boolean publishesRollups(boolean strict, long rowsQuarantined) {
    return !(strict && rowsQuarantined > 0);
  }

  /**
   * @param strict {@code --strict}
   * @param rowsQuarantined the rows the run quarantined, and the damaged input files it could not read (under
   *     {@code --strict} each is a quarantine of its own)
   * @param withCounterfactual whether the run has scenarios to price
   * @param report whether the report is wanted ({@code --no-report} says not)
   * @param reconciliation the comparison with the bill, when the run has one
   * @param focus whether the costs are also written as a FOCUS dataset ({@code --focus})
   */
  public static Outcome decide(boolean strict, long rowsQuarantined, boolean withCounterfactual, boolean report,
      Optional<Reconciliation> reconciliation, boolean focus) {
    if (!publishesRollups(strict, rowsQuarantined)) {
      return new Outcome(RunManifest.STATUS_STRICT_QUARANTINE, ExitStatus.QUARANTINED_IN_STRICT_MODE, false,
          withCounterfactual, false, Optional.empty(), OutputFiles.strictFailure(), List.of());
    }
    boolean gaps = strict && reconciliation.map(compared -> !compared.allMatch()).orElse(false);
    return new Outcome(gaps ? RunManifest.STATUS_STRICT_RECONCILIATION : RunManifest.STATUS_PUBLISHED,
        gaps ? ExitStatus.RECONCILIATION_GAPS_IN_STRICT_MODE : ExitStatus.SUCCESS, true, withCounterfactual, report,
        reconciliation, OutputFiles.all(withCounterfactual, report, reconciliation.isPresent(), focus),
        OutputFiles.staleUnless(withCounterfactual, report, reconciliation.isPresent(), focus));
  }
}
