package dev.tokenreprice.reconcile;

import dev.tokenreprice.cli.UsageException;

/** Builds the one-line usage errors of a bill file: the file, where in it, and what is wrong and what to do. */
final class BillFileException {
  private BillFileException() {}

  static UsageException at(String path, String where, String problem) {
    return new UsageException("reconcile file " + path + ": " + where + ": " + problem);
  }

  static UsageException of(String path, String problem) {
    return new UsageException("reconcile file " + path + ": " + problem);
  }
}
