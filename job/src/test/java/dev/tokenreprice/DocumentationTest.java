package dev.tokenreprice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenreprice.cli.ArgumentParser;
import dev.tokenreprice.input.LogFormats;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README and docs/ stay true to the code: every relative link resolves (to a file, and to a heading where it
 * names one), and every flag the parser knows, and every log format, is in {@code --help} (a flag with its default)
 * and in the docs. No Spark.
 */
class DocumentationTest {
  private static final Path ROOT = Path.of(System.getProperty("repo.root")).toAbsolutePath().normalize();
  private static final Path README = ROOT.resolve("README.md");

  /** {@code [text](target)} and {@code ![alt](target)}, with an optional title after the target. */
  private static final Pattern LINK = Pattern.compile("!?\\[([^\\]]*)\\]\\(\\s*<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
  private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");
  private static final Pattern HEADING = Pattern.compile("^ {0,3}(#{1,6})\\s+(.*?)\\s*#*\\s*$");
  private static final Pattern FENCE = Pattern.compile("^ {0,3}(```|~~~)");
  private static final Pattern CODE_SPAN = Pattern.compile("`[^`]*`");
  /** A help entry: a line that starts with two spaces and a flag. */
  private static final Pattern HELP_ENTRY = Pattern.compile("^  (--[a-z][a-z0-9-]*)\\b");
  /** The first cell of a markdown table row that names a flag: {@code | `--out DIR` | ...}. */
  private static final Pattern TABLE_FLAG = Pattern.compile("^\\|\\s*`(--[a-z][a-z0-9-]*)[^`]*`");

  @Test
  void everyRelativeLinkInTheReadmeAndDocsResolves() {
    List<String> broken = new ArrayList<>();
    for (Path page : pages()) {
      for (String target : links(page)) {
        checkLink(page, target).ifPresent(problem -> broken.add(ROOT.relativize(page) + ": (" + target + ") " + problem));
      }
    }
    assertEquals(List.of(), broken, "relative links in README.md and docs/ that do not resolve");
  }

  @Test
  void everyFlagTheParserKnowsIsInTheHelpAndInTheReadmeAndDocs() {
    String readme = read(README);
    StringBuilder docs = new StringBuilder();
    pages().stream().filter(page -> !page.equals(README)).forEach(page -> docs.append(read(page)).append('\n'));
    List<String> missing = new ArrayList<>();
    for (String flag : ArgumentParser.FLAGS) {
      if (!names(ArgumentParser.USAGE, flag)) {
        missing.add(flag + " is not named in --help (ArgumentParser.USAGE)");
      }
      if (!names(readme, flag)) {
        missing.add(flag + " is not named in README.md");
      }
      if (!names(docs.toString(), flag)) {
        missing.add(flag + " is not named in docs/*.md");
      }
    }
    assertEquals(List.of(), missing, "flags ArgumentParser.FLAGS knows that the help or the docs leave out");
  }

  @Test
  void everyLogFormatIsInTheHelpAndInTheLogFormatsPage() {
    String page = read(ROOT.resolve("docs/log-formats.md"));
    List<String> missing = new ArrayList<>();
    for (String name : LogFormats.names()) {
      if (!Pattern.compile("(?<![\\w-])" + Pattern.quote(name) + "(?![\\w-])").matcher(ArgumentParser.USAGE).find()) {
        missing.add(name + " is not named in --help (ArgumentParser.USAGE)");
      }
      if (!page.contains("`" + name + "`")) {
        missing.add(name + " is not named in docs/log-formats.md");
      }
    }
    assertEquals(List.of(), missing, "log formats LogFormats knows that the help or the docs leave out");
  }

  @Test
  void theHelpHasAnEntryWithItsDefaultForEveryFlagAndNoOther() {
    Map<String, String> entries = helpEntries();
    List<String> problems = new ArrayList<>();
    for (String flag : ArgumentParser.FLAGS) {
      String entry = entries.get(flag);
      if (entry == null) {
        problems.add(flag + " has no entry of its own in --help");
      } else if (!flag.equals(ArgumentParser.HELP) && !entry.contains("(default") && !entry.contains("(required)")) {
        problems.add(flag + " does not say its default in --help: " + entry);
      }
    }
    entries.keySet().stream().filter(flag -> !ArgumentParser.FLAGS.contains(flag))
        .forEach(flag -> problems.add(flag + " is in --help but ArgumentParser does not take it"));
    assertEquals(List.of(), problems, "--help (ArgumentParser.USAGE)");
  }

  @Test
  void theFlagTablesNameOnlyFlagsTheParserKnows() {
    List<String> unknown = new ArrayList<>();
    for (Path page : pages()) {
      for (String line : read(page).split("\n")) {
        Matcher flag = TABLE_FLAG.matcher(line);
        if (flag.find() && !ArgumentParser.FLAGS.contains(flag.group(1))) {
          unknown.add(ROOT.relativize(page) + ": " + flag.group(1));
        }
      }
    }
    assertEquals(List.of(), unknown, "flag tables naming a flag ArgumentParser does not take");
  }

  @Test
  void helpPrintsTheUsageAndExitsZeroWithoutStartingSpark() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = RepriceJob.run(new String[] {"--help"}, () -> {
      throw new AssertionError("--help must not start Spark");
    }, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(0, status);
    assertEquals(ArgumentParser.USAGE + System.lineSeparator(), out.toString(StandardCharsets.UTF_8));
    assertEquals("", err.toString(StandardCharsets.UTF_8));
    assertTrue(ArgumentParser.USAGE.contains("docs/operations.md"), "--help points to the docs");
  }

  @Test
  void theReadmeGivesTheTestCommandCiRuns() {
    String readme = read(README);
    List<String> missing = new ArrayList<>();
    for (String line : read(ROOT.resolve(".ci/run")).split("\n")) {
      String command = line.trim();
      if (command.startsWith("mvn ") && !readme.contains("\n" + command + "\n")) {
        missing.add(command);
      }
    }
    assertTrue(readme.contains("scripts/reprice --sample\nmvn -B verify\n"), "README.md gives the two set-up commands");
    assertTrue(readme.contains("the test command"), "README.md says which command is the test command");
    assertEquals(List.of(), missing, "Maven commands of .ci/run the README does not give");
  }

  /** The GitHub anchor of a heading: lower case, punctuation dropped, spaces as hyphens. */
  @Test
  void anchorsAreGitHubs() {
    assertEquals("running-on-a-cluster", slug("Running on a cluster"));
    assertEquals("outputs---out-dir", slug("Outputs (`--out DIR`)"));
    assertEquals("a-real-cluster-on-this-machine-scriptscluster-test", slug("A real cluster on this machine: `scripts/cluster-test`"));
    assertEquals("the-counterfactual-sheet", slug("The [counterfactual](x.md) sheet"));
    assertEquals("usage_part-and-rows", slug("usage_part and rows"));
  }

  private static List<Path> pages() {
    List<Path> pages = new ArrayList<>(List.of(README));
    try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
      docs.filter(path -> path.getFileName().toString().endsWith(".md")).sorted().forEach(pages::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return pages;
  }

  /** The link targets of a page, outside fenced code blocks and code spans. */
  private static List<String> links(Path page) {
    List<String> targets = new ArrayList<>();
    for (String line : prose(read(page))) {
      Matcher link = LINK.matcher(CODE_SPAN.matcher(line).replaceAll(""));
      while (link.find()) {
        targets.add(link.group(2));
      }
    }
    return targets;
  }

  /** Why a link does not resolve, or empty when it does. */
  private static java.util.Optional<String> checkLink(Path page, String target) {
    if (SCHEME.matcher(target).find()) {
      return java.util.Optional.empty();
    }
    int hash = target.indexOf('#');
    String path = hash < 0 ? target : target.substring(0, hash);
    String anchor = hash < 0 ? "" : target.substring(hash + 1);
    Path file = path.isEmpty() ? page : page.getParent().resolve(path).normalize();
    if (!file.startsWith(ROOT)) {
      return java.util.Optional.of("leaves the repository");
    }
    if (!Files.exists(file)) {
      return java.util.Optional.of(ROOT.relativize(file) + " does not exist");
    }
    if (!anchor.isEmpty()) {
      if (!file.getFileName().toString().endsWith(".md")) {
        return java.util.Optional.of("an anchor into a file that is not markdown");
      }
      if (!anchors(file).contains(anchor)) {
        return java.util.Optional.of(ROOT.relativize(file) + " has no heading #" + anchor);
      }
    }
    return java.util.Optional.empty();
  }

  /** Every heading anchor of a page, as GitHub numbers repeated ones (-1, -2, ...). */
  private static Set<String> anchors(Path page) {
    Set<String> anchors = new LinkedHashSet<>();
    Map<String, Integer> seen = new HashMap<>();
    for (String line : prose(read(page))) {
      Matcher heading = HEADING.matcher(line);
      if (heading.matches()) {
        String slug = slug(heading.group(2));
        int count = seen.merge(slug, 1, Integer::sum);
        anchors.add(count == 1 ? slug : slug + "-" + (count - 1));
      }
    }
    return anchors;
  }

  private static String slug(String heading) {
    String text = LINK.matcher(heading).replaceAll("$1").replace("`", "");
    return text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
  }

  /** The lines of a page outside fenced code blocks. */
  private static List<String> prose(String text) {
    List<String> lines = new ArrayList<>();
    boolean inFence = false;
    for (String line : text.split("\n")) {
      if (FENCE.matcher(line).find()) {
        inFence = !inFence;
      } else if (!inFence) {
        lines.add(line);
      }
    }
    return lines;
  }

  /** Each flag of the help with the text of its entry (its line and the indented lines after it). */
  private static Map<String, String> helpEntries() {
    Map<String, String> entries = new LinkedHashMap<>();
    String current = null;
    for (String line : ArgumentParser.USAGE.split("\n")) {
      Matcher entry = HELP_ENTRY.matcher(line);
      if (entry.find()) {
        current = entry.group(1);
        entries.put(current, line.trim());
      } else if (current != null && line.startsWith("    ")) {
        entries.put(current, entries.get(current) + " " + line.trim());
      } else {
        current = null;
      }
    }
    return entries;
  }

  /** Whether a text names a flag as a whole word ({@code --out} is not named by {@code --outside}). */
  private static boolean names(String text, String flag) {
    return Pattern.compile("(?<![\\w-])" + Pattern.quote(flag) + "(?![\\w-])").matcher(text).find();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
