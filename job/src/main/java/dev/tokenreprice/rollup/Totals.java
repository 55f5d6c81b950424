package dev.tokenreprice.rollup;

import dev.tokenreprice.input.CanonicalSchema;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Subtotals of the rollup by day, by feature, by model (with its provider) and one grand total; {@code level} says
 * which each row is. They are added up on the driver as the rollup's rows stream there for rollup.csv: a few
 * hundred sums in exact decimals cost no Spark job. No rollup row, no total row, as an aggregation by grouping
 * sets gives none.
 */
public final class Totals implements Consumer<Row> {
  public static final String LEVEL = "level";
  public static final String LEVEL_DAY = "day";
  public static final String LEVEL_FEATURE = "feature";
  public static final String LEVEL_MODEL = "model";
  public static final String LEVEL_TOTAL = "total";
  /** The columns of {@code totals.csv}, in order. */
  public static final List<String> COLUMNS = Rollup.concat(List.of(LEVEL), Rollup.COLUMNS);
  private static final List<String> LEVELS = List.of(LEVEL_DAY, LEVEL_FEATURE, LEVEL_MODEL, LEVEL_TOTAL);
  private static final int MEASURES = Rollup.MEASURE_COLUMNS.size();
  private static final int TOKENS = CanonicalSchema.COUNT_COLUMNS.size();

  private final StructType schema;
  private final int costScale;
  private final Map<Key, Object[]> sums = new TreeMap<>();

  /** @param rollupSchema the rollup's schema, whose columns the totals keep with their types */
  public Totals(StructType rollupSchema, int costScale) {
    StructType schema = new StructType().add(LEVEL, DataTypes.StringType, false);
    for (String column : Rollup.COLUMNS) {
      schema = schema.add(rollupSchema.apply(column));
    }
    this.schema = schema;
    this.costScale = costScale;
  }

  /** Adds one rollup row to its day, its feature, its model and the grand total. */
  @Override
  public void accept(Row rollupRow) {
    Object day = rollupRow.getAs(CanonicalSchema.DAY);
    String feature = rollupRow.getAs(CanonicalSchema.FEATURE);
    String provider = rollupRow.getAs(CanonicalSchema.PROVIDER);
    String model = rollupRow.getAs(UsageAggregation.MODEL);
    add(new Key(0, day, null, null, null), rollupRow);
    add(new Key(1, null, feature, null, null), rollupRow);
    add(new Key(2, null, null, provider, model), rollupRow);
    add(new Key(3, null, null, null, null), rollupRow);
  }

  private void add(Key key, Row rollupRow) {
    Object[] measures = sums.computeIfAbsent(key, k -> zeros());
    for (int i = 0; i < MEASURES; i++) {
      Object value = rollupRow.getAs(Rollup.MEASURE_COLUMNS.get(i));
      if (value == null) {
        continue;
      }
      measures[i] = value instanceof BigDecimal decimal ? ((BigDecimal) measures[i]).add(decimal)
          : (Long) measures[i] + ((Number) value).longValue();
    }
  }

  private Object[] zeros() {
    Object[] zeros = new Object[MEASURES];
    zeros[0] = 0L;
    for (int i = 1; i <= TOKENS; i++) {
      zeros[i] = 0L;
    }
    for (int i = TOKENS + 1; i < MEASURES; i++) {
      zeros[i] = BigDecimal.ZERO.setScale(costScale);
    }
    return zeros;
  }

  /** The totals in the order of {@code totals.csv}: by day, by feature, by model, then the grand total. */
  public List<Row> inOrder() {
    List<Row> rows = new ArrayList<>();
    sums.forEach((key, measures) -> {
      List<Object> values = new ArrayList<>(List.of(LEVELS.get(key.level())));
      values.addAll(Arrays.asList(key.day(), key.feature(), key.provider(), key.model()));
      values.addAll(Arrays.asList(measures));
      rows.add(new GenericRowWithSchema(values.toArray(), schema));
    });
    return List.copyOf(rows);
  }

  /**
   * A subtotal's place: its level, then day, feature, provider and model as Spark sorts them (days by date, text by
   * its UTF-8 bytes; a column the level rolls up is null).
   */
  private record Key(int level, Object day, String feature, String provider, String model) implements Comparable<Key> {
    private static final Comparator<Key> ORDER = Comparator.comparingInt(Key::level)
        .thenComparing(key -> key.day() == null ? null : key.day().toString(), Comparator.nullsFirst(Comparator.naturalOrder()))
        .thenComparing(Key::feature, Comparator.nullsFirst(Totals::compareUtf8))
        .thenComparing(Key::provider, Comparator.nullsFirst(Totals::compareUtf8))
        .thenComparing(Key::model, Comparator.nullsFirst(Totals::compareUtf8));

    @Override
    public int compareTo(Key other) {
      return ORDER.compare(this, other);
    }
  }

  /** Spark's order of text: unsigned byte by byte of UTF-8, which differs from Java's for characters past U+FFFF. */
  static int compareUtf8(String a, String b) {
    return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }
}
