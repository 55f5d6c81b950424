package dev.tokenreprice.cardcheck;

import dev.tokenreprice.cli.CardCheckRequest;
import dev.tokenreprice.cli.ExitStatus;
import dev.tokenreprice.cli.JobConfig;
import dev.tokenreprice.cli.UsageException;
import dev.tokenreprice.output.CsvFile;
import dev.tokenreprice.ratecard.RateCard;
import dev.tokenreprice.ratecard.RateCardLoader;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * {@code --check-card}: reads the rate card and the public price tables given (local copies: nothing is fetched),
 * writes {@code card-check.csv} into {@code --out} and prints the counts of each status. Every table is read before
 * anything is written, so a file in no known shape leaves {@code --out} as it was.
 */
public final class CardCheckRun {
  public static final String CSV = "card-check.csv";
  public static final List<String> HEADER = List.of("table", "provider", "model", "table_key", "kind", "card_value",
      "table_value", "status");

  private CardCheckRun() {}

  public static ExitStatus run(JobConfig config, Configuration hadoopConf, PrintStream out) throws IOException {
    CardCheckRequest request = config.checkCard().orElseThrow(() -> new IllegalStateException("run is for --check-card"));
    RateCard card = RateCardLoader.load(config.rateCard(), hadoopConf);
    List<PriceTable> tables = new ArrayList<>();
    for (String location : request.tables()) {
      tables.add(PriceTables.read(location, read(location, hadoopConf), request.on()));
    }
    List<CardCheckLine> lines = CardCheck.compare(card, tables, request.on());
    Path outDir = new Path(config.outDir());
    outDir.getFileSystem(hadoopConf).mkdirs(outDir);
    Path csv = new Path(outDir, CSV);
    CsvFile.write(csv, hadoopConf, HEADER, lines.stream().map(CardCheckRun::row).iterator());
    out.print(summary(card, tables, lines, request, csv));
    return ExitStatus.SUCCESS;
  }

  /** The counts of each status, per table and in all, and where the lines are. */
  static String summary(RateCard card, List<PriceTable> tables, List<CardCheckLine> lines, CardCheckRequest request,
      Path csv) {
    StringBuilder text = new StringBuilder("card check of " + card.source() + " on " + request.on() + "\n");
    for (PriceTable table : tables) {
      text.append("  ").append(table.location()).append(" (").append(table.shape().label()).append(", ")
          .append(table.entries().size()).append(table.entries().size() == 1 ? " entry" : " entries")
          .append(" of the card's providers): ")
          .append(counts(lines.stream().filter(line -> line.table().equals(table.location())).toList())).append('\n');
    }
    text.append("all: ").append(counts(lines)).append('\n');
    text.append("output: ").append(csv).append('\n');
    return text.toString();
  }

  private static String counts(List<CardCheckLine> lines) {
    Map<CardCheckLine.Status, Integer> counts = new EnumMap<>(CardCheckLine.Status.class);
    for (CardCheckLine.Status status : CardCheckLine.Status.values()) {
      counts.put(status, 0);
    }
    lines.forEach(line -> counts.merge(line.status(), 1, Integer::sum));
    List<String> parts = new ArrayList<>();
    counts.forEach((status, count) -> parts.add(count + " " + status));
    return String.join(", ", parts);
  }

  private static Row row(CardCheckLine line) {
    return RowFactory.create(line.table(), line.provider(), line.model(), line.tableKey(), line.kind(),
        line.cardValue().map(BigDecimal::toPlainString).orElse(null),
        line.tableValue().map(BigDecimal::toPlainString).orElse(null), line.status().name());
  }

  private static byte[] read(String location, Configuration hadoopConf) {
    Path path = new Path(location);
    try {
      FileSystem fs = path.getFileSystem(hadoopConf);
      if (!fs.exists(path) || !fs.getFileStatus(path).isFile()) {
        throw new UsageException("--check-card " + location + " is not a file (give a downloaded copy of the price"
            + " table: the job fetches nothing)");
      }
      try (InputStream in = fs.open(path)) {
        return in.readAllBytes();
      }
    } catch (IOException e) {
      throw new UsageException("--check-card " + location + " cannot be read: " + e.getMessage(), e);
    }
  }
}
