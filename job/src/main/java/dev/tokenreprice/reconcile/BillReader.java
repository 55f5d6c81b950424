package dev.tokenreprice.reconcile;

import dev.tokenreprice.cli.UsageException;
import dev.tokenreprice.ratecard.RateCard;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;

/**
 * Reads the bills of {@code --reconcile} on the driver (they are small) into one {@link Bill}, before any log
 * is read, so a malformed bill stops the run with a usage error. Each location is a file, a directory (its
 * files, not those starting with {@code _} or {@code .}) or a glob, on any Hadoop file system; {@code .gz} files
 * are decompressed. Each file's form is told from its content: JSON (it starts with {@code {} or {@code [}) is
 * Cost API pages; a CSV whose header has {@code BilledCost} and {@code ChargePeriodStart} is FOCUS; one with
 * {@code day}, {@code model} and {@code cost} is the generic form. Lines of the same day, provider and model are
 * summed, across files too.
 */
public final class BillReader {
  /** Spreadsheets save UTF-8 CSV with a byte order mark; it is no part of the first column's name. */
  private static final char BYTE_ORDER_MARK = '\uFEFF';
  private static final int PEEK_LIMIT = 1 << 16;
  /** The first bytes of a Parquet file: a FOCUS export saved as Parquet, which this reader does not read. */
  private static final String PARQUET_MAGIC = "PAR1";

  private BillReader() {}

  public static Bill read(List<String> locations, RateCard card, Configuration hadoopConf) {
    BillModels models = new BillModels(card);
    SortedMap<BillKey, BigDecimal> costs = new TreeMap<>();
    SortedMap<BillKey, UsageTokens> usage = new TreeMap<>();
    List<BillFile> files = new ArrayList<>();
    // A day's bucket of one form in two places would count twice; two forms (Anthropic's and OpenAI's) share days.
    Map<List<Object>, String> bucketFiles = new HashMap<>();
    for (String location : locations) {
      for (Path file : resolve(location, hadoopConf)) {
        String path = file.toString();
        FileRows read = readFile(path, file, models, card.currency(), hadoopConf);
        for (LocalDate day : read.buckets()) {
          String earlier = bucketFiles.putIfAbsent(List.of(read.form(), day), path);
          if (earlier != null) {
            throw BillFileException.of(path, "the " + read.form().label() + " bucket of " + day + " is also in "
                + (earlier.equals(path) ? "an earlier page of this file" : earlier)
                + ": its costs would count twice (keep each day's bucket in one page only)");
          }
        }
        read.rows().forEach(row -> costs.merge(row.key(), row.billedCost(), BigDecimal::add));
        read.usage().forEach((key, tokens) -> usage.merge(key, tokens, UsageTokens::plus));
        files.add(new BillFile(path, read.form(), read.rows().size() + read.usageLines(), read.linesSkipped(),
            read.rows().stream().map(row -> row.key().provider()).collect(java.util.stream.Collectors.toSet()),
            read.listPrices()));
      }
    }
    // The providers' cost APIs report web searches apart from the models; FOCUS and the generic CSV keep whatever
    // per-use fee they bill inside the line of the model it names.
    Set<String> toolFeesApart = new java.util.TreeSet<>();
    files.forEach(file -> file.form().toolFeesApartOf().ifPresent(toolFeesApart::add));
    return new Bill(costs, List.copyOf(files), toolFeesApart, usage);
  }

  private static List<Path> resolve(String location, Configuration hadoopConf) {
    try {
      Path path = new Path(location);
      FileSystem fs = path.getFileSystem(hadoopConf);
      FileStatus[] matches = fs.globStatus(path);
      if (matches == null || matches.length == 0) {
        throw new UsageException("reconcile file " + location + " does not exist (give the bill with --reconcile FILE:"
            + " Cost API JSON pages, a FOCUS CSV or a day,model,cost CSV)");
      }
      List<Path> files = new ArrayList<>();
      for (FileStatus match : matches) {
        if (match.isDirectory()) {
          Arrays.stream(fs.listStatus(match.getPath()))
              .filter(FileStatus::isFile)
              .map(FileStatus::getPath)
              .filter(file -> !file.getName().startsWith("_") && !file.getName().startsWith("."))
              .sorted()
              .forEach(files::add);
        } else {
          files.add(match.getPath());
        }
      }
      if (files.isEmpty()) {
        throw new UsageException("reconcile file " + location + " is an empty directory (give the bill's files)");
      }
      return files;
    } catch (IOException e) {
      throw new UsageException("reconcile file " + location + " cannot be read: " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      // Hadoop paths are URIs: a ':' in a file name cannot be one.
      throw new UsageException("reconcile file " + location + " cannot be read: " + e.getMessage()
          + " (rename files whose name holds a ':')", e);
    }
  }

  private static FileRows readFile(String path, Path file, BillModels models, String currency,
      Configuration hadoopConf) {
    try (Reader reader = open(file, hadoopConf)) {
      BufferedReader in = new BufferedReader(reader, PEEK_LIMIT);
      in.mark(1);
      if (in.read() != BYTE_ORDER_MARK) {
        in.reset();
      }
      if (startsWith(in, PARQUET_MAGIC)) {
        throw BillFileException.of(path, "is Parquet: bills are read as CSV or JSON (export the FOCUS data as CSV)");
      }
      Optional<Character> start = firstNonBlank(in);
      if (start.isEmpty()) {
        throw BillFileException.of(path, "is empty (give the bill's Cost API pages, FOCUS CSV or day,model,cost CSV)");
      }
      if (start.get() == '{' || start.get() == '[') {
        return CostApiPages.read(path, readAll(in), models, currency);
      }
      return readCsv(path, new CsvRecords(in), models, currency);
    } catch (CsvRecords.MalformedCsv e) {
      throw BillFileException.at(path, "line " + e.line(), e.getMessage() + " (write the CSV with RFC 4180 quoting)");
    } catch (IOException e) {
      throw new UsageException("reconcile file " + path + " cannot be read: " + e.getMessage(), e);
    }
  }

  private static FileRows readCsv(String path, CsvRecords records, BillModels models, String currency)
      throws IOException {
    CsvRecords.CsvRecord first = records.nextNonBlank().orElseThrow(() -> BillFileException.of(path,
        "has no header, only empty fields (give the bill's FOCUS CSV or day,model,cost CSV)"));
    CsvHeader header = new CsvHeader(first.fields());
    if (FocusCsv.accepts(header)) {
      return FocusCsv.read(path, header, records, models, currency);
    }
    if (GenericCsv.accepts(header)) {
      return GenericCsv.read(path, header, records, models, currency);
    }
    throw BillFileException.at(path, "line 1", "the header '" + header + "' is neither a FOCUS CSV (needs "
        + FocusCsv.BILLED_COST + " and " + FocusCsv.CHARGE_PERIOD_START + ") nor the generic form (needs "
        + String.join(",", GenericCsv.REQUIRED) + ", optionally provider)");
  }

  /** Whether the text starts with this prefix, all of it left unread. */
  private static boolean startsWith(BufferedReader in, String prefix) throws IOException {
    in.mark(prefix.length());
    try {
      char[] start = new char[prefix.length()];
      int read = in.read(start);
      return read == prefix.length() && new String(start).equals(prefix);
    } finally {
      in.reset();
    }
  }

  /** The first character that is not white space, all of it left unread (a CSV's line numbers count from its start). */
  private static Optional<Character> firstNonBlank(BufferedReader in) throws IOException {
    in.mark(PEEK_LIMIT);
    try {
      for (int read = 0; read < PEEK_LIMIT; read++) {
        int c = in.read();
        if (c == -1) {
          return Optional.empty();
        }
        if (!Character.isWhitespace(c)) {
          return Optional.of((char) c);
        }
      }
      return Optional.of(' ');
    } finally {
      in.reset();
    }
  }

  private static String readAll(Reader in) throws IOException {
    StringBuilder text = new StringBuilder();
    char[] buffer = new char[8192];
    for (int n = in.read(buffer); n != -1; n = in.read(buffer)) {
      text.append(buffer, 0, n);
    }
    return text.toString();
  }

  private static Reader open(Path file, Configuration hadoopConf) throws IOException {
    FileSystem fs = file.getFileSystem(hadoopConf);
    InputStream in = fs.open(file);
    CompressionCodec codec = new CompressionCodecFactory(hadoopConf).getCodec(file);
    return new InputStreamReader(codec == null ? in : codec.createInputStream(in), StandardCharsets.UTF_8);
  }
}
