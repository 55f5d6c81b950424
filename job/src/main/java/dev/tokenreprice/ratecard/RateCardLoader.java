package dev.tokenreprice.ratecard;

import dev.tokenreprice.cli.UsageException;
import java.io.IOException;
import java.io.InputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Reads the rate card through the Hadoop file system API, so it can live on {@code s3a:} or {@code hdfs:} too. */
public final class RateCardLoader {
  private RateCardLoader() {}

  public static RateCard load(String location, Configuration hadoopConf) {
    return RateCardParser.parse(location, read(location, hadoopConf));
  }

  private static byte[] read(String location, Configuration hadoopConf) {
    Path path = new Path(location);
    try {
      FileSystem fs = path.getFileSystem(hadoopConf);
      if (!fs.exists(path)) {
        throw new UsageException("rate card " + location + " does not exist (give the YAML file with --rate-card PATH)");
      }
      if (!fs.getFileStatus(path).isFile()) {
        throw new UsageException("rate card " + location + " is not a file (give the YAML file with --rate-card PATH)");
      }
      try (InputStream in = fs.open(path)) {
        return in.readAllBytes();
      }
    } catch (IOException e) {
      throw new UsageException("rate card " + location + " cannot be read: " + e.getMessage(), e);
    }
  }
}
