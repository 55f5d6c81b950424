package dev.tokenreprice.input;

/** Why a record read is not a request of its own; such records are counted in the manifest, never priced. */
public enum SkipReason {
  /** The format's {@code request} filter says the record is no model call (a user line, an HTTP span). */
  NOT_A_REQUEST,
  /** Another line of a request already counted (Claude Code writes one line per streamed content block). */
  REPEATED_LINE
}
