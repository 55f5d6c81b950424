package dev.tokenreprice.input;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.posexplode;
import static org.apache.spark.sql.functions.when;

import dev.tokenreprice.cli.UsageException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;

/**
 * A mapping's {@code additional_usage}: usage a response reports apart from its own and bills at another
 * model's prices (an Anthropic advisor iteration). Each element becomes a row of its own, numbered in
 * {@link CanonicalSchema#USAGE_PART} from 1, with the element's model and token counts and every other field
 * of its record; the record's own usage is part 0. Records that are no well-shaped request stay one row.
 */
final class AdditionalUsage {
  static final String PART = "__reprice_usage_part";
  private static final String ELEMENT = "__reprice_additional_usage";

  private AdditionalUsage() {}

  /**
   * @param records records with the mapped fields in columns named {@code fieldPrefix + field}, and the
   *     evaluated {@code additional_usage} array in {@code column}
   * @param eligible whether a record is a well-shaped request whose additional usage counts
   */
  static Dataset<Row> explode(Dataset<Row> records, String column, Column eligible, String fieldPrefix,
      String source) {
    DataType type = records.schema().apply(column).dataType();
    if (!(type instanceof ArrayType arrayType) || !(arrayType.elementType() instanceof StructType element)) {
      throw new UsageException("log format " + source + ": 'additional_usage' must be an array of structs (model and"
          + " token counts named as the canonical fields), cannot be: " + type.simpleString());
    }
    List<String> names = Arrays.asList(element.fieldNames());
    if (!names.contains(CanonicalSchema.MODEL)) {
      throw new UsageException("log format " + source + ": 'additional_usage' elements must have a 'model' field, "
          + "cannot be: " + type.simpleString());
    }
    Column none = array().cast(arrayType);
    // Part 0, the record's own usage, is the null element in front: its fields stay as mapped.
    Column parts = concat(array(lit(null).cast(element)), when(eligible, coalesce(col(column), none)).otherwise(none));
    Dataset<Row> exploded = records.select(col("*"), posexplode(parts).as(new String[] {PART, ELEMENT}));
    List<String> overridden = new ArrayList<>(List.of(CanonicalSchema.MODEL));
    // Every count, uses too: an advisor's usage runs none of its request's web searches.
    overridden.addAll(CanonicalSchema.COUNT_COLUMNS);
    List<String> present = Arrays.asList(exploded.schema().fieldNames());
    Column additional = col(PART).gt(CanonicalSchema.OWN_USAGE);
    for (String field : overridden) {
      if (!present.contains(fieldPrefix + field) && !names.contains(field)) {
        continue;
      }
      Column own = present.contains(fieldPrefix + field) ? col(fieldPrefix + field) : lit(null);
      // A token count the element does not give is missing, not the record's own.
      Column theirs = names.contains(field) ? col(ELEMENT + "." + field) : lit(null);
      exploded = exploded.withColumn(fieldPrefix + field, when(additional, theirs).otherwise(own));
    }
    return exploded.drop(ELEMENT, column);
  }
}
