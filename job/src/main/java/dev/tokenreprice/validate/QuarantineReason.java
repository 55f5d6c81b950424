package dev.tokenreprice.validate;

/** Why a row could not be priced; checked in this order, and a row gets the first that applies. */
public enum QuarantineReason {
  /** Not a record of the expected shape: invalid JSON, a field of the wrong type, a required count missing. */
  MALFORMED_RECORD,
  MISSING_TIMESTAMP,
  /** A timestamp that is neither ISO-8601 with an offset nor epoch milliseconds. */
  BAD_TIMESTAMP,
  MISSING_MODEL,
  NEGATIVE_TOKENS,
  /** The model is not in the rate card under the row's provider. */
  UNKNOWN_MODEL,
  /** The card knows the model but has no rate in force on the row's day. */
  NO_RATE_IN_FORCE,
  /** The rate does not price the row's service tier, speed or inference region. */
  UNPRICED_OPTION,
  /**
   * The request used a per-use fee (a web search) that its rate does not price for the model and day: pricing its
   * tokens alone would understate it. A request without uses is unaffected.
   */
  NO_FEE_PRICE,
  /**
   * A later record of a request id already read (at-least-once delivery): the first, by timestamp, then file
   * path and place in the file, is the request. Checked last, among rows every other check would price.
   */
  DUPLICATE_REQUEST_ID
}
