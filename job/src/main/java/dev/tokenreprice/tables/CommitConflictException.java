package dev.tokenreprice.tables;

/**
 * Another run committed some of this run's days to a table after this run had read it: the run publishes nothing
 * and exits 1 with this one line, since a run again on top of the other's commit is what resolves it.
 */
public final class CommitConflictException extends RuntimeException {
  CommitConflictException(String message, Throwable cause) {
    super(message, cause);
  }
}
