package dev.tokenreprice.report;

import dev.tokenreprice.cli.Period;
import dev.tokenreprice.output.RunManifest;
import java.util.Map;
import java.util.TreeMap;

/**
 * The facts of a run the report prints beside its figures: its period, the card it priced with and what it
 * read and quarantined. A run's own manifest gives them, and so does its row in the runs table when the run is
 * shown again ({@code --as-of}).
 *
 * @param quarantined rows quarantined per reason name
 */
public record ReportRun(Period period, String currency, String rateCardPath, String rateCardSha256, long rowsRead,
    Map<String, Long> quarantined) {

  public ReportRun {
    quarantined = Map.copyOf(quarantined);
  }

  public static ReportRun of(RunManifest manifest) {
    Map<String, Long> quarantined = new TreeMap<>();
    manifest.counts().quarantined().forEach((reason, count) -> quarantined.put(reason.name(), count));
    return new ReportRun(manifest.period(), manifest.rateCard().currency(), manifest.rateCard().source(),
        manifest.rateCard().sha256(), manifest.counts().rowsRead(), quarantined);
  }
}
