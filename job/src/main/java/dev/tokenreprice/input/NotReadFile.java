package dev.tokenreprice.input;

/**
 * A file an input named or held that the run does not read, with why: the manifest lists it. A damaged file (empty,
 * unreadable, cut short) is one the run was meant to read: the summary counts them, and {@code --strict} fails on one.
 */
public record NotReadFile(String path, String reason, boolean damaged) {
  /** A file left out by its name or place (hidden, no log extension, a JSON document beside the logs). */
  public NotReadFile(String path, String reason) {
    this(path, reason, false);
  }
}
