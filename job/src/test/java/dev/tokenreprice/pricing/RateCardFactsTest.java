package dev.tokenreprice.pricing;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenreprice.input.CanonicalSchema;
import dev.tokenreprice.ratecard.PricingOption;
import dev.tokenreprice.ratecard.RateCardLoader;
import dev.tokenreprice.ratecard.RateCardTables;
import dev.tokenreprice.testing.FormatRun;
import dev.tokenreprice.testing.SharedSpark;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * Holds the shipped rate card to the price sheets: every line of {@code pricing-facts/*.csv} is one price the
 * facts give (or derive by a rule they state) for a model as logged, a UTC day and option values, and is
 * priced through the job's own lookup and pricer on a million tokens of its kind, or for a per-use fee
 * ({@code web_search}) on one use, whose price the line gives in USD per use. All lines are priced in one
 * Spark job, and every mismatch is reported at once with its line.
 */
class RateCardFactsTest {
  private static final String HEADER = "provider,model,day,options,kind,usd_per_mtok,source";
  /** A price cell saying the facts give no price: the lookup must find none. */
  private static final String NO_PRICE = "none";
  private static final long MILLION = 1_000_000L;
  private static final String LINE = "facts_line";
  /** The option name in the tables; the fact's flag travels beside the lookup's own column under another name. */
  private static final String LONG_OPTION = "long_prompt";
  private static final String FACT_LONG_PROMPT = "fact_long_prompt";
  private static final Set<String> KINDS = Set.of(CanonicalSchema.INPUT_TOKENS, CanonicalSchema.OUTPUT_TOKENS,
      CanonicalSchema.CACHE_WRITE_5M_TOKENS, CanonicalSchema.CACHE_WRITE_1H_TOKENS, CanonicalSchema.CACHE_READ_TOKENS);
  /** Per-use fee kinds by name, each to its count column. */
  private static final Map<String, String> FEE_KINDS = java.util.Arrays.stream(dev.tokenreprice.ratecard.Fee.values())
      .collect(java.util.stream.Collectors.toMap(dev.tokenreprice.ratecard.Fee::key,
          dev.tokenreprice.ratecard.Fee::countColumn));

  private record Fact(String where, String provider, String model, LocalDate day, Map<String, String> options,
      boolean longPrompt, String tokenColumn, String price) {}

  @Test
  void everyPriceOfTheFactsSheetsIsWhatTheShippedCardCharges() throws IOException, URISyntaxException {
    List<Fact> facts = readFacts();
    assertTrue(facts.size() > 500, "the facts tables hold " + facts.size() + " lines");
    Map<String, BigDecimal> costs = priceAll(facts);

    List<String> mismatches = new ArrayList<>();
    for (Fact fact : facts) {
      BigDecimal cost = costs.get(fact.where());
      if (fact.price().equals(NO_PRICE)) {
        if (cost != null) {
          mismatches.add(fact.where() + ": expected no price, the card charges " + cost.toPlainString());
        }
      } else if (cost == null) {
        mismatches.add(fact.where() + ": expected " + fact.price() + ", the card has no price");
      } else if (cost.compareTo(new BigDecimal(fact.price())) != 0) {
        mismatches.add(fact.where() + ": expected " + fact.price() + ", the card charges "
            + cost.stripTrailingZeros().toPlainString());
      }
    }
    assertTrue(mismatches.isEmpty(), mismatches.size() + " of " + facts.size() + " facts differ from the card:\n"
        + String.join("\n", mismatches));
  }

  /** The total cost of each fact's million tokens, keyed by its line; no entry where the card has no price. */
  private static Map<String, BigDecimal> priceAll(List<Fact> facts) {
    SparkSession spark = SharedSpark.session();
    RateCardTables card = RateCardTables.of(RateCardLoader.load(FormatRun.REPO + "/conf/rate-card.yaml",
        spark.sparkContext().hadoopConfiguration()), spark);
    List<Row> rows = new ArrayList<>();
    for (Fact fact : facts) {
      List<Object> values = new ArrayList<>(List.of(fact.where(), fact.provider(), fact.model(),
          Date.valueOf(fact.day())));
      for (PricingOption option : PricingOption.values()) {
        values.add(fact.options().getOrDefault(option.column(), option.defaultValue()));
      }
      values.add(fact.longPrompt());
      for (String count : CanonicalSchema.COUNT_COLUMNS) {
        boolean use = CanonicalSchema.USE_COLUMNS.contains(count);
        values.add(count.equals(fact.tokenColumn()) ? (use ? 1L : MILLION) : 0L);
      }
      rows.add(RowFactory.create(values.toArray()));
    }
    // The long-prompt flag is the fact's own: a million tokens of one kind says nothing about the prompt.
    Dataset<Row> resolved = RateLookup.resolve(spark.createDataFrame(rows, factsSchema()), card)
        .withColumn(PricingColumns.LONG_PROMPT, col(FACT_LONG_PROMPT));
    Dataset<Row> priced = Pricer.price(resolved.filter(col(RateCardTables.PRICE_ID).isNotNull()), card)
        .select(col(LINE), col(PricingColumns.TOTAL_COST));
    Dataset<Row> unpriced = resolved.filter(col(RateCardTables.PRICE_ID).isNull())
        .select(col(LINE), lit(null).cast(Pricer.costType(card.costScale())).as(PricingColumns.TOTAL_COST));
    spark.sparkContext().setJobDescription("pricing " + facts.size() + " facts of the price sheets");
    List<Row> collected = priced.unionByName(unpriced).collectAsList();
    spark.sparkContext().setJobDescription(null);
    Map<String, BigDecimal> costs = new HashMap<>();
    for (Row row : collected) {
      if (!row.isNullAt(1)) {
        costs.put(row.getString(0), row.getDecimal(1));
      }
    }
    assertEquals(facts.size(), collected.size(), "every fact is one row of the lookup");
    return costs;
  }

  private static StructType factsSchema() {
    StructType schema = new StructType()
        .add(LINE, DataTypes.StringType, false)
        .add(CanonicalSchema.PROVIDER, DataTypes.StringType, false)
        .add(CanonicalSchema.MODEL, DataTypes.StringType, false)
        .add(CanonicalSchema.DAY, DataTypes.DateType, false);
    for (PricingOption option : PricingOption.values()) {
      schema = schema.add(option.column(), DataTypes.StringType, false);
    }
    schema = schema.add(FACT_LONG_PROMPT, DataTypes.BooleanType, false);
    for (String count : CanonicalSchema.COUNT_COLUMNS) {
      schema = schema.add(count, DataTypes.LongType, false);
    }
    return schema;
  }

  /** Every line of every {@code *.csv} in {@code pricing-facts/}, one file per provider. */
  private static List<Fact> readFacts() throws IOException, URISyntaxException {
    Path folder = Path.of(RateCardFactsTest.class.getResource("/pricing-facts").toURI());
    List<Path> files;
    try (Stream<Path> listed = Files.list(folder)) {
      files = listed.filter(file -> file.getFileName().toString().endsWith(".csv")).sorted().toList();
    }
    assertTrue(!files.isEmpty(), "no facts tables in " + folder);
    List<Fact> facts = new ArrayList<>();
    for (Path file : files) {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      assertEquals(HEADER, lines.get(0), file.getFileName() + ": the header");
      for (int i = 1; i < lines.size(); i++) {
        if (!lines.get(i).isBlank()) {
          facts.add(parse(file.getFileName() + ":" + (i + 1), lines.get(i)));
        }
      }
    }
    return facts;
  }

  private static Fact parse(String where, String line) {
    String[] cells = line.split(",", 7);
    if (cells.length != 7) {
      throw new IllegalArgumentException(where + ": must have the 7 columns " + HEADER + ", cannot be: " + line);
    }
    Map<String, String> options = new LinkedHashMap<>();
    boolean longPrompt = false;
    for (String option : cells[3].split(";")) {
      if (option.isBlank()) {
        continue;
      }
      String[] nameValue = option.split("=", 2);
      String name = nameValue[0].trim();
      String value = nameValue.length == 2 ? nameValue[1].trim().toLowerCase(Locale.ROOT) : "";
      if (name.equals(LONG_OPTION)) {
        longPrompt = Boolean.parseBoolean(value);
      } else if (PricingOption.byColumn(name).isPresent()) {
        options.put(name, value);
      } else {
        throw new IllegalArgumentException(where + ": option must be one of service_tier, speed, inference_geo, "
            + "long_prompt, cannot be: " + name);
      }
    }
    String kind = cells[4].trim();
    String tokenColumn = FEE_KINDS.getOrDefault(kind, kind + "_tokens");
    if (!KINDS.contains(tokenColumn) && !FEE_KINDS.containsKey(kind)) {
      throw new IllegalArgumentException(where + ": kind must be one of input, output, cache_write_5m, "
          + "cache_write_1h, cache_read, " + String.join(", ", FEE_KINDS.keySet()) + ", cannot be: " + kind);
    }
    String price = cells[5].trim();
    if (!price.equals(NO_PRICE)) {
      new BigDecimal(price);
    }
    return new Fact(where, cells[0].trim().toLowerCase(Locale.ROOT), cells[1].trim(), LocalDate.parse(cells[2].trim()),
        options, longPrompt, tokenColumn, price);
  }
}
