package dev.tokenreprice.bench;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;

import dev.tokenreprice.input.CanonicalSchema;
import dev.tokenreprice.ratecard.CardModel;
import dev.tokenreprice.ratecard.Rate;
import dev.tokenreprice.ratecard.RateCard;
import dev.tokenreprice.validate.Deduplication;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructType;

/**
 * The alternatives the job is measured against, on the same files and the same card's list prices: the
 * query a Spark user would write by hand (one broadcast join, one group-by in decimals), the floor for
 * Spark (read the columns and sum them), the grouping of every request id that exact deduplication needs,
 * and the same plain query in DuckDB. None of them validates, quarantines, applies tiers, options or long
 * prompts, or writes more than its result.
 */
final class PlainQueries {
  /** Prices per million tokens, as the card writes them. */
  private static final DecimalType PRICE = DataTypes.createDecimalType(12, 6);
  private static final List<String> TOKENS = CanonicalSchema.TOKEN_COLUMNS;

  private PlainQueries() {}

  /** Each model name (id and aliases) with the prices of its latest rate. */
  static List<Object[]> listPrices(RateCard card) {
    List<Object[]> rows = new ArrayList<>();
    for (CardModel model : card.models()) {
      Rate latest = model.rates().stream().max(Comparator.comparing(Rate::effectiveFrom)).orElseThrow();
      List<String> names = new ArrayList<>(model.aliases());
      names.add(model.model());
      for (String name : names) {
        rows.add(new Object[] {model.provider(), name, latest.prices().input(), latest.prices().output(),
            latest.prices().cacheWrite5m(), latest.prices().cacheWrite1h(), latest.prices().cacheRead()});
      }
    }
    return rows;
  }

  static Dataset<Row> logs(SparkSession spark, String path, String format) {
    if (format.equals("parquet")) {
      return spark.read().parquet(path);
    }
    return parsedJson(spark, path)
        .withColumn(CanonicalSchema.TIMESTAMP, col(CanonicalSchema.TIMESTAMP).try_cast(DataTypes.TimestampType));
  }

  private static Dataset<Row> parsedJson(SparkSession spark, String path) {
    StructType schema = CanonicalSchema.jsonSchema("_corrupt_record");
    return spark.read().text(path).select(from_json(col("value"), schema, Map.of()).as("r")).select("r.*");
  }

  /** The hand-written query: join the list prices, sum the costs per day, feature and model. */
  static void handWritten(SparkSession spark, String path, String format, RateCard card) {
    handWritten(spark, path, format, card, false);
  }

  /** The same, counting each request_id once first ({@code dropDuplicates}), when {@code dedupe}. */
  static void handWritten(SparkSession spark, String path, String format, RateCard card, boolean dedupe) {
    List<Row> prices = listPrices(card).stream().map(RowFactory::create).toList();
    StructType priceSchema = new StructType().add("p_provider", DataTypes.StringType).add("p_model", DataTypes.StringType)
        .add("p_input", PRICE).add("p_output", PRICE).add("p_cw5", PRICE).add("p_cw1", PRICE).add("p_cr", PRICE);
    Dataset<Row> priceTable = spark.createDataFrame(prices, priceSchema);
    Dataset<Row> read = logs(spark, path, format);
    Dataset<Row> logs = dedupe ? read.dropDuplicates(CanonicalSchema.REQUEST_ID) : read;
    Column cost = tokens(CanonicalSchema.INPUT_TOKENS).multiply(col("p_input"))
        .plus(tokens(CanonicalSchema.OUTPUT_TOKENS).multiply(col("p_output")))
        .plus(tokens(CanonicalSchema.CACHE_WRITE_5M_TOKENS).multiply(col("p_cw5")))
        .plus(tokens(CanonicalSchema.CACHE_WRITE_1H_TOKENS).multiply(col("p_cw1")))
        .plus(tokens(CanonicalSchema.CACHE_READ_TOKENS).multiply(col("p_cr")));
    logs.join(broadcast(priceTable), col(CanonicalSchema.MODEL).equalTo(col("p_model"))
            .and(col(CanonicalSchema.PROVIDER).equalTo(col("p_provider"))))
        .groupBy(to_date(col(CanonicalSchema.TIMESTAMP)).as("day"), col(CanonicalSchema.FEATURE), col(CanonicalSchema.MODEL))
        .agg(sum(cost).divide(lit(1_000_000)).as("cost"))
        .write().format("noop").mode("overwrite").save();
  }

  /**
   * The hand-written query on a Claude Code projects tree: every session line read with an explicit schema of the
   * usage fields, the assistant lines with usage kept, one request per ({@code message.id}, {@code requestId}), joined
   * with the list prices and summed by day and model. No turns, no subagent rules, no compaction, no quarantine.
   */
  static void claudeCode(SparkSession spark, String path, RateCard card) {
    StructType usage = new StructType().add("input_tokens", DataTypes.LongType).add("output_tokens", DataTypes.LongType)
        .add("cache_creation_input_tokens", DataTypes.LongType).add("cache_read_input_tokens", DataTypes.LongType)
        .add("cache_creation", new StructType().add("ephemeral_5m_input_tokens", DataTypes.LongType)
            .add("ephemeral_1h_input_tokens", DataTypes.LongType));
    StructType line = new StructType().add("type", DataTypes.StringType).add("timestamp", DataTypes.StringType)
        .add("requestId", DataTypes.StringType)
        .add("message", new StructType().add("id", DataTypes.StringType).add("model", DataTypes.StringType)
            .add("usage", usage));
    Dataset<Row> requests = spark.read().option("recursiveFileLookup", "true").text(path)
        .select(from_json(col("value"), line, Map.of()).as("l")).select("l.*")
        .filter(col("message.usage").isNotNull())
        .withColumn("message_id", col("message.id"))
        .dropDuplicates("message_id", "requestId");
    Column write5m = coalesce(col("message.usage.cache_creation.ephemeral_5m_input_tokens"),
        col("message.usage.cache_creation_input_tokens"));
    List<Row> prices = listPrices(card).stream().map(RowFactory::create).toList();
    StructType priceSchema = new StructType().add("p_provider", DataTypes.StringType).add("p_model", DataTypes.StringType)
        .add("p_input", PRICE).add("p_output", PRICE).add("p_cw5", PRICE).add("p_cw1", PRICE).add("p_cr", PRICE);
    Column cost = col("message.usage.input_tokens").cast(DataTypes.createDecimalType(18, 0)).multiply(col("p_input"))
        .plus(col("message.usage.output_tokens").cast(DataTypes.createDecimalType(18, 0)).multiply(col("p_output")))
        .plus(coalesce(write5m, lit(0L)).cast(DataTypes.createDecimalType(18, 0)).multiply(col("p_cw5")))
        .plus(coalesce(col("message.usage.cache_creation.ephemeral_1h_input_tokens"), lit(0L))
            .cast(DataTypes.createDecimalType(18, 0)).multiply(col("p_cw1")))
        .plus(coalesce(col("message.usage.cache_read_input_tokens"), lit(0L)).cast(DataTypes.createDecimalType(18, 0))
            .multiply(col("p_cr")));
    requests.join(broadcast(spark.createDataFrame(prices, priceSchema).filter(col("p_provider").equalTo("anthropic"))),
            col("message.model").equalTo(col("p_model")))
        .groupBy(to_date(col("timestamp").try_cast(DataTypes.TimestampType)).as("day"), col("message.model"))
        .agg(sum(cost).divide(lit(1_000_000)).as("cost"))
        .write().format("noop").mode("overwrite").save();
  }

  /**
   * The floor: read every column the job reads (each canonical field: the texts, the time and the five
   * counts) and sum or count them, with no pricing. JSONL is parsed with the job's explicit schema.
   */
  static void floor(SparkSession spark, String path, String format) {
    List<Column> aggregates = new ArrayList<>();
    for (String text : CanonicalSchema.TEXT_COLUMNS) {
      aggregates.add(count(col(text)));
    }
    aggregates.add(count(col(CanonicalSchema.TIMESTAMP)));
    TOKENS.forEach(name -> aggregates.add(sum(col(name))));
    Dataset<Row> logs = format.equals("parquet") ? spark.read().parquet(path) : parsedJson(spark, path);
    logs.agg(aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(Column[]::new)).collectAsList();
  }

  /**
   * What exact deduplication by {@code request_id} cannot do without: the job's narrow pass, grouping every
   * request id by its 64-bit hash to find the ids read more than once, run alone on the logs' own column.
   * Nothing else is read, normalized or priced.
   *
   * @return how many id hashes were read more than once
   */
  static long repeatedIds(SparkSession spark, String path, String format) {
    Dataset<Row> logs = format.equals("parquet") ? spark.read().parquet(path) : parsedJson(spark, path);
    // The job hashes the id with its usage part; canonical logs have only the request's own part.
    return Deduplication.repeatedIdHashes(logs.select(col(CanonicalSchema.REQUEST_ID),
        lit(CanonicalSchema.OWN_USAGE).as(CanonicalSchema.USAGE_PART),
        lit(null).cast(DataTypes.StringType).as(CanonicalSchema.MALFORMED_DETAIL),
        lit(null).cast(DataTypes.StringType).as(CanonicalSchema.SKIPPED_AS))).count();
  }

  /** The hand-written query in DuckDB, on the same files, with as many threads as Spark has cores. */
  static void duckDb(String path, String format, RateCard card, int threads) throws Exception {
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
        Statement sql = connection.createStatement()) {
      sql.execute("SET threads = " + threads);
      StringBuilder values = new StringBuilder();
      for (Object[] price : listPrices(card)) {
        values.append(values.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, "('%s', '%s', %s, %s, %s, %s, %s)",
            price[0], price[1], plain(price[2]), plain(price[3]), plain(price[4]), plain(price[5]), plain(price[6])));
      }
      sql.execute("CREATE TABLE prices (p_provider VARCHAR, p_model VARCHAR, p_input DECIMAL(12,6), p_output DECIMAL(12,6),"
          + " p_cw5 DECIMAL(12,6), p_cw1 DECIMAL(12,6), p_cr DECIMAL(12,6)); INSERT INTO prices VALUES " + values);
      String source = format.equals("parquet")
          ? "read_parquet('" + path + "/*.parquet')"
          : "read_json('" + path + "/*.jsonl', format = 'newline_delimited', ignore_errors = true, columns = {"
              + "timestamp: 'VARCHAR', provider: 'VARCHAR', model: 'VARCHAR', feature: 'VARCHAR',"
              + " input_tokens: 'BIGINT', output_tokens: 'BIGINT', cache_write_5m_tokens: 'BIGINT',"
              + " cache_write_1h_tokens: 'BIGINT', cache_read_tokens: 'BIGINT'})";
      String day = format.equals("parquet") ? "CAST(l.timestamp AS DATE)" : "CAST(TRY_CAST(l.timestamp AS TIMESTAMPTZ) AS DATE)";
      try (ResultSet result = sql.executeQuery("SELECT " + day + " AS day, l.feature, l.model, SUM("
          + "CAST(l.input_tokens AS DECIMAL(18,0)) * p_input + CAST(l.output_tokens AS DECIMAL(18,0)) * p_output"
          + " + CAST(l.cache_write_5m_tokens AS DECIMAL(18,0)) * p_cw5 + CAST(l.cache_write_1h_tokens AS DECIMAL(18,0)) * p_cw1"
          + " + CAST(l.cache_read_tokens AS DECIMAL(18,0)) * p_cr) / 1000000 AS cost"
          + " FROM " + source + " l JOIN prices ON l.model = p_model AND l.provider = p_provider GROUP BY ALL")) {
        while (result.next()) {
          result.getBigDecimal("cost");
        }
      }
    }
  }

  private static Column tokens(String name) {
    return col(name).cast(DataTypes.createDecimalType(18, 0));
  }

  private static String plain(Object price) {
    return ((BigDecimal) price).toPlainString();
  }
}
