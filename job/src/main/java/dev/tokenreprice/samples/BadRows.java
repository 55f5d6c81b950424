package dev.tokenreprice.samples;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.negate;
import static org.apache.spark.sql.functions.when;

import dev.tokenreprice.input.CanonicalSchema;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * Turns the rows tagged with a {@link BadRowKind} into bad rows, for the kinds that look the same in every
 * format. Each variant changes a good row in one respect only, so the job's first applicable quarantine
 * reason is the planted one. Malformed records and bad timestamp text depend on the format: {@link LogRecords}.
 */
final class BadRows {
  private static final long DAY_MILLIS = 86_400_000L;

  /** One variant of a bad kind: the fields it replaces, by canonical name, with their new values. */
  private record Corruption(BadRowKind kind, int variant, Map<String, Column> replacements) {}

  private BadRows() {}

  static Dataset<Row> plantFormatNeutral(Dataset<Row> good, Draws draws) {
    List<Corruption> corruptions = corruptions(draws);
    List<Column> columns = new ArrayList<>();
    for (String field : good.columns()) {
      Column value = null;
      for (Corruption corruption : corruptions) {
        Column replacement = corruption.replacements().get(field);
        if (replacement != null) {
          Column applies = is(corruption.kind(), corruption.variant());
          value = value == null ? when(applies, replacement)
              : value.when(applies, replacement);
        }
      }
      columns.add(value == null ? col(field) : value.otherwise(col(field)).as(field));
    }
    return good.select(columns.toArray(Column[]::new));
  }

  /** Whether the row was planted as this kind and variant. */
  static Column is(BadRowKind kind, int variant) {
    return isKind(kind).and(col(SyntheticRequests.BAD_VARIANT).equalTo(variant));
  }

  static Column isKind(BadRowKind kind) {
    return coalesce(col(SyntheticRequests.BAD_KIND).equalTo(kind.name()), lit(false));
  }

  private static List<Corruption> corruptions(Draws draws) {
    Column missingText = lit(null).cast(DataTypes.StringType);
    return List.of(
        // Variant 1 is the same row; the JSONL writer spells its missing timestamp as an explicit null.
        new Corruption(BadRowKind.MISSING_TIMESTAMP, 0,
            Map.of(SyntheticRequests.EVENT_MILLIS, lit(null).cast(DataTypes.LongType))),
        new Corruption(BadRowKind.MISSING_TIMESTAMP, 1,
            Map.of(SyntheticRequests.EVENT_MILLIS, lit(null).cast(DataTypes.LongType))),
        new Corruption(BadRowKind.MISSING_MODEL, 0, Map.of(CanonicalSchema.MODEL, missingText)),
        new Corruption(BadRowKind.MISSING_MODEL, 1, Map.of(CanonicalSchema.MODEL, lit(""))),
        new Corruption(BadRowKind.NEGATIVE_TOKENS, 0,
            Map.of(CanonicalSchema.OUTPUT_TOKENS, negate(col(CanonicalSchema.OUTPUT_TOKENS)))),
        new Corruption(BadRowKind.NEGATIVE_TOKENS, 1, Map.of(CanonicalSchema.CACHE_READ_TOKENS,
            negate(coalesce(col(CanonicalSchema.CACHE_READ_TOKENS), lit(0L)).plus(512L)))),
        new Corruption(BadRowKind.UNKNOWN_MODEL, 0, model(ModelMix.ANTHROPIC, "claude-imaginary-9")),
        new Corruption(BadRowKind.UNKNOWN_MODEL, 1, model(ModelMix.OPENAI, "gpt-imaginary-9")),
        // Real models on days before their first rate in conf/rate-card.yaml.
        new Corruption(BadRowKind.NO_RATE_IN_FORCE, 0, with(model(ModelMix.ANTHROPIC, "claude-opus-5"),
            SyntheticRequests.EVENT_MILLIS, dayIn(draws, LocalDate.parse("2026-06-01"), 30))),
        new Corruption(BadRowKind.NO_RATE_IN_FORCE, 1, with(model(ModelMix.ANTHROPIC, "claude-haiku-5-5"),
            SyntheticRequests.EVENT_MILLIS, dayIn(draws, LocalDate.parse("2026-10-01"), 6))),
        // Option values the card lists for none of these models' rates.
        new Corruption(BadRowKind.UNPRICED_OPTION, 0, with(model(ModelMix.ANTHROPIC, "claude-haiku-4-5"),
            CanonicalSchema.SPEED, lit("fast"))),
        new Corruption(BadRowKind.UNPRICED_OPTION, 1, with(model(ModelMix.ANTHROPIC, "claude-sonnet-4-6"),
            CanonicalSchema.SERVICE_TIER, lit("priority"))),
        new Corruption(BadRowKind.UNPRICED_OPTION, 2, with(model(ModelMix.ANTHROPIC, "claude-sonnet-4-5"),
            CanonicalSchema.INFERENCE_GEO, lit("us"))),
        new Corruption(BadRowKind.UNPRICED_OPTION, 3, with(model(ModelMix.OPENAI, "gpt-5.6-terra"),
            CanonicalSchema.SERVICE_TIER, lit("flex"))));
  }

  /** Another model of the provider, with default options so the model alone decides the outcome. */
  private static Map<String, Column> model(String provider, String model) {
    Map<String, Column> fields = new LinkedHashMap<>();
    fields.put(CanonicalSchema.PROVIDER, lit(provider));
    fields.put(CanonicalSchema.MODEL, lit(model));
    fields.put(CanonicalSchema.SERVICE_TIER, lit(null).cast(DataTypes.StringType));
    fields.put(CanonicalSchema.SPEED, lit(null).cast(DataTypes.StringType));
    fields.put(CanonicalSchema.INFERENCE_GEO, lit(null).cast(DataTypes.StringType));
    return fields;
  }

  private static Map<String, Column> with(Map<String, Column> fields, String field, Column value) {
    Map<String, Column> changed = new LinkedHashMap<>(fields);
    changed.put(field, value);
    return changed;
  }

  /** A time within {@code days} days from {@code first}. */
  private static Column dayIn(Draws draws, LocalDate first, int days) {
    return draws.uniformLong(Draw.BAD_ROW_TIME, SyntheticRequests.epochMillis(first), days * DAY_MILLIS);
  }
}
