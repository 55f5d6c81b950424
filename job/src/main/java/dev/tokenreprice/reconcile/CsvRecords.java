package dev.tokenreprice.reconcile;

import com.univocity.parsers.common.TextParsingException;
import com.univocity.parsers.csv.CsvParser;
import com.univocity.parsers.csv.CsvParserSettings;
import com.univocity.parsers.csv.UnescapedQuoteHandling;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The records of a bill's CSV, one at a time from a stream (a FOCUS export can be large), each with the line it
 * starts on, for error messages. univocity's parser, the one Spark's own CSV source uses (every Spark distribution
 * ships it), splits them: RFC 4180 fields separated by commas and quoted with double quotes (a quote doubled
 * inside), line breaks inside quotes kept, LF or CRLF between records, spaces around a field dropped. On top of it,
 * an unquoted {@code NULL} is an empty field and a quoted field left open is an error.
 */
final class CsvRecords {
  private static final char QUOTE = '"';
  /** Spark's CSV source allows as many columns by default (its {@code maxColumns}); FOCUS has about sixty. */
  private static final int MAX_FIELDS = 20_480;

  /** One record and the 1-based line of the file it starts on. */
  record CsvRecord(long line, List<String> fields) {
    /** An empty line, or one of empty fields only, as spreadsheets write below their last row. */
    boolean isBlank() {
      return fields.stream().allMatch(String::isBlank);
    }
  }

  private final CsvParser parser;

  /** Starts reading, which reads the first block of the file; a read error is an {@link IOException}. */
  CsvRecords(Reader in) throws IOException {
    parser = new CsvParser(settings());
    try {
      parser.beginParsing(in);
    } catch (TextParsingException e) {
      throw new MalformedCsv(1, problem(e));
    }
  }

  private static CsvParserSettings settings() {
    CsvParserSettings settings = new CsvParserSettings();
    settings.getFormat().setDelimiter(',');
    settings.getFormat().setQuote(QUOTE);
    settings.getFormat().setQuoteEscape(QUOTE);
    // CRLF too: the '\r' before the '\n' is trailing space, dropped as spaces around any field are.
    settings.getFormat().setLineSeparator("\n");
    settings.setIgnoreLeadingWhitespaces(true);
    settings.setIgnoreTrailingWhitespaces(true);
    // univocity skips lines starting with '#' by default; a bill has no comments, and a value may start so.
    settings.getFormat().setComment('\0');
    // Quoted fields come back raw, quotes and doubled quotes kept, so that value() can tell "NULL" from NULL.
    settings.setKeepQuotes(true);
    settings.setKeepEscapeSequences(true);
    // Empty lines are records too (skipped by nextNonBlank), so that the parser's line count is the file's.
    settings.setSkipEmptyLines(false);
    // Without it univocity 2.9.1 leaves out of its line count the line breaks of a quoted field that holds no
    // doubled quote, and the lines of later errors would be wrong (CsvRecordsTest).
    settings.setNormalizeLineEndingsWithinQuotes(true);
    // A quote inside a quoted field that is not doubled is an error, not a guess at where the field ends.
    settings.setUnescapedQuoteHandling(UnescapedQuoteHandling.RAISE_ERROR);
    // An empty field is "", quoted or not, never null.
    settings.setNullValue("");
    settings.setEmptyValue("");
    // No limit on a field's length, as in Spark's CSV source.
    settings.setMaxCharsPerColumn(-1);
    settings.setMaxColumns(MAX_FIELDS);
    // A bill is read once, on the driver: no reader thread beside it.
    settings.setReadInputOnSeparateThread(false);
    return settings;
  }

  /** The next record, or empty at the end of the file; a quoted field left open is reported with its record's line. */
  Optional<CsvRecord> next() throws IOException {
    long start = parser.getContext().currentLine() + 1;
    String[] row;
    try {
      row = parser.parseNext();
    } catch (TextParsingException e) {
      throw new MalformedCsv(start, problem(e));
    }
    if (row == null) {
      return Optional.empty();
    }
    List<String> fields = new ArrayList<>(row.length);
    for (String raw : row) {
      fields.add(value(raw, start));
    }
    return Optional.of(new CsvRecord(start, List.copyOf(fields)));
  }

  /** The next record that is not blank, or empty at the end of the file. */
  Optional<CsvRecord> nextNonBlank() throws IOException {
    Optional<CsvRecord> record = next();
    while (record.isPresent() && record.get().isBlank()) {
      record = next();
    }
    return record;
  }

  /**
   * A field's value from the parser's raw field: an unquoted {@code NULL} is an empty field, as database exports
   * and the FinOps Foundation's FOCUS sample write one; a quoted "NULL" is the text. A quoted field has an even
   * number of quotes (its two and the doubled ones); one left open runs to the end of the file with an odd number
   * (except a lone quote as the file's last character, which univocity reads as "", an empty field).
   */
  private static String value(String raw, long line) {
    if (raw.isEmpty() || raw.charAt(0) != QUOTE) {
      return raw.equals("NULL") ? "" : raw;
    }
    if (raw.chars().filter(c -> c == QUOTE).count() % 2 != 0) {
      throw new MalformedCsv(line, "a quoted field opened on line " + line + " is never closed");
    }
    return raw.substring(1, raw.length() - 1).replace("\"\"", "\"");
  }

  /** What univocity could not parse, as one line; a read error it wraps is thrown as the {@link IOException} it is. */
  private static String problem(TextParsingException e) throws IOException {
    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof ArrayIndexOutOfBoundsException) {
        return "has more than " + MAX_FIELDS + " fields";
      }
    }
    return "field " + (e.getColumnIndex() + 1) + " is quoted but has a quote that is neither doubled nor"
        + " followed by a comma or the line's end";
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
