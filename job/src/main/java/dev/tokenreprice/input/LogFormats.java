package dev.tokenreprice.input;

import dev.tokenreprice.cli.UsageException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Finds the log format a {@code --log-format} value names: {@code canonical}, a built-in mapping
 * (shipped in {@code conf/formats/} and, for clusters, inside the jar), or {@code mapping:FILE} on any
 * Hadoop file system. {@code auto} is not a format but a request to {@link FormatDetector detect} one per file.
 */
public final class LogFormats {
  public static final String CANONICAL = "canonical";
  public static final String AUTO = "auto";
  public static final String MAPPING_PREFIX = "mapping:";
  /** The built-in mappings, in the order {@code auto} tries them: the most specific shapes first. */
  public static final List<String> BUILT_IN = List.of("otel", "claude-code", "codex", "gemini-cli", "opencode",
      "bedrock", "openai", "anthropic", "gemini");

  private final Configuration hadoopConf;
  private final Map<String, LogFormat> loaded = new LinkedHashMap<>();

  public LogFormats(Configuration hadoopConf) {
    this.hadoopConf = hadoopConf;
  }

  /** Checks a {@code --log-format} value's form; whether a mapping file exists is checked when it is loaded. */
  public static String checkName(String value) {
    if (value.equals(CANONICAL) || value.equals(AUTO) || BUILT_IN.contains(value)
        || (value.startsWith(MAPPING_PREFIX) && value.length() > MAPPING_PREFIX.length())) {
      return value;
    }
    throw new UsageException("--log-format must be " + String.join(", ", names()) + " or mapping:FILE, cannot be: "
        + value);
  }

  public static List<String> names() {
    List<String> names = new ArrayList<>(List.of(CANONICAL, AUTO));
    names.addAll(BUILT_IN);
    return List.copyOf(names);
  }

  /**
   * The format a (checked) name stands for, not {@link #AUTO}, with {@code featureKey} in place of its own
   * {@code feature_key} when given.
   */
  public LogFormat named(String name, Optional<String> featureKey) {
    return loaded.computeIfAbsent(name + "\u0000" + featureKey.orElse(""), key -> load(name, featureKey));
  }

  /** Every built-in format and the canonical one, in the order detection tries them. */
  public List<LogFormat> detectable(Optional<String> featureKey) {
    List<LogFormat> formats = new ArrayList<>();
    BUILT_IN.forEach(name -> formats.add(named(name, featureKey)));
    formats.add(LogFormat.CANONICAL);
    return List.copyOf(formats);
  }

  private LogFormat load(String name, Optional<String> featureKey) {
    if (name.equals(CANONICAL)) {
      return LogFormat.CANONICAL;
    }
    if (name.startsWith(MAPPING_PREFIX)) {
      String file = name.substring(MAPPING_PREFIX.length());
      return LogFormatParser.parse(name, file, readFile(file), featureKey);
    }
    String resource = "/formats/" + name + ".yaml";
    try (InputStream in = LogFormats.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("the built-in log format " + resource + " is missing from the jar");
      }
      return LogFormatParser.parse(name, "conf/formats/" + name + ".yaml", in.readAllBytes(), featureKey);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the built-in log format " + resource, e);
    }
  }

  private byte[] readFile(String location) {
    Path path = new Path(location);
    try {
      FileSystem fs = path.getFileSystem(hadoopConf);
      if (!fs.exists(path) || !fs.getFileStatus(path).isFile()) {
        throw new UsageException("log format " + location + " does not exist (give a YAML mapping file as"
            + " --log-format mapping:FILE; conf/formats/ holds examples)");
      }
      try (InputStream in = fs.open(path)) {
        return in.readAllBytes();
      }
    } catch (IOException e) {
      throw new UsageException("log format " + location + " cannot be read: " + e.getMessage(), e);
    }
  }
}
