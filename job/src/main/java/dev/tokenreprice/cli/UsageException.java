package dev.tokenreprice.cli;

/**
 * A problem with the job's arguments or configuration, found before any data is read. Its message is
 * one line that names the file, the entry and the field, and says what would be valid.
 */
public final class UsageException extends RuntimeException {
  public UsageException(String message) {
    super(message);
  }

  public UsageException(String message, Throwable cause) {
    super(message, cause);
  }
}
