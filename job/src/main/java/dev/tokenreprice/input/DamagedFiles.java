package dev.tokenreprice.input;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;

/**
 * Finds, on the driver and before the pass, the input files Spark would fail the whole run on or drop without a word:
 * an empty file, one the run may not read, a Parquet file whose footer is broken, a compressed file cut short (Spark
 * fails the run at its end). Such a file is listed as not read, with the reason, and the run goes on with the rest.
 * Spark's {@code ignoreCorruptFiles} is no answer: it keeps what it read of a damaged file and says nothing.
 *
 * <p>A JSON lines file whose last line is cut off (a session still being written, a copy cut short) is read: its
 * whole lines are priced and the cut line is quarantined as a malformed record, so nothing it holds is lost.
 */
final class DamagedFiles {
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
      return codec == null ? Optional.empty() : compressed(fs, path, codec);
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
   * A compressed file is read to its end: only its end (gzip's trailer of length and checksum) says it is whole,
   * and a file cut short fails the whole run when Spark reaches its end.
   */
  private static Optional<String> compressed(FileSystem fs, Path path, CompressionCodec codec) {
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = codec.createInputStream(fs.open(path))) {
      while (in.read(buffer) >= 0) {
        // Read to the end: the codec checks the trailer there.
      }
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.of("damaged: the compressed file is cut short or corrupt (" + e.getMessage() + ")");
    }
  }
}
