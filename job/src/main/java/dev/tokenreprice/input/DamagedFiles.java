package dev.tokenreprice.input;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;

/**
 * Finds, on the driver and before the pass, the input files Spark would fail the whole run on or read only in part:
 * an empty file (Spark drops it without a word), one the run may not read, a Parquet file whose footer is broken, a
 * JSONL file cut in the middle of its last line (Spark would quarantine the half record as bad JSON, not say the file
 * was cut), a compressed file cut short (Spark fails the run at its end). Such a file is listed as not read, with the
 * reason, and the run goes on with the rest. Spark's {@code ignoreCorruptFiles} is no answer: it keeps what it read
 * of a damaged file and says nothing.
 */
final class DamagedFiles {
  /** The longest last line looked at; a JSONL record of a log is far shorter. */
  private static final int LAST_LINE_LIMIT = 1 << 20;
  private static final ObjectMapper JSON = new ObjectMapper();

  private DamagedFiles() {}

  /** Why the file cannot be read whole, or empty when it can. */
  static Optional<String> damage(InputFile file, Configuration hadoopConf) {
    Path path = new Path(file.path());
    if (file.sizeBytes() == 0) {
      return Optional.of("damaged: empty file (0 bytes), nothing to read");
    }
    try {
      FileSystem fs = path.getFileSystem(hadoopConf);
      try (InputStream in = fs.open(path)) {
        in.read();
      } catch (IOException e) {
        return Optional.of("damaged: cannot be read: " + e.getMessage());
      }
      if (file.format() == FileFormat.PARQUET) {
        return parquetFooter(path, hadoopConf);
      }
      CompressionCodec codec = new CompressionCodecFactory(hadoopConf).getCodec(path);
      return codec == null ? lastLine(fs, path, file.sizeBytes()) : compressed(fs, path, codec);
    } catch (IOException e) {
      return Optional.of("damaged: cannot be read: " + e.getMessage());
    }
  }

  private static Optional<String> parquetFooter(Path path, Configuration hadoopConf) {
    try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(path, hadoopConf))) {
      reader.getFooter();
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.of("damaged: not a readable Parquet file (its footer is missing or broken: the file was cut"
          + " short or is not Parquet): " + e.getMessage());
    }
  }

  /**
   * A file that ends in the middle of a line: its last line is cut off, unless that line is a whole JSON record
   * (a writer that ends its file without a newline).
   */
  private static Optional<String> lastLine(FileSystem fs, Path path, long size) throws IOException {
    int tail = (int) Math.min(size, LAST_LINE_LIMIT);
    byte[] bytes = new byte[tail];
    try (FSDataInputStream in = fs.open(path)) {
      in.readFully(size - tail, bytes);
    }
    if (bytes[tail - 1] == '\n') {
      return Optional.empty();
    }
    int start = tail - 1;
    while (start > 0 && bytes[start - 1] != '\n') {
      start--;
    }
    String line = new String(bytes, start, tail - start, StandardCharsets.UTF_8).strip();
    if (line.isEmpty() || isJson(line)) {
      return Optional.empty();
    }
    return Optional.of("damaged: its last line is cut off (no newline at its end, and not a whole JSON record): the"
        + " file was cut short while it was written");
  }

  private static boolean isJson(String line) {
    try {
      JSON.readTree(line);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * A compressed file is read to its end: only its end (gzip's trailer of length and checksum) says it is whole,
   * and a file cut short fails the whole run when Spark reaches its end.
   */
  private static Optional<String> compressed(FileSystem fs, Path path, CompressionCodec codec) throws IOException {
    byte[] buffer = new byte[1 << 16];
    ByteArrayOutputStream lastLine = new ByteArrayOutputStream();
    try (InputStream in = codec.createInputStream(fs.open(path))) {
      for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
        int newline = -1;
        for (int i = read - 1; i >= 0; i--) {
          if (buffer[i] == '\n') {
            newline = i;
            break;
          }
        }
        if (newline >= 0) {
          lastLine.reset();
        }
        if (lastLine.size() < LAST_LINE_LIMIT) {
          lastLine.write(buffer, newline + 1, read - newline - 1);
        }
      }
    } catch (IOException | RuntimeException e) {
      return Optional.of("damaged: the compressed file is cut short or corrupt (" + e.getMessage() + ")");
    }
    String line = lastLine.toString(StandardCharsets.UTF_8).strip();
    if (line.isEmpty() || isJson(line)) {
      return Optional.empty();
    }
    return Optional.of("damaged: its last line is cut off (no newline at its end, and not a whole JSON record): the"
        + " file was cut short while it was written");
  }
}
