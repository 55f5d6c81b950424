package dev.tokenreprice.output;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;

/**
 * Writes small aggregated results as one UTF-8 CSV file that spreadsheets open as they are: a header,
 * RFC 4180 quoting (a field with a comma, quote or line break is quoted, quotes doubled), and decimals
 * in plain notation ({@code 0.000000120000}, never {@code 1.2E-7}), which Spark's own CSV writer does not
 * guarantee. Only aggregates come here, never log rows.
 */
public final class CsvFile {
  private CsvFile() {}

  public static void write(Path path, Configuration hadoopConf, List<String> header, Iterator<Row> rows) throws IOException {
    FileSystem fs = path.getFileSystem(hadoopConf);
    try (Writer out = new BufferedWriter(new OutputStreamWriter(fs.create(path, true), StandardCharsets.UTF_8))) {
      writeRecord(out, header.toArray());
      while (rows.hasNext()) {
        Row row = rows.next();
        Object[] values = new Object[row.length()];
        for (int i = 0; i < values.length; i++) {
          values[i] = row.get(i);
        }
        writeRecord(out, values);
      }
    }
  }

  static void writeRecord(Writer out, Object[] values) throws IOException {
    for (int i = 0; i < values.length; i++) {
      if (i > 0) {
        out.write(',');
      }
      out.write(field(values[i]));
    }
    out.write('\n');
  }

  /** One field as CSV text: empty for null, plain decimals, quoted where RFC 4180 requires. */
  public static String field(Object value) {
    if (value == null) {
      return "";
    }
    String text = value instanceof BigDecimal decimal ? decimal.toPlainString() : value.toString();
    if (text.indexOf(',') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
      return '"' + text.replace("\"", "\"\"") + '"';
    }
    return text;
  }
}
