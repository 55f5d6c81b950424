package dev.tokenreprice.testing;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.when;

import dev.tokenreprice.cli.LogInput;
import dev.tokenreprice.cli.Period;
import dev.tokenreprice.input.CanonicalSchema;
import dev.tokenreprice.input.InputFile;
import dev.tokenreprice.input.InputFiles;
import dev.tokenreprice.input.LogFormats;
import dev.tokenreprice.input.LogReader;
import dev.tokenreprice.pricing.Pricer;
import dev.tokenreprice.pricing.PricingColumns;
import dev.tokenreprice.ratecard.RateCardLoader;
import dev.tokenreprice.ratecard.RateCardTables;
import dev.tokenreprice.validate.RowStatus;
import dev.tokenreprice.validate.Validation;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Reads files of one log format through the job's reader, validation and pricing, with the shipped rate
 * card: what each record became and what each priced request cost.
 *
 * @param statuses every record's status (its row status, or its skip reason), keyed by request id
 * @param costs the total cost of each priced request, keyed by request id ("id#1" for its first advisor's usage)
 * @param features the feature of each priced request
 * @param details the quarantine detail of each quarantined record, keyed by request id
 */
public record FormatRun(List<String> statusList, Map<String, String> statuses, Map<String, BigDecimal> costs,
    Map<String, String> features, Map<String, String> models, Map<String, String> details, List<Row> normalized) {

  public static final String REPO = System.getProperty("repo.root");
  private static RateCardTables shippedCard;

  public static FormatRun of(String logFormat, String... inputs) {
    SparkSession spark = SharedSpark.session();
    List<LogInput> logInputs = java.util.Arrays.stream(inputs)
        .map(input -> new LogInput(input, logFormat, Optional.empty())).toList();
    List<InputFile> files = InputFiles.resolve(logInputs, Optional.empty(), spark.sparkContext().hadoopConfiguration(),
        new LogFormats(spark.sparkContext().hadoopConfiguration()), spark);
    // Records without a request id are known by their text.
    Dataset<Row> classified = Validation.classify(LogReader.read(spark, files), card(), Period.ALL_DAYS)
        .withColumn(CanonicalSchema.REQUEST_ID, org.apache.spark.sql.functions.coalesce(
            col(CanonicalSchema.REQUEST_ID), col(CanonicalSchema.RAW_RECORD)))
        .withColumn(Validation.DETAIL, when(Validation.isQuarantined(), Validation.detail()))
        .cache();
    List<Row> rows = classified.orderBy(col(CanonicalSchema.SOURCE_FILE), col(CanonicalSchema.RAW_RECORD)).collectAsList();
    List<String> statusList = rows.stream().map(row -> row.<String>getAs(RowStatus.COLUMN)).toList();
    Map<String, String> statuses = new TreeMap<>();
    Map<String, String> details = new TreeMap<>();
    for (Row row : rows) {
      String id = row.getAs(CanonicalSchema.REQUEST_ID);
      if (id != null) {
        statuses.merge(id, row.getAs(RowStatus.COLUMN), (a, b) -> a + "," + b);
        String detail = row.getAs(Validation.DETAIL);
        if (detail != null) {
          details.put(id, detail);
        }
      }
    }
    // A usage part beyond the request's own (an advisor's) is known as "id#part".
    List<Row> priced = Pricer.price(Validation.accepted(classified), card())
        .withColumn(CanonicalSchema.REQUEST_ID, org.apache.spark.sql.functions.when(
            col(CanonicalSchema.USAGE_PART).equalTo(CanonicalSchema.OWN_USAGE), col(CanonicalSchema.REQUEST_ID))
            .otherwise(org.apache.spark.sql.functions.concat_ws("#", col(CanonicalSchema.REQUEST_ID),
                col(CanonicalSchema.USAGE_PART).cast("string"))))
        .collectAsList();
    classified.unpersist();
    return new FormatRun(statusList, statuses,
        priced.stream().collect(Collectors.toMap(row -> row.getAs(CanonicalSchema.REQUEST_ID),
            row -> row.<BigDecimal>getAs(PricingColumns.TOTAL_COST), (a, b) -> a, TreeMap::new)),
        priced.stream().collect(Collectors.toMap(row -> row.getAs(CanonicalSchema.REQUEST_ID),
            row -> row.<String>getAs(CanonicalSchema.FEATURE), (a, b) -> a, TreeMap::new)),
        priced.stream().collect(Collectors.toMap(row -> row.getAs(CanonicalSchema.REQUEST_ID),
            row -> row.<String>getAs(CanonicalSchema.PROVIDER) + "/" + row.<String>getAs(PricingColumns.CARD_MODEL),
            (a, b) -> a, TreeMap::new)),
        details, rows);
  }

  /** A file or directory of {@code sample-data/formats/}. */
  public static String sample(String path) {
    return REPO + "/sample-data/formats/" + path;
  }

  /** How many records got a status (a quarantine reason, a skip reason, PRICED). */
  public long count(String status) {
    return statusList.stream().filter(status::equals).count();
  }

  public BigDecimal total() {
    return costs.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
  }

  private static synchronized RateCardTables card() {
    if (shippedCard == null) {
      SparkSession spark = SharedSpark.session();
      shippedCard = RateCardTables.of(RateCardLoader.load(REPO + "/conf/rate-card.yaml",
          spark.sparkContext().hadoopConfiguration()), spark);
    }
    return shippedCard;
  }
}
