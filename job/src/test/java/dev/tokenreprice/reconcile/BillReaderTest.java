package dev.tokenreprice.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenreprice.cli.Period;
import dev.tokenreprice.cli.UsageException;
import dev.tokenreprice.ratecard.RateCard;
import dev.tokenreprice.testing.SharedSpark;
import dev.tokenreprice.testing.TestCards;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each bill form read from tiny hand-written files into canonical bill rows, and each malformed file refused. */
class BillReaderTest {
  private static final RateCard CARD = TestCards.parse("""
      currency: USD
      models:
        - provider: anthropic
          model: claude-sonnet-4-5
          aliases: [claude-sonnet-4-5-20250929]
          rates:
            - {effective_from: 2025-09-29, input: 3, output: 15}
        - provider: bedrock
          model: claude-haiku-4-5
          aliases: ["anthropic.claude-haiku-4-5-20251001-v1:0"]
          rates:
            - {effective_from: 2025-10-01, input: 1, output: 5}
        - provider: openai
          model: gpt-5.4-mini
          rates:
            - {effective_from: 2026-03-05, input: 0.75, output: 4.5}
      """);
  private static final LocalDate NOV_3 = LocalDate.parse("2026-11-03");
  private static final LocalDate NOV_4 = LocalDate.parse("2026-11-04");

  @TempDir
  Path dir;

  // ---- Anthropic Cost API pages

  private static final String PAGE = """
      {"data": [
        {"starting_at": "2026-11-03T00:00:00Z", "ending_at": "2026-11-04T00:00:00Z", "results": [
          {"currency": "USD", "amount": "123.45", "cost_type": "tokens", "model": "claude-sonnet-4-5-20250929",
           "token_type": "uncached_input_tokens", "description": "Claude Sonnet 4.5 Usage - Input Tokens"},
          {"currency": "USD", "amount": "0.5", "cost_type": "tokens", "model": "claude-sonnet-4-5-20250929",
           "token_type": "output_tokens"},
          {"currency": "USD", "amount": "1000", "cost_type": "web_search", "model": null},
          {"currency": "USD", "amount": "5", "cost_type": "code_execution", "model": null},
          {"currency": "USD", "amount": "7", "cost_type": "tokens", "model": "claude-imaginary-9"}
        ]},
        {"starting_at": "2026-11-04T00:00:00Z", "ending_at": "2026-11-05T00:00:00Z", "results": []}
      ], "has_more": false, "next_page": null}
      """;

  @Test
  void costApiCentsBecomeDollarsExactlyAndTokenTypesAreSummedUnderTheCardsModelId() throws IOException {
    Bill bill = read(write("cost.json", PAGE));
    // 123.45 + 0.5 cents = 123.95 cents = 1.2395 USD; the alias is reported under the card's id.
    assertEquals(Map.of(key(NOV_3, "anthropic", "claude-sonnet-4-5"), new BigDecimal("1.2395"),
        key(NOV_3, "anthropic", "claude-imaginary-9"), new BigDecimal("0.07"),
        key(NOV_3, "anthropic", BillKey.TOOL_FEES), new BigDecimal("10.00")), bill.billedCosts());
    // Kept: three token lines and the web search; skipped: code execution, billed by container-hour.
    assertEquals(List.of(new BillFile(bill.files().get(0).path(), BillForm.COST_API, 4, 1, Set.of("anthropic"))), bill.files());
    assertEquals(Set.of("anthropic"), bill.toolFeesApart());
  }

  @Test
  void costApiWebSearchCostsAreComparedWithTheRunsToolCostAndTheModelsWithTheirTokenCost() throws IOException {
    Bill bill = read(write("cost.json", """
        {"data": [{"starting_at": "2026-11-03T00:00:00Z", "ending_at": "2026-11-04T00:00:00Z", "results": [
          {"currency": "USD", "amount": "0.09", "cost_type": "tokens", "model": "claude-sonnet-4-5",
           "token_type": "uncached_input_tokens"},
          {"currency": "USD", "amount": "3", "cost_type": "web_search", "model": null, "description": "Web Search"}
        ]}], "has_more": false, "next_page": null}
        """));
    // The rollup of one request: 300 input tokens of Sonnet 4.5 (0.0009) and 3 web searches (0.03).
    Dataset<Row> rollup = SharedSpark.session().sql("SELECT DATE'2026-11-03' AS day, 'anthropic' AS provider,"
        + " 'claude-sonnet-4-5' AS model, CAST('0.030900000000' AS DECIMAL(38, 12)) AS total_cost,"
        + " CAST('0.030000000000' AS DECIMAL(38, 12)) AS tool_cost");
    Reconciliation reconciliation = Reconciliation.of(JobCosts.byDayAndModel(rollup.collectAsList(), bill.toolFeesApart()), bill,
        Period.ALL_DAYS, new BigDecimal("0.5"));
    assertEquals(List.of("2026-11-03 anthropic claude-sonnet-4-5 0.000900000000 0.0009 MATCH",
        "2026-11-03 anthropic web_search 0.030000000000 0.03 MATCH"), reconciliation.lines().stream()
        .map(line -> line.key().day() + " " + line.key().provider() + " " + line.key().model() + " "
            + line.jobCost().orElseThrow().toPlainString() + " " + line.billedCost().orElseThrow().toPlainString()
            + " " + line.status()).toList());
    assertEquals(0, new BigDecimal("0.0309").compareTo(reconciliation.jobTotal()));
    assertEquals(0, new BigDecimal("0.0309").compareTo(reconciliation.billedTotal()));
    // Without fee lines of its own (FOCUS, generic CSV) a model's cost is its total_cost, fees included.
    assertEquals(new BigDecimal("0.030900000000"),
        JobCosts.byDayAndModel(rollup.collectAsList()).get(new BillKey(NOV_3, "anthropic", "claude-sonnet-4-5")));
  }

  @Test
  void costApiPagesAreReadFromADirectoryOrAsAnArrayAndABucketSavedTwiceIsRefused() throws IOException {
    Path pages = Files.createDirectories(dir.resolve("pages"));
    write("pages/page-1.json", PAGE);
    write("pages/page-2.json", """
        {"data": [{"starting_at": "2026-11-05T00:00:00Z", "ending_at": "2026-11-06T00:00:00Z", "results": [
          {"amount": "250", "cost_type": "tokens", "model": "claude-sonnet-4-5"}]}], "has_more": false}
        """);
    write("pages/_SUCCESS", "");
    Bill bill = read(pages);
    assertEquals(new BigDecimal("2.50"), bill.billedCosts().get(key(LocalDate.parse("2026-11-05"), "anthropic",
        "claude-sonnet-4-5")));
    assertEquals(2, bill.files().size());

    Path array = write("array.json", "[" + PAGE + "," + PAGE + "]");
    UsageException twice = assertThrows(UsageException.class, () -> read(array));
    assertMessage(twice, "array.json", "bucket of 2026-11-03 is also in an earlier page of this file");

    // Pages appended one per line, as a fetch loop writes them.
    String nextPage = "{\"data\": [{\"starting_at\": \"2026-11-07T00:00:00Z\", \"results\": [{\"amount\": 1,"
        + " \"model\": \"claude-sonnet-4-5\"}]}]}";
    Bill lines = read(write("pages.jsonl", PAGE.replace("\n", " ") + "\n" + nextPage + "\n"));
    assertEquals(new BigDecimal("1.2395"), lines.billedCosts().get(key(NOV_3, "anthropic", "claude-sonnet-4-5")));
    assertEquals(new BigDecimal("0.01"), lines.billedCosts().get(key(LocalDate.parse("2026-11-07"), "anthropic",
        "claude-sonnet-4-5")));

    write("pages/page-3.json", PAGE);
    UsageException again = assertThrows(UsageException.class, () -> read(pages));
    assertMessage(again, "page-3.json", "bucket of 2026-11-03 is also in", "page-1.json");
  }

  @Test
  void malformedCostApiPagesExitTwoNamingTheFileThePlaceAndTheField() throws IOException {
    assertRefused("{\"data\": [", "not valid JSON");
    assertRefused("{\"results\": []}", "page: 'data' is missing");
    assertRefused(PAGE.replace("\"123.45\"", "\"12,30\""), "page, data[0] (2026-11-03), results[0]",
        "'amount' must be a decimal string of cents", "12,30");
    assertRefused(PAGE.replace("\"cost_type\": \"tokens\", \"model\": \"claude-imaginary-9\"", "\"model\": null"),
        "results[4]", "'model' is missing", "group_by[]=description");
    assertRefused(PAGE.replace("\"2026-11-03T00:00:00Z\"", "\"Nov 3\""), "data[0]", "'starting_at'", "Nov 3");
    assertRefused(PAGE.replace("\"2026-11-04T00:00:00Z\", \"results\": [\n", "\"2026-11-03T01:00:00Z\", \"results\": [\n"),
        "data[0]", "is not one day", "bucket_width=1d");
    assertRefused(PAGE.replace("\"USD\", \"amount\": \"0.5\"", "\"EUR\", \"amount\": \"0.5\""), "results[1]",
        "'currency' must be the rate card's currency USD, cannot be: EUR");
  }

  // ---- FOCUS

  private static final String FOCUS_HEADER =
      "BillingCurrency,ChargeCategory,ChargeDescription,ChargePeriodStart,ChargePeriodEnd,ProviderName,PublisherName,"
          + "ServiceName,SkuId,BilledCost\n";

  @Test
  void focusLinesAreSummedPerUtcDayWithTheModelFromSkuOrServiceNameAndOtherChargesLeftOut() throws IOException {
    Bill bill = read(write("focus.csv", "\uFEFF" + FOCUS_HEADER
        // Two hourly Bedrock lines, the model only in the display name; the second starts on Nov 4 in UTC.
        + "USD,Usage,\"Claude Haiku 4.5, input\",2026-11-03T10:00:00Z,2026-11-03T11:00:00Z,AWS,Anthropic,"
        + "Claude Haiku 4.5 (Amazon Bedrock Edition),,0.25\n"
        + "USD,Usage,output,2026-11-03T23:00:00-02:00,2026-11-04T02:00:00Z,Amazon Web Services,Anthropic,"
        + "Claude Haiku 4.5 (Amazon Bedrock Edition),,0.125\n"
        + "USD,Usage,output,2026-11-03 12:00:00,2026-11-03 13:00:00,AWS,Anthropic,"
        + "Claude Haiku 4.5 (Amazon Bedrock Edition),,0.375\n"
        + "USD,Usage,output,2026-11-03 13:00:00+00:00,2026-11-03 14:00:00 UTC,AWS,Anthropic,"
        + "Claude Haiku 4.5 (Amazon Bedrock Edition),,0.125\n"
        + "\n"
        + "USD,Usage,tokens,2026-11-03T00:00:00Z,2026-11-04T00:00:00Z,\"OpenAI, Inc.\",OpenAI,OpenAI API,gpt-5.4-mini,1.10\n"
        + "USD,Tax,sales tax,2026-11-03T00:00:00Z,2026-11-04T00:00:00Z,AWS,AWS,Amazon Bedrock,,9.99\n"
        + "USD,Usage,storage,2026-11-03T00:00:00Z,2026-11-04T00:00:00Z,AWS,AWS,Amazon S3,TimedStorage-ByteHrs,3.00\n"));
    assertEquals(Map.of(
        // 0.25 + 0.375 + 0.125, the last two written as SQL exports write times
        key(NOV_3, "bedrock", "claude-haiku-4-5"), new BigDecimal("0.750"),
        key(NOV_4, "bedrock", "claude-haiku-4-5"), new BigDecimal("0.125"),
        key(NOV_3, "openai", "gpt-5.4-mini"), new BigDecimal("1.10")), bill.billedCosts());
    assertEquals(BillForm.FOCUS, bill.files().get(0).form());
    assertEquals(2, bill.files().get(0).linesSkipped());
  }

  @Test
  void aBedrockEditionServiceTheCardLacksIsStillAModelsCostUnderTheBillsName() throws IOException {
    Bill bill = read(write("focus.csv", FOCUS_HEADER
        + "USD,Usage,input,2026-11-03T00:00:00Z,2026-11-04T00:00:00Z,AWS,Anthropic,"
        + "Claude Sonnet 4.5 (Amazon Bedrock Edition),,2.50\n"
        + "USD,Usage,storage,2026-11-03T00:00:00Z,2026-11-04T00:00:00Z,AWS,AWS,Amazon S3,TimedStorage-ByteHrs,3.00\n"));
    assertEquals(Map.of(key(NOV_3, "bedrock", "Claude Sonnet 4.5 (Amazon Bedrock Edition)"), new BigDecimal("2.50")),
        bill.billedCosts());
    assertEquals(1, bill.files().get(0).linesSkipped());
  }

  @Test
  void liteLlmsFocusExportNamesTheModelInTheResourceWithAProviderPrefix() throws IOException {
    // LiteLLM's exporter: the model in ResourceName / ResourceId, a model group or "LLM Inference" as the service.
    Bill bill = read(write("litellm.csv", "BilledCost,BillingCurrency,ChargeCategory,ChargePeriodStart,"
        + "ChargePeriodEnd,ProviderName,ServiceName,ResourceId,ResourceName\n"
        + "0.40,USD,Usage,2026-11-03T00:00:00Z,2026-11-04T00:00:00Z,LiteLLM,LLM Inference,"
        + "anthropic/claude-sonnet-4-5,anthropic/claude-sonnet-4-5\n"
        + "0.10,USD,Usage,2026-11-03T00:00:00Z,2026-11-04T00:00:00Z,LiteLLM,smart-group,"
        + "openai/gpt-5.4-mini,openai/gpt-5.4-mini\n"
        + "0.05,USD,Usage,2026-11-03T00:00:00Z,2026-11-04T00:00:00Z,NULL,LLM Inference,"
        + "claude-sonnet-4-5-20250929,claude-sonnet-4-5-20250929\n"));
    assertEquals(Map.of(key(NOV_3, "anthropic", "claude-sonnet-4-5"), new BigDecimal("0.45"),
        key(NOV_3, "openai", "gpt-5.4-mini"), new BigDecimal("0.10")), bill.billedCosts());
    assertEquals(0, bill.files().get(0).linesSkipped());
  }

  @Test
  void anExportFoldersManifestIsSkippedAndCountedAndOtherJsonBillsAreNamed() throws IOException {
    Path folder = Files.createDirectories(dir.resolve("azure-export"));
    Files.writeString(folder.resolve("manifest.json"), """
        {"manifestVersion": "2024-04-01", "byteCount": 160, "blobCount": 1, "dataRowCount": 1,
         "exportConfig": {"exportName": "daily-focus", "type": "FocusCost", "dataVersion": "1.0"},
         "blobs": [{"blobName": "part_0_0001.csv", "byteCount": 160, "dataRowCount": 1}]}
        """);
    Files.writeString(folder.resolve("part_0_0001.csv"),
        "ChargePeriodStart,ProviderName,ServiceName,SkuId,BilledCost\n2026-11-03T00:00:00Z,OpenAI,OpenAI API,"
            + "gpt-5.4-mini,1.10\n");
    Bill bill = read(folder);
    assertEquals(Map.of(key(NOV_3, "openai", "gpt-5.4-mini"), new BigDecimal("1.10")), bill.billedCosts());
    assertEquals(List.of(BillForm.EXPORTER_METADATA, BillForm.FOCUS),
        bill.files().stream().map(BillFile::form).toList());
    assertEquals(List.of(), bill.filesContributingNothing(), "an exporter's metadata is no bill file that failed");

    UsageException openAi = assertThrows(UsageException.class, () -> read(write("openai-images.json", """
        {"object": "page", "data": [{"object": "bucket", "start_time": 1762128000, "end_time": 1762214400,
         "results": [{"object": "organization.usage.images.result", "images": 2, "num_model_requests": 2,
         "model": null}]}], "has_more": false, "next_page": null}
        """)));
    assertMessage(openAi, "looks like an OpenAI API page of organization.usage.images.result",
        "it reads Anthropic's and OpenAI's cost and usage API pages (JSON), a FOCUS CSV or a day,model,cost CSV");
    UsageException liteLlm = assertThrows(UsageException.class, () -> read(write("litellm-spend.json", """
        [{"request_id": "r1", "model": "claude-sonnet-4-5", "spend": 0.0045, "startTime": "2026-11-03T10:00:00Z"}]
        """)));
    assertMessage(liteLlm, "looks like a LiteLLM spend export");
  }

  @Test
  void usageApiPagesGiveEachDaysTokensByModelAndNoCost() throws IOException {
    Bill bill = read(write("usage.json", """
        {"data": [{"starting_at": "2026-11-03T00:00:00Z", "ending_at": "2026-11-04T00:00:00Z", "results": [
          {"uncached_input_tokens": 1000, "cache_creation": {"ephemeral_1h_input_tokens": 20,
           "ephemeral_5m_input_tokens": 30}, "cache_read_input_tokens": 4000, "output_tokens": 500,
           "server_tool_use": {"web_search_requests": 2}, "api_key_id": null, "workspace_id": null,
           "model": "claude-sonnet-4-5-20250929", "service_tier": "standard", "context_window": "0-200k"},
          {"uncached_input_tokens": 10, "cache_creation": {"ephemeral_1h_input_tokens": 0,
           "ephemeral_5m_input_tokens": 0}, "cache_read_input_tokens": 0, "output_tokens": 5,
           "model": "claude-sonnet-4-5", "service_tier": "batch"}]}],
         "has_more": false, "next_page": null}
        """));
    assertEquals(Map.of(), bill.billedCosts());
    assertEquals(Map.of(key(NOV_3, "anthropic", "claude-sonnet-4-5"), new UsageTokens(1010, 505, 30, 20, 4000)),
        bill.usageTokens());
    assertEquals(BillForm.USAGE_REPORT, bill.files().get(0).form());
    assertTrue(bill.hasUsageReport());
    assertEquals(List.of(), bill.filesContributingNothing(), "a usage report contributes tokens");
  }

  @Test
  void aFocusModelColumnNamesTheModelEvenWhenTheCardDoesNotHaveIt() throws IOException {
    Bill bill = read(write("focus.csv", "ChargePeriodStart,ProviderName,ServiceName,x_Model,BilledCost\n"
        + "2026-11-03,Anthropic,Claude API,claude-sonnet-4-5-20250929,2\n"
        + "2026-11-03,\"Anthropic, PBC\",Claude API,claude-imaginary-9,3\n"));
    assertEquals(Map.of(key(NOV_3, "anthropic", "claude-sonnet-4-5"), new BigDecimal("2"),
        key(NOV_3, "anthropic", "claude-imaginary-9"), new BigDecimal("3")), bill.billedCosts());
  }

  @Test
  void malformedFocusFilesExitTwoNamingTheFileTheLineAndTheField() throws IOException {
    String line = "USD,Usage,x,2026-11-03T00:00:00Z,2026-11-04T00:00:00Z,OpenAI,OpenAI,OpenAI API,gpt-5.4-mini,1.10\n";
    assertRefused(FOCUS_HEADER + line + line.replace("1.10", "1.10 USD"), "line 3",
        "'BilledCost' must be a plain decimal", "1.10 USD");
    assertRefused(FOCUS_HEADER + line.replace("2026-11-03T00:00:00Z", "yesterday"), "line 2",
        "'ChargePeriodStart' must be an ISO-8601 date-time", "yesterday");
    assertRefused(FOCUS_HEADER + line.replace("2026-11-04T00:00:00Z", "2026-12-01T00:00:00Z"), "line 2",
        "not within one UTC day", "daily or hourly granularity");
    assertRefused(FOCUS_HEADER + line.replace("USD,", "EUR,"), "line 2", "'BillingCurrency' must be the rate card's"
        + " currency USD, cannot be: EUR");
    assertRefused(FOCUS_HEADER + line.replace(",1.10", ","), "line 2", "'BilledCost' is empty");
    assertRefused(FOCUS_HEADER + line.replace("x,", "\"x,"), "line 2", "never closed");
  }

  @Test
  void aQuotedFieldSpanningLinesLeavesTheLinesOfLaterErrorsThoseOfTheFile() throws IOException {
    String line = "USD,Usage,x,2026-11-03T00:00:00Z,2026-11-04T00:00:00Z,OpenAI,OpenAI,OpenAI API,gpt-5.4-mini,1.10\n";
    String spanning = line.replace(",x,", ",\"input tokens,\r\ncached\n(batch)\",");
    assertEquals(Map.of(key(NOV_3, "openai", "gpt-5.4-mini"), new BigDecimal("2.20")),
        read(write("focus.csv", FOCUS_HEADER + spanning + line)).billedCosts());
    assertRefused(FOCUS_HEADER + spanning + line.replace("1.10", "1.10 USD"), "line 5",
        "'BilledCost' must be a plain decimal", "1.10 USD");
    assertRefused(FOCUS_HEADER + spanning + line + line.replace("x,", "\"x,") + line, "line 6",
        "a quoted field opened on line 6 is never closed", "(write the CSV with RFC 4180 quoting)");
    assertRefused(FOCUS_HEADER + spanning + line.replace(",x,", ",\"x\" y,"), "line 5",
        "field 3 is quoted but has a quote that is neither doubled nor followed by a comma or the line's end");
  }

  // ---- generic CSV

  @Test
  void genericLinesOfOneDayAndModelAreSummedWithAnthropicAsTheDefaultProvider() throws IOException {
    Path gz = dir.resolve("invoice.csv.gz");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
      out.write(("Day, Model ,Cost,provider,note\r\n"
          + "2026-11-03,claude-sonnet-4-5-20250929,1.25,,first half\r\n"
          + "2026-11-03,Claude Sonnet 4.5,0.75,Anthropic,\"second, half\"\r\n"
          + "2026-11-04,GPT-5.4 mini,0.10,openai,\r\n"
          + "2026-11-04,gpt-9,0.20,openai,\r\n").getBytes(StandardCharsets.UTF_8));
    }
    Files.write(gz, bytes.toByteArray());
    Bill bill = read(gz);
    assertEquals(Map.of(key(NOV_3, "anthropic", "claude-sonnet-4-5"), new BigDecimal("2.00"),
        key(NOV_4, "openai", "gpt-5.4-mini"), new BigDecimal("0.10"),
        key(NOV_4, "openai", "gpt-9"), new BigDecimal("0.20")), bill.billedCosts());
    assertEquals(BillForm.GENERIC, bill.files().get(0).form());
  }

  @Test
  void aGenericLineWithoutProviderIsOfTheCardsProviderThatHasItsModelAndProviderNamesReadAsTheLogsNameThem()
      throws IOException {
    Bill bill = read(write("invoice.csv", "day,model,cost,provider,currency\n"
        // no provider: gpt-5.4-mini is only openai's, the haiku only bedrock's in this card, gpt-9 nobody's
        + "2026-11-03,gpt-5.4-mini,1.5,,USD\n"
        + "2026-11-03,claude-haiku-4-5,0.25,,usd\n"
        + "2026-11-03,gpt-9,0.5,,\n"
        + "2026-11-03,claude-haiku-4-5,0.5,AWS Bedrock,\n"
        + "2026-11-03,claude-sonnet-4-5,2,\"Anthropic, PBC\",\n"
        + "2026-11-03,gpt-5.4-mini,0.5,\"OpenAI, Inc.\",\n"
        // a day written as a date-time is its UTC day
        + "2026-11-04T00:00:00Z,claude-sonnet-4-5,1,anthropic,\n"
        + "2026-11-04T23:30:00-02:00,claude-sonnet-4-5,1,anthropic,\n"
        // rows of empty fields, as a spreadsheet saves them below the last row
        + ",,,,\n,,,,\n"));
    assertEquals(Map.of(key(NOV_3, "openai", "gpt-5.4-mini"), new BigDecimal("2.0"),
        key(NOV_3, "bedrock", "claude-haiku-4-5"), new BigDecimal("0.75"),
        key(NOV_3, "anthropic", "gpt-9"), new BigDecimal("0.5"),
        key(NOV_3, "anthropic", "claude-sonnet-4-5"), new BigDecimal("2"),
        key(NOV_4, "anthropic", "claude-sonnet-4-5"), new BigDecimal("1"),
        key(NOV_4.plusDays(1), "anthropic", "claude-sonnet-4-5"), new BigDecimal("1")), bill.billedCosts());
  }

  @Test
  void aFocusLineWithoutProviderIsOfTheCardsProviderThatHasItsModel() throws IOException {
    Bill bill = read(write("focus.csv", "ChargePeriodStart,BilledCost,SkuId\n"
        + "2026-11-03T00:00:00Z,1.5,gpt-5.4-mini\n"
        + "2026-11-03T00:00:00Z,2.5,claude-sonnet-4-5-20250929\n"
        + "2026-11-03T00:00:00Z,9,TimedStorage-ByteHrs\n"));
    assertEquals(Map.of(key(NOV_3, "openai", "gpt-5.4-mini"), new BigDecimal("1.5"),
        key(NOV_3, "anthropic", "claude-sonnet-4-5"), new BigDecimal("2.5")), bill.billedCosts());
    assertEquals(1, bill.files().get(0).linesSkipped());
  }

  @Test
  void billModelIdsAreReadAsTheLogFormatsReadThemWithoutInferenceProfileOrSnapshotDate() throws IOException {
    Bill bill = read(write("invoice.csv", "day,model,cost\n"
        + "2026-11-03,us.anthropic.claude-haiku-4-5-20251001-v1:0,1\n"
        + "2026-11-03,global.anthropic.claude-haiku-4-5-20251001-v1:0,2\n"
        + "2026-11-03,gpt-5.4-mini-2026-03-05,0.5\n"));
    assertEquals(Map.of(key(NOV_3, "bedrock", "claude-haiku-4-5"), new BigDecimal("3"),
        key(NOV_3, "openai", "gpt-5.4-mini"), new BigDecimal("0.5")), bill.billedCosts());
  }

  @Test
  void aFocusExportWithTheOlderChargeTypeColumnCountsOnlyItsUsageLines() throws IOException {
    Bill bill = read(write("focus.csv", "ChargeType,ChargePeriodStart,ProviderName,SkuId,BilledCost\n"
        + "Usage,2026-11-03T00:00:00Z,OpenAI,gpt-5.4-mini,1.5\n"
        + "Tax,2026-11-03T00:00:00Z,OpenAI,gpt-5.4-mini,0.3\n"
        + "Credit,2026-11-03T00:00:00Z,OpenAI,gpt-5.4-mini,-1\n"));
    assertEquals(Map.of(key(NOV_3, "openai", "gpt-5.4-mini"), new BigDecimal("1.5")), bill.billedCosts());
    assertEquals(2, bill.files().get(0).linesSkipped());
  }

  @Test
  void aBillInAnotherCurrencyOrWithAnAmountObjectIsRefusedNamingTheValue() throws IOException {
    assertRefused("day,model,cost,currency\n2026-11-03,claude-sonnet-4-5,1,EUR\n", "line 2",
        "'currency' must be the rate card's currency USD, cannot be: EUR");
    assertRefused(PAGE.replace("\"amount\": \"0.5\"", "\"amount\": {\"value\": \"0.5\"}"), "results[1]",
        "'amount' must be a decimal string of cents", "{\"value\":\"0.5\"}");
  }

  @Test
  void malformedGenericFilesExitTwoNamingTheFileTheLineAndTheField() throws IOException {
    assertRefused("day,model,cost\n2026-11-03,claude-sonnet-4-5,$1.00\n", "line 2",
        "'cost' must be a plain decimal", "$1.00");
    assertRefused("day,model,cost\n2026-11-03,claude-sonnet-4-5,1\n2026-13-01,claude-sonnet-4-5,1\n", "line 3",
        "'day' must be a UTC day as YYYY-MM-DD, cannot be: 2026-13-01");
    assertRefused("day,model,cost\n2026-11-03,,1\n", "line 2", "'model' is empty");
    assertRefused("day,model,cost\n2026-11-03,claude-sonnet-4-5\n", "line 2", "has 2 fields, the header has 3");
    assertRefused("date,model,amount\n2026-11-03,claude-sonnet-4-5,1\n", "line 1", "the header 'date,model,amount'",
        "day,model,cost");
  }

  @Test
  void anUnquotedNullIsAnEmptyFieldAndAQuotedNullIsTheText() throws IOException {
    Bill bill = read(write("invoice.csv", "day,model,cost,provider\n"
        + "2026-11-03,gpt-5.4-mini,1,NULL\n"
        + "2026-11-03,\"NULL\",2,anthropic\n"));
    assertEquals(Map.of(key(NOV_3, "openai", "gpt-5.4-mini"), new BigDecimal("1"),
        key(NOV_3, "anthropic", "NULL"), new BigDecimal("2")), bill.billedCosts());
    assertRefused("day,model,cost\n2026-11-03,NULL,1\n", "line 2", "'model' is empty");
  }

  @Test
  void aMissingOrEmptyBillIsAUsageError() throws IOException {
    UsageException missing = assertThrows(UsageException.class, () -> read(dir.resolve("nope.csv")));
    assertMessage(missing, "nope.csv does not exist");
    assertRefused("  \n", "is empty");
    Path empty = Files.createDirectories(dir.resolve("empty"));
    assertMessage(assertThrows(UsageException.class, () -> read(empty)), "is an empty directory");
  }

  @Test
  void aCsvOfEmptyFieldsOnlyIsAUsageErrorNotACrash() throws IOException {
    assertRefused(",,,\r\n,,,\r\n", "has no header, only empty fields");
  }

  @Test
  void amountsMayBeWrittenInENotationWithAnExponentOfAtMostThreeDigits() throws IOException {
    Bill bill = read(write("invoice.csv", "day,model,cost\n2026-11-03,claude-sonnet-4-5,1.5E-4\n"
        + "2026-11-03,claude-sonnet-4-5,1e+2\n"));
    assertEquals(0, new BigDecimal("100.00015").compareTo(bill.billedCosts().get(key(NOV_3, "anthropic",
        "claude-sonnet-4-5"))));
    assertRefused("day,model,cost\n2026-11-03,claude-sonnet-4-5,1e-999999999\n", "line 2",
        "'cost' must be a plain decimal", "1e-999999999");
  }

  @Test
  void aFileNameHadoopCannotTakeAsAPathIsAUsageError() throws IOException {
    Path colon = write("bill:nov.csv", "day,model,cost\n2026-11-03,claude-sonnet-4-5,1\n");
    assertMessage(assertThrows(UsageException.class, () -> read(colon)), "bill:nov.csv cannot be read",
        "rename files whose name holds a ':'");
  }

  @Test
  void aFocusExportSavedAsParquetIsRefusedAsSuchNotAsABadCsvHeader() throws IOException {
    assertRefused("PAR1\u0015\u0000\u0015\u00a0\u0001,\nPAR1", "is Parquet", "export the FOCUS data as CSV");
  }

  private void assertRefused(String content, String... parts) throws IOException {
    Path file = write("bad-" + Integer.toHexString(content.hashCode()) + ".txt", content);
    UsageException e = assertThrows(UsageException.class, () -> read(file), content);
    String[] expected = new String[parts.length + 1];
    expected[0] = "reconcile file file:" + file + ": ";
    System.arraycopy(parts, 0, expected, 1, parts.length);
    assertMessage(e, expected);
  }

  private static void assertMessage(UsageException e, String... parts) {
    for (String part : parts) {
      assertTrue(e.getMessage().contains(part), "'" + part + "' in: " + e.getMessage());
    }
    assertEquals(-1, e.getMessage().indexOf('\n'), "one line: " + e.getMessage());
  }

  private Path write(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content);
  }

  private static Bill read(Path path) {
    return BillReader.read(List.of(path.toString()), CARD, new Configuration());
  }

  private static BillKey key(LocalDate day, String provider, String model) {
    return new BillKey(day, provider, model);
  }
}
