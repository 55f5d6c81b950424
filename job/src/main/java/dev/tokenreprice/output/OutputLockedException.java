package dev.tokenreprice.output;

/**
 * Another run holds the lock of the output directory (and kept holding it for as long as this run was to wait): this
 * run reads and publishes nothing and exits 1 with this one line, which names the holder and what to do.
 */
public final class OutputLockedException extends RuntimeException {
  OutputLockedException(String message) {
    super(message);
  }
}
