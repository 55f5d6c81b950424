package dev.tokenreprice.input;

import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.IntegralType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;

/**
 * Adapts a source value of whatever type its writer or mapping produced to the canonical field's type:
 * counts to longs (whole numbers only), times to instants, anything else to text.
 */
final class FieldTypes {
  private static final DataType WIDE_DECIMAL = DataTypes.createDecimalType(38, 9);

  private FieldTypes() {}

  /** A token count and, when the value is present but not a whole number, why the record is malformed. */
  record Count(Column value, Column problem) {}

  static Count tokenCount(Column value, DataType type, String field) {
    if (type instanceof IntegralType) {
      return new Count(value.cast(DataTypes.LongType), lit(null).cast(DataTypes.StringType));
    }
    // Text or fractional counts (pandas writes integer columns with nulls as float64): whole numbers are
    // taken, anything else makes the record malformed.
    Column asDecimal = value.cast(DataTypes.StringType).try_cast(WIDE_DECIMAL);
    Column whole = when(asDecimal.equalTo(functions.floor(asDecimal)), asDecimal.try_cast(DataTypes.LongType));
    Column problem = when(trim(value.cast(DataTypes.StringType)).notEqual(lit("")).and(whole.isNull()),
        lit(field + " is not a whole number"));
    return new Count(whole, problem);
  }

  /** The instant a time value names, or null. Text follows {@link Timestamps}; integers are epoch milliseconds. */
  static Column timestamp(Column value, DataType type) {
    if (type instanceof TimestampType || type instanceof TimestampNTZType || type instanceof DateType) {
      // TIMESTAMP_NTZ carries no zone; the job's session zone is UTC, so it is read as UTC.
      return value.cast(DataTypes.TimestampType);
    }
    if (type instanceof IntegralType || type instanceof StringType) {
      return Timestamps.fromText(value.cast(DataTypes.StringType));
    }
    return lit(null).cast(DataTypes.TimestampType);
  }

  /** Whether the record had a time at all: a blank text counts as absent, as for every text field. */
  static Column timestampPresent(Column value, DataType type) {
    if (type instanceof StringType) {
      return functions.nullif(trim(value), lit("")).isNotNull();
    }
    return value.isNotNull();
  }

  static Column text(Column value) {
    return value.cast(DataTypes.StringType);
  }
}
