package dev.tokenreprice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenreprice.input.FileFormat;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ArgumentParserTest {
  @Test
  void defaultsApplyWhereAFlagIsAbsent() {
    JobConfig config = ArgumentParser.parse("--input", "logs/");
    assertEquals(List.of("logs/"), config.inputPaths());
    assertEquals(ArgumentParser.RATE_CARD_DEFAULT, config.rateCard());
    assertEquals(ArgumentParser.OUT_DEFAULT, config.outDir());
    assertEquals(Optional.empty(), config.format());
    assertEquals(Period.ALL_DAYS, config.period());
    assertFalse(config.strict());
    assertTrue(config.report());
    assertFalse(config.quiet());
  }

  @Test
  void noReportAndQuietAreSwitches() {
    JobConfig config = ArgumentParser.parse("--input", "logs/", "--no-report", "--quiet");
    assertFalse(config.report());
    assertTrue(config.quiet());
  }

  @Test
  void everyFlagIsReadInBothForms() {
    JobConfig config = ArgumentParser.parse("--input", "a", "--input=s3a://b/*.jsonl.gz", "--format", "parquet",
        "--rate-card=card.yaml", "--out", "o", "--from", "2026-11-01", "--to=2026-11-30", "--strict");
    assertEquals(List.of("a", "s3a://b/*.jsonl.gz"), config.inputPaths());
    assertEquals(Optional.of(FileFormat.PARQUET), config.format());
    assertEquals("card.yaml", config.rateCard());
    assertEquals("o", config.outDir());
    assertEquals(Optional.of(LocalDate.parse("2026-11-01")), config.period().from());
    assertEquals(Optional.of(LocalDate.parse("2026-11-30")), config.period().to());
    assertTrue(config.strict());
    assertEquals("2026-11-01..2026-11-30", config.period().label());
  }

  @Test
  void badArgumentsAreUsageErrorsThatSayWhatWouldBeValid() {
    assertMessage("--input is required: give the token logs to price (see --help)");
    assertMessage("--from must be on or before --to, cannot be: --from 2026-11-30 --to 2026-11-01",
        "--input", "a", "--from", "2026-11-30", "--to", "2026-11-01");
    assertMessage("--from must be a UTC day as YYYY-MM-DD, cannot be: 2026-13-01", "--input", "a", "--from", "2026-13-01");
    assertMessage("--format must be jsonl or parquet, cannot be: csv", "--input", "a", "--format", "csv");
    assertMessage("unknown argument '--colour' (see --help for the flags)", "--input", "a", "--colour");
    assertMessage("--out needs a value (see --help)", "--input", "a", "--out");
    assertMessage("--wait-for-lock must be a whole number of seconds, 0 or more, cannot be: -1", "--input", "a",
        "--wait-for-lock=-1");
  }

  @Test
  void helpIsNotAnError() {
    assertThrows(ArgumentParser.HelpRequested.class, () -> ArgumentParser.parse("--help"));
  }

  /** A flag in {@link ArgumentParser#FLAGS} without a case of its own would throw IllegalStateException. */
  @Test
  void everyFlagOfTheListIsParsed() {
    Map<String, String> values = Map.ofEntries(Map.entry("--input", "b"), Map.entry("--format", "jsonl"),
        Map.entry("--log-format", "canonical"), Map.entry("--feature-key", "team"), Map.entry("--from", "2026-11-01"),
        Map.entry("--to", "2026-11-30"), Map.entry("--days-back", "3"), Map.entry("--rate-card", "card.yaml"),
        Map.entry("--out", "o"), Map.entry("--scenarios", "batch"), Map.entry("--reconcile", "bill.csv"),
        Map.entry("--tolerance", "1"), Map.entry("--table", "lake.finance.llm_costs"), Map.entry("--as-of", "r1"),
        Map.entry("--check-card", "litellm.json"), Map.entry("--on", "2026-12-01"), Map.entry("--wait-for-lock", "30"));
    for (String flag : ArgumentParser.FLAGS) {
      // --as-of renders a published run: it takes no logs and no bill, only the table it was published to;
      // --check-card and its --on read price tables only.
      List<String> args = new ArrayList<>(flag.equals(ArgumentParser.AS_OF)
          ? List.of("--table", "lake.finance.llm_costs", flag)
          : flag.equals(ArgumentParser.CHECK_CARD) || flag.equals(ArgumentParser.ON) ? List.of("--check-card", "t.json", flag)
          : List.of("--input", "a", "--reconcile", "bill.csv", flag));
      if (!ArgumentParser.SWITCHES.contains(flag)) {
        assertTrue(values.containsKey(flag), "give " + flag + " a value in this test");
        args.add(values.get(flag));
      }
      if (flag.equals(ArgumentParser.HELP)) {
        assertThrows(ArgumentParser.HelpRequested.class, () -> ArgumentParser.parse(args.toArray(String[]::new)));
      } else {
        ArgumentParser.parse(args.toArray(String[]::new));
      }
    }
  }

  private static void assertMessage(String expected, String... args) {
    assertEquals(expected, assertThrows(UsageException.class, () -> ArgumentParser.parse(args)).getMessage());
  }

  @Test
  void eachInputTakesTheLogFormatBeforeItAndASingleOneAppliesToAll() {
    Optional<String> none = Optional.empty();
    // A feature key after every input applies to all of them.
    JobConfig mixed = ArgumentParser.parse("--log-format", "anthropic", "--input", "a", "--input", "b",
        "--log-format=mapping:m.yaml", "--input", "c", "--feature-key", "team");
    assertEquals(List.of(new LogInput("a", "anthropic", Optional.of("team")), new LogInput("b", "anthropic", Optional.of("team")),
        new LogInput("c", "mapping:m.yaml", Optional.of("team"))), mixed.inputs());
    // Otherwise it applies to the inputs after it, and those before keep their format's own.
    JobConfig perInput = ArgumentParser.parse("--log-format", "otel", "--input", "a", "--feature-key", "team",
        "--log-format", "bedrock", "--input", "b", "--feature-key", "app", "--input", "c");
    assertEquals(List.of(new LogInput("a", "otel", none), new LogInput("b", "bedrock", Optional.of("team")),
        new LogInput("c", "bedrock", Optional.of("app"))), perInput.inputs());
    assertEquals(List.of(new LogInput("a", "otel", none)), ArgumentParser.parse("--input", "a", "--log-format", "otel").inputs());
    assertEquals(List.of(new LogInput("a", "canonical", none)), ArgumentParser.parse("--input", "a").inputs());
    UsageException ambiguous = assertThrows(UsageException.class, () -> ArgumentParser.parse(
        "--input", "a", "--log-format", "otel", "--input", "b", "--log-format", "openai", "--input", "c"));
    assertEquals("--input a comes before any --log-format while several are given: put a --log-format before each"
        + " --input", ambiguous.getMessage());
    assertThrows(UsageException.class, () -> ArgumentParser.parse("--log-format", "mapping:", "--input", "a"));
  }

  @Test
  void reconcileIsRepeatableAndTheToleranceIsAPercentWithOrWithoutItsSign() {
    JobConfig plain = ArgumentParser.parse("--input", "a");
    assertFalse(plain.reconciles());
    assertEquals(new java.math.BigDecimal("0.5"), plain.tolerancePercent());
    JobConfig config = ArgumentParser.parse("--input", "a", "--reconcile", "bills/cost-api/", "--reconcile=aws.csv",
        "--tolerance", "1.25%");
    assertEquals(List.of("bills/cost-api/", "aws.csv"), config.reconcile());
    assertEquals(new java.math.BigDecimal("1.25"), config.tolerancePercent());
    assertEquals(new java.math.BigDecimal("0"), ArgumentParser.parse("--input", "a", "--reconcile", "b.csv",
        "--tolerance", "0").tolerancePercent());
    for (String bad : new String[] {"-1", "abc", "0.5%%", "1e"}) {
      UsageException e = assertThrows(UsageException.class, () -> ArgumentParser.parse("--input", "a", "--reconcile",
          "b.csv", "--tolerance", bad));
      assertEquals("--tolerance must be a percentage of the billed cost that is 0 or more (0.5 or 0.5%), cannot be: "
          + bad, e.getMessage());
    }
    UsageException alone = assertThrows(UsageException.class, () -> ArgumentParser.parse("--input", "a",
        "--tolerance", "1"));
    assertTrue(alone.getMessage().startsWith("--tolerance applies to --reconcile"), alone.getMessage());
  }

  @Test
  void daysBackIsTheNDaysBeforeTodayInUtcWithTodayLeftOut() {
    // 00:30 on 2026-11-25 in UTC is still 2026-11-24 in New York: the UTC day counts.
    Clock clock = Clock.fixed(Instant.parse("2026-11-25T00:30:00Z"), ZoneId.of("America/New_York"));
    JobConfig config = ArgumentParser.parse(clock, "--input", "logs/", "--days-back", "3", "--since-last-run");
    assertEquals(new Period(Optional.of(LocalDate.parse("2026-11-22")), Optional.of(LocalDate.parse("2026-11-24"))),
        config.period());
    assertEquals(Optional.of(3), config.daysBack());
    assertTrue(config.sinceLastRun());
    assertFalse(ArgumentParser.parse(clock, "--input", "logs/").sinceLastRun());
  }

  @Test
  void daysBackMustBeAPositiveWholeNumberAndNotMeetFromOrTo() {
    for (String bad : List.of("0", "-2", "three", "1.5")) {
      UsageException e = assertThrows(UsageException.class, () -> ArgumentParser.parse("--input", "l", "--days-back", bad));
      assertEquals("--days-back must be a whole number of days, 1 or more, cannot be: " + bad, e.getMessage());
    }
    UsageException both = assertThrows(UsageException.class,
        () -> ArgumentParser.parse("--input", "l", "--days-back", "3", "--to", "2026-11-30"));
    assertTrue(both.getMessage().startsWith("--days-back sets the period itself"), both.getMessage());
  }

  @Test
  void tableNamesTheIcebergTablesAndAsOfTakesOnlyWhatRenderingARunNeeds() {
    JobConfig priced = ArgumentParser.parse("--input", "logs/", "--table", "lake.finance.llm_costs");
    assertEquals(Optional.of("lake.finance.llm_costs"), priced.table().map(Object::toString));
    assertEquals(Optional.empty(), priced.asOf());
    assertEquals(Optional.empty(), ArgumentParser.parse("--input", "logs/").table());

    JobConfig shown = ArgumentParser.parse("--as-of", "20261130T021500Z-1a2b3c4d", "--table=lake.finance.llm_costs",
        "--out", "o", "--no-report");
    assertEquals(Optional.of("20261130T021500Z-1a2b3c4d"), shown.asOf());
    assertEquals(List.of(), shown.inputs(), "no --input needed");
    assertEquals("o", shown.outDir());
    assertFalse(shown.report());

    assertEquals("--as-of reads the run's snapshots from its tables: give the --table it was published into",
        assertThrows(UsageException.class, () -> ArgumentParser.parse("--as-of", "20261130T021500Z-1a2b3c4d"))
            .getMessage());
    assertEquals("--as-of renders a published run again and prices nothing, cannot be given with --from (give only"
        + " --table, --out, --no-report and --quiet)", assertThrows(UsageException.class, () -> ArgumentParser.parse(
            "--as-of", "20261130T021500Z-1a2b3c4d", "--table", "lake.finance.llm_costs", "--from", "2026-11-01"))
        .getMessage());
    assertEquals("--as-of must be a run id as manifest.json's run_id gives it (20261130T021500Z-1a2b3c4d), cannot be:"
        + " ../x", assertThrows(UsageException.class, () -> ArgumentParser.parse("--as-of", "../x", "--table",
            "lake.finance.llm_costs")).getMessage());
  }

  @Test
  void checkCardTakesTablesRepeatedlyAndTheDayOfTheCheckDefaultingToTodayInUtc() {
    Clock clock = Clock.fixed(Instant.parse("2026-12-07T00:30:00Z"), ZoneId.of("America/New_York"));
    JobConfig check = ArgumentParser.parse(clock, "--check-card", "litellm.json", "--check-card", "api.json",
        "--rate-card", "card.yaml", "--out", "checked");
    assertEquals(new CardCheckRequest(List.of("litellm.json", "api.json"), LocalDate.parse("2026-12-07")),
        check.checkCard().orElseThrow());
    assertEquals("card.yaml", check.rateCard());
    assertEquals("checked", check.outDir());
    assertEquals(LocalDate.parse("2026-11-01"),
        ArgumentParser.parse(clock, "--check-card", "t.json", "--on", "2026-11-01").checkCard().orElseThrow().on());
    assertEquals(Optional.empty(), ArgumentParser.parse("--input", "logs").checkCard());
  }

  @Test
  void checkCardPricesNothingSoPricingFlagsAndAnOnWithoutATableAreUsageErrors() {
    UsageException withInput = assertThrows(UsageException.class,
        () -> ArgumentParser.parse("--check-card", "t.json", "--input", "logs"));
    assertTrue(withInput.getMessage().startsWith("--check-card compares the rate card with price tables and prices"
        + " nothing, cannot be given with --input"), withInput.getMessage());
    UsageException onAlone = assertThrows(UsageException.class, () -> ArgumentParser.parse("--input", "logs", "--on",
        "2026-11-01"));
    assertTrue(onAlone.getMessage().startsWith("--on is the day of --check-card"), onAlone.getMessage());
    assertTrue(assertThrows(UsageException.class, () -> ArgumentParser.parse("--check-card", "t.json", "--on", "Dec 1"))
        .getMessage().contains("--on must be a UTC day as YYYY-MM-DD, cannot be: Dec 1"));
  }
}
