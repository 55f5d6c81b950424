package dev.tokenreprice.input;

import dev.tokenreprice.ratecard.Fee;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Column names of the canonical token log, as every reader normalizes it: one row per API request.
 * The same names are the log fields users write, so this class is also the schema JSONL is read with.
 */
public final class CanonicalSchema {
  public static final String REQUEST_ID = "request_id";
  public static final String TIMESTAMP = "timestamp";
  public static final String PROVIDER = "provider";
  public static final String MODEL = "model";
  public static final String FEATURE = "feature";
  public static final String SERVICE_TIER = "service_tier";
  public static final String SPEED = "speed";
  public static final String INFERENCE_GEO = "inference_geo";
  public static final String INPUT_TOKENS = "input_tokens";
  public static final String OUTPUT_TOKENS = "output_tokens";
  public static final String CACHE_WRITE_5M_TOKENS = "cache_write_5m_tokens";
  public static final String CACHE_WRITE_1H_TOKENS = "cache_write_1h_tokens";
  public static final String CACHE_READ_TOKENS = "cache_read_tokens";
  /** Web searches the provider ran for the request (the uses of {@link Fee#WEB_SEARCH}); errored ones not counted. */
  public static final String WEB_SEARCH_REQUESTS = Fee.WEB_SEARCH.countColumn();

  /**
   * Added by normalization: which usage of its request a row is. 0 is the request's own usage; 1, 2, … are
   * usage the response reports apart and bills at another model's prices (an Anthropic advisor iteration),
   * priced as rows of their own under the same request id, never counted as requests nor as duplicates.
   */
  public static final String USAGE_PART = "usage_part";
  public static final int OWN_USAGE = 0;

  /** Added by normalization: the instant of the request and its UTC day. */
  public static final String EVENT_TIME = "event_time";
  public static final String DAY = "day";
  /** Added by normalization: whether the record had a timestamp at all (missing and unparseable differ). */
  public static final String HAS_TIMESTAMP = "has_timestamp";
  /** Added by normalization: why the record does not have the canonical shape, null when it does. */
  public static final String MALFORMED_DETAIL = "malformed_detail";
  /**
   * Added by normalization: why a record of the source is not a request of its own (a Claude Code user
   * line, a span that is not a model call, a repeated line of one request), null for requests. Such
   * records are counted, never priced nor quarantined.
   */
  public static final String SKIPPED_AS = "skipped_as";
  /** Provenance, kept for quarantine: the file and the original record (the raw line for JSONL). */
  public static final String SOURCE_FILE = "source_file";
  public static final String RAW_RECORD = "raw_record";
  /**
   * Where a record stands in its file, for ordering records of one file as they were written: the start of
   * the file split it was read from, then its place in that split (Spark's text reader gives no line number).
   */
  public static final String RECORD_POSITION = "record_position";

  public static final String DEFAULT_PROVIDER = "anthropic";
  public static final String DEFAULT_FEATURE = "unattributed";

  /** Token counts in the order the outputs list them. */
  public static final List<String> TOKEN_COLUMNS = List.of(
      INPUT_TOKENS, OUTPUT_TOKENS, CACHE_WRITE_5M_TOKENS, CACHE_WRITE_1H_TOKENS, CACHE_READ_TOKENS);

  /**
   * Counts of per-use fees, one per {@link Fee} in its order, listed after the token counts; each defaults to 0
   * and is validated like a token count. A later fee adds its column here.
   */
  public static final List<String> USE_COLUMNS = Arrays.stream(Fee.values()).map(Fee::countColumn).toList();

  /** Every whole-number count of a request: the token counts, then the use counts. */
  public static final List<String> COUNT_COLUMNS = concat(TOKEN_COLUMNS, USE_COLUMNS);

  /** Token counts a record must carry; the cache counts and the use counts default to 0. */
  public static final List<String> REQUIRED_TOKEN_COLUMNS = List.of(INPUT_TOKENS, OUTPUT_TOKENS);

  /** Text fields of the log, each with its default applied when absent or blank. */
  public static final List<String> TEXT_COLUMNS = List.of(
      REQUEST_ID, PROVIDER, MODEL, FEATURE, SERVICE_TIER, SPEED, INFERENCE_GEO);

  private CanonicalSchema() {}

  /** The schema JSONL lines are parsed with; timestamp is text so both ISO strings and epoch numbers arrive. */
  public static StructType jsonSchema(String corruptRecordColumn) {
    StructType schema = new StructType();
    for (String text : TEXT_COLUMNS) {
      schema = schema.add(text, DataTypes.StringType);
    }
    schema = schema.add(TIMESTAMP, DataTypes.StringType);
    for (String count : COUNT_COLUMNS) {
      schema = schema.add(count, DataTypes.LongType);
    }
    return schema.add(corruptRecordColumn, DataTypes.StringType);
  }

  /** The columns every normalized Dataset has, in this order. */
  public static List<String> normalizedColumns() {
    return concat(List.of(SOURCE_FILE, RAW_RECORD, RECORD_POSITION, MALFORMED_DETAIL, SKIPPED_AS, HAS_TIMESTAMP,
        EVENT_TIME, DAY, REQUEST_ID, USAGE_PART, PROVIDER, MODEL, FEATURE, SERVICE_TIER, SPEED, INFERENCE_GEO),
        COUNT_COLUMNS);
  }

  private static List<String> concat(List<String> first, List<String> second) {
    List<String> all = new ArrayList<>(first);
    all.addAll(second);
    return List.copyOf(all);
  }
}
