package dev.tokenreprice.input;

import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.timestamp_millis;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.DataTypes;

/** Turns a log's timestamp text into an instant: ISO-8601 with an offset or {@code Z}, or epoch milliseconds. */
final class Timestamps {
  /** Epoch milliseconds; 15 digits reach the year 33658, and the bound keeps the conversion from overflowing. */
  private static final String EPOCH_MILLIS = "^-?[0-9]{1,15}$";
  /** An offset is required: a local time without one names no instant. */
  private static final String ISO_WITH_OFFSET =
      "^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.,][0-9]{1,9})?)?([Zz]|[+-][0-9]{2}(:?[0-9]{2})?)$";

  private Timestamps() {}

  /** The instant the text names, or null when it names none. */
  static Column fromText(Column text) {
    Column trimmed = trim(text);
    return when(trimmed.rlike(EPOCH_MILLIS), timestamp_millis(trimmed.cast(DataTypes.LongType)))
        .when(trimmed.rlike(ISO_WITH_OFFSET), trimmed.try_cast(DataTypes.TimestampType))
        .otherwise(lit(null).cast(DataTypes.TimestampType));
  }
}
