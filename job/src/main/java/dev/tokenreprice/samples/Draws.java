package dev.tokenreprice.samples;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.cos;
import static org.apache.spark.sql.functions.exp;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.shiftrightunsigned;
import static org.apache.spark.sql.functions.sqrt;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.DataTypes;

/**
 * Deterministic pseudo-random Column expressions over the row id of {@code spark.range}: every value is a
 * function of (id, seed, stream), so any partitioning of the range draws the same rows, with no UDF.
 * The draws are computed once per row as columns ({@link #columns()}); the other methods read them.
 * Doubles here are probabilities and distribution parameters, never money: the generator's token counts
 * leave it as whole longs, and every price is applied later, by the job, in decimals.
 */
final class Draws {
  static final String ID = "id";
  /** 2^53: the top 53 bits of a 64-bit hash map exactly onto the doubles of [0, 1). */
  private static final double TWO_TO_THE_53 = 9007199254740992.0;

  private final long seed;

  Draws(long seed) {
    this.seed = seed;
  }

  /**
   * Every stream's draw for the row, uniform on [0, 1), as a named column. Materialized once: a weighted
   * choice compares its draw with up to 49 bounds, and an inlined hash would be computed for each.
   */
  List<Column> columns() {
    return Arrays.stream(Draw.values())
        .map(stream -> shiftrightunsigned(xxhash64(col(ID), lit(seed), lit(stream.ordinal())), 11)
            .cast(DataTypes.DoubleType).divide(lit(TWO_TO_THE_53)).as(columnName(stream)))
        .toList();
  }

  /** Uniform on [0, 1); needs the {@link #columns()}. */
  Column uniform(Draw stream) {
    return col(columnName(stream));
  }

  private static String columnName(Draw stream) {
    return "draw_" + stream.name().toLowerCase(Locale.ROOT);
  }

  /** True for about {@code share} of the rows. */
  Column chance(Draw stream, double share) {
    return uniform(stream).lt(lit(share));
  }

  /**
   * A 0-based index into {@code weights}, each index drawn in proportion to its weight. List the heavy
   * weights first: the CASE tests the bounds in order, so most rows stop after a branch or two.
   */
  Column weightedIndex(Draw stream, List<Double> weights) {
    double total = weights.stream().mapToDouble(Double::doubleValue).sum();
    Column u = uniform(stream);
    Column chosen = null;
    double cumulative = 0;
    for (int i = 0; i < weights.size() - 1; i++) {
      cumulative += weights.get(i) / total;
      chosen = chosen == null ? when(u.lt(cumulative), lit(i)) : chosen.when(u.lt(cumulative), lit(i));
    }
    Column last = lit(weights.size() - 1);
    return chosen == null ? last : chosen.otherwise(last);
  }

  /**
   * A whole number from a log-normal distribution with the given median and spread, clamped to
   * [min, max]: the heavy right tail of real prompt and completion sizes, without unbounded outliers.
   */
  Column logNormal(Draw radius, Draw angle, double median, double sigma, long min, long max) {
    // Box-Muller: 1 - u keeps the logarithm's argument in (0, 1].
    Column normal = sqrt(log(lit(1.0).minus(uniform(radius))).multiply(-2.0))
        .multiply(cos(uniform(angle).multiply(2 * Math.PI)));
    Column value = floor(exp(normal.multiply(sigma).plus(Math.log(median))));
    return least(greatest(value, lit(min)), lit(max)).cast(DataTypes.LongType);
  }

  /** A whole number uniform on [from, from + span). */
  Column uniformLong(Draw stream, long from, long span) {
    return floor(uniform(stream).multiply((double) span)).cast(DataTypes.LongType).plus(lit(from));
  }
}
