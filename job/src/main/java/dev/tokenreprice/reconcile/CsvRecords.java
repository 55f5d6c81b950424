package dev.tokenreprice.reconcile;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads RFC 4180 CSV records one at a time from a stream (a FOCUS export can be large), each with the line it
 * starts on, for error messages: fields separated by commas, quoted with double quotes (a quote doubled inside),
 * line breaks inside quotes kept, CRLF or LF between records, an unquoted {@code NULL} empty.
 */
final class CsvRecords {
  /** One record and the 1-based line of the file it starts on. */
  record CsvRecord(long line, List<String> fields) {
    /** An empty line, or one of empty fields only, as spreadsheets write below their last row. */
    boolean isBlank() {
      return fields.stream().allMatch(String::isBlank);
    }
  }

  private final Reader in;
  private long line = 1;
  private int pushedBack = -2;

  CsvRecords(Reader in) {
    this.in = in;
  }

  /** The next record, or empty at the end of the file; an unclosed quote is reported with the line it opened on. */
  Optional<CsvRecord> next() throws IOException {
    int c = read();
    if (c == -1) {
      return Optional.empty();
    }
    long start = line;
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    boolean wasQuoted = false;
    while (true) {
      if (quoted) {
        if (c == -1) {
          throw new MalformedCsv(start, "a quoted field opened on line " + start + " is never closed");
        }
        if (c == '"') {
          int after = read();
          if (after == '"') {
            field.append('"');
          } else {
            quoted = false;
            c = after;
            continue;
          }
        } else {
          if (c == '\n') {
            line++;
          }
          field.append((char) c);
        }
      } else if (c == '"' && field.length() == 0 && !wasQuoted) {
        quoted = true;
        wasQuoted = true;
      } else if (c == ',') {
        fields.add(value(field, wasQuoted));
        field.setLength(0);
        wasQuoted = false;
      } else if (c == '\r' || c == '\n' || c == -1) {
        if (c == '\r') {
          int after = read();
          if (after != '\n') {
            unread(after);
          }
        }
        if (c != -1) {
          line++;
        }
        fields.add(value(field, wasQuoted));
        return Optional.of(new CsvRecord(start, List.copyOf(fields)));
      } else {
        field.append((char) c);
      }
      c = read();
    }
  }

  /**
   * A field's value: an unquoted {@code NULL} is an empty field, as database exports and the FinOps
   * Foundation's FOCUS sample write one; a quoted "NULL" is the text.
   */
  private static String value(StringBuilder field, boolean quoted) {
    String text = field.toString();
    return !quoted && text.equals("NULL") ? "" : text;
  }

  /** The next record that is not blank, or empty at the end of the file. */
  Optional<CsvRecord> nextNonBlank() throws IOException {
    Optional<CsvRecord> record = next();
    while (record.isPresent() && record.get().isBlank()) {
      record = next();
    }
    return record;
  }

  private int read() throws IOException {
    if (pushedBack != -2) {
      int c = pushedBack;
      pushedBack = -2;
      return c;
    }
    return in.read();
  }

  private void unread(int c) {
    pushedBack = c;
  }

  /** A CSV that cannot be split into records; the reader of the file turns it into a usage error. */
  static final class MalformedCsv extends RuntimeException {
    private final long line;

    MalformedCsv(long line, String message) {
      super(message);
      this.line = line;
    }

    long line() {
      return line;
    }
  }
}
