package dev.tokenreprice.output;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenreprice.input.InputFile;
import dev.tokenreprice.input.NotReadFile;
import dev.tokenreprice.input.SkipReason;
import dev.tokenreprice.reconcile.BillFile;
import dev.tokenreprice.reconcile.Reconciliation;
import dev.tokenreprice.reconcile.ReconciliationStatus;
import dev.tokenreprice.validate.QuarantineReason;
import dev.tokenreprice.validate.RowCounts;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.time.LocalDate;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Writes {@code manifest.json}: snake_case keys, money as decimal strings so no JSON reader rounds it. */
public final class ManifestWriter {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ManifestWriter() {}

  /** The file name of a manifest, in the output directory and under {@code runs/RUN_ID/}. */
  public static final String FILE_NAME = "manifest.json";

  public static void write(RunManifest manifest, Path path, Configuration hadoopConf) throws IOException {
    write(json(manifest), path, hadoopConf);
  }

  /** A manifest's text as it is written, for a copy kept elsewhere (the runs table) and written again from it. */
  public static String json(RunManifest manifest) {
    try {
      return JSON.writeValueAsString(toJson(manifest));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a manifest is plain JSON nodes, cannot fail to serialize: " + e.getMessage(), e);
    }
  }

  /** Writes a manifest's text, UTF-8, as {@link #json} gives it. */
  public static void write(String json, Path path, Configuration hadoopConf) throws IOException {
    FileSystem fs = path.getFileSystem(hadoopConf);
    try (OutputStream out = fs.create(path, true)) {
      out.write(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  static ObjectNode toJson(RunManifest m) {
    ObjectNode root = JSON.createObjectNode();
    root.put("job_version", m.jobVersion());
    root.put("run_id", m.runId());
    ArrayNode arguments = root.putArray("arguments");
    m.arguments().forEach(arguments::add);
    root.put("started_at", m.startedAt().toString());
    root.put("finished_at", m.finishedAt().toString());
    root.put("status", m.status());
    ObjectNode period = root.putObject("period");
    period.put("from", m.period().from().map(LocalDate::toString).orElse(null));
    period.put("to", m.period().to().map(LocalDate::toString).orElse(null));
    root.put("dedupe", m.dedupe());
    ArrayNode days = root.putArray("days");
    m.days().forEach(day -> days.add(day.toString()));
    ArrayNode notRead = root.putArray("files_not_read");
    for (NotReadFile file : m.filesNotRead()) {
      notRead.addObject().put("path", file.path()).put("reason", file.reason()).put("damaged", file.damaged());
    }
    ArrayNode files = root.putArray("input_files");
    for (InputFile file : m.inputFiles()) {
      ObjectNode node = files.addObject();
      node.put("path", file.path());
      node.put("format", file.format().flagValue());
      node.put("log_format", file.logFormat().name());
      // Spark names a record's file by its URI (a space is %20); the listing by its path.
      RowCounts.FileCounts fileCounts = m.counts().byFile().getOrDefault(file.path(),
          m.counts().byFile().get(new org.apache.hadoop.fs.Path(file.path()).toUri().toString()));
      if (fileCounts != null) {
        node.put("records", fileCounts.records());
        node.put("rows_priced", fileCounts.priced());
        node.put("rows_quarantined", fileCounts.quarantined());
        node.put("records_skipped", fileCounts.skipped());
        node.put("rows_outside_period", fileCounts.outsidePeriod());
      } else {
        // Spark reports an empty file under no path: it yielded nothing.
        node.put("records", 0);
      }
      node.put("size_bytes", file.sizeBytes());
      node.put("modified_at", Instant.ofEpochMilli(file.modifiedMillis()).toString());
      ArrayNode fileDays = node.putArray("days");
      m.daysSeen().byFile().getOrDefault(file.path(),
              m.daysSeen().byFile().getOrDefault(new org.apache.hadoop.fs.Path(file.path()).toUri().toString(),
                  java.util.Collections.emptySortedSet()))
          .forEach(day -> fileDays.add(day.toString()));
    }
    ObjectNode card = root.putObject("rate_card");
    card.put("path", m.rateCard().source());
    card.put("sha256", m.rateCard().sha256());
    card.put("currency", m.rateCard().currency());
    card.put("cost_scale", m.costScale());
    ObjectNode counts = root.putObject("counts");
    counts.put("rows_read", m.counts().rowsRead());
    counts.put("rows_priced", m.counts().rowsPriced());
    counts.put("rows_quarantined", m.counts().rowsQuarantined());
    ObjectNode quarantined = counts.putObject("quarantined");
    for (QuarantineReason reason : QuarantineReason.values()) {
      Long count = m.counts().quarantined().get(reason);
      if (count != null) {
        quarantined.put(reason.name(), count);
      }
    }
    counts.put("rows_outside_period", m.counts().rowsOutsidePeriod());
    counts.put("records_skipped", m.counts().recordsSkipped());
    ObjectNode skipped = counts.putObject("skipped");
    for (SkipReason reason : SkipReason.values()) {
      Long count = m.counts().skipped().get(reason);
      if (count != null) {
        skipped.put(reason.name(), count);
      }
    }
    root.put("total_cost", m.totalCost().toPlainString());
    ArrayNode scenarios = root.putArray("scenarios");
    m.scenarios().forEach(scenarios::add);
    ArrayNode warnings = root.putArray("warnings");
    m.warnings().forEach(warnings::add);
    ArrayNode recovered = root.putArray("recovered");
    m.recovered().forEach(recovered::add);
    ArrayNode outputs = root.putArray("outputs");
    m.outputs().forEach(outputs::add);
    m.reconciliation().ifPresent(reconciliation -> putReconciliation(root.putObject("reconciliation"), reconciliation));
    return root;
  }

  /** Which bill the run was compared with, and how the comparison came out. */
  private static void putReconciliation(ObjectNode node, Reconciliation reconciliation) {
    ArrayNode files = node.putArray("bill_files");
    for (BillFile file : reconciliation.bill().files()) {
      ObjectNode fileNode = files.addObject();
      fileNode.put("path", file.path());
      fileNode.put("form", file.form().label());
      fileNode.put("lines", file.linesKept());
      fileNode.put("lines_skipped", file.linesSkipped());
      ArrayNode providers = fileNode.putArray("providers");
      file.providers().forEach(providers::add);
      fileNode.put("contributes_nothing", file.contributesNothing());
    }
    node.put("tolerance_pct", reconciliation.tolerancePercent().toPlainString());
    node.put("job_cost", reconciliation.jobTotal().toPlainString());
    node.put("billed_cost", reconciliation.billedTotal().toPlainString());
    node.put("bill_costs_outside_period", reconciliation.billLinesOutsidePeriod());
    ObjectNode statuses = node.putObject("lines");
    for (ReconciliationStatus status : ReconciliationStatus.values()) {
      statuses.put(status.name(), reconciliation.lines().stream().filter(line -> line.status() == status).count());
    }
  }
}
