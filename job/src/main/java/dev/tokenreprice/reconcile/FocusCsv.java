package dev.tokenreprice.reconcile;

import dev.tokenreprice.input.CanonicalSchema;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A FinOps FOCUS 1.x cost and usage CSV, the standard form of the AWS, Azure and Google Cloud exports. A line's
 * day is the UTC day of {@code ChargePeriodStart}, its cost {@code BilledCost}; only {@code Usage} lines count
 * ({@code ChargeCategory}, or FOCUS 0.5's {@code ChargeType}: taxes, credits, purchases and adjustments are no
 * model's token cost). FOCUS has no model column, so the model is, in this order: a model column the exporter
 * added ({@link #MODEL_COLUMNS}), or {@code SkuId}, or {@code ServiceName}, where either names a model of the rate
 * card (as an id, an alias or a display name such as {@code Claude Sonnet 4.5 (Amazon Bedrock Edition)}); a line
 * with none of these is another service and is skipped. The provider: {@code bedrock} where any provider or
 * service column says Bedrock or the provider is AWS, otherwise the provider's name as {@link BillProviders} reads
 * it; a line naming no provider is of the card's provider that has its model.
 */
final class FocusCsv {
  static final String CHARGE_PERIOD_START = "ChargePeriodStart";
  static final String CHARGE_PERIOD_END = "ChargePeriodEnd";
  static final String BILLED_COST = "BilledCost";
  static final String BILLING_CURRENCY = "BillingCurrency";
  static final String CHARGE_CATEGORY = "ChargeCategory";
  /** FOCUS 0.5 and the 1.0 preview named the charge category {@code ChargeType}; some exporters still write it. */
  static final String CHARGE_TYPE = "ChargeType";
  static final String USAGE = "Usage";
  static final String SERVICE_NAME = "ServiceName";
  static final String SKU_ID = "SkuId";
  /**
   * Where LiteLLM's FOCUS exporter puts the model ({@code anthropic/claude-sonnet-4-6}), its {@code ServiceName}
   * holding a model group or "LLM Inference"; tried after the service, and only where they name a card model.
   */
  static final List<String> RESOURCE_COLUMNS = List.of("ResourceName", "ResourceId");
  /** How AWS names a marketplace model's service: the line is that model's cost even where the card lacks it. */
  private static final String BEDROCK_EDITION = "(amazon bedrock edition)";
  /** FOCUS 1.3 names the provider {@code ServiceProviderName}; 1.0 to 1.2 {@code ProviderName} and {@code PublisherName}. */
  static final List<String> PROVIDER_COLUMNS = List.of("ServiceProviderName", "ProviderName", "PublisherName",
      "HostProviderName", "InvoiceIssuerName");
  /** Columns an exporter may add for the model (FOCUS allows custom columns prefixed {@code x_}). */
  static final List<String> MODEL_COLUMNS = List.of("x_Model", "x_ModelId", "x_ModelName", "ModelId", "ModelName",
      "Model");

  private FocusCsv() {}

  static boolean accepts(CsvHeader header) {
    return header.has(BILLED_COST) && header.has(CHARGE_PERIOD_START);
  }

  static FileRows read(String path, CsvHeader header, CsvRecords records, BillModels models, String currency)
      throws IOException {
    Optional<String> modelColumn = header.firstOf(MODEL_COLUMNS);
    Optional<String> categoryColumn = header.firstOf(List.of(CHARGE_CATEGORY, CHARGE_TYPE));
    List<BillRow> rows = new ArrayList<>();
    long skipped = 0;
    for (Optional<CsvRecords.CsvRecord> next = records.nextNonBlank(); next.isPresent();
        next = records.nextNonBlank()) {
      CsvRecords.CsvRecord record = next.get();
      List<String> fields = record.fields();
      String where = "line " + record.line();
      if (fields.size() < header.size()) {
        throw BillFileException.at(path, where, "has " + fields.size() + " fields, the header has " + header.size()
            + ": the file is cut or not a FOCUS CSV");
      }
      boolean usage = categoryColumn.flatMap(column -> header.value(fields, column)).map(USAGE::equalsIgnoreCase)
          .orElse(true);
      // A line that names no provider the card knows is of the provider its model's prefix names
      // (anthropic/claude-sonnet-4-6), else of the card's provider that has the model it names.
      String provider = provider(header, fields).filter(models::knowsProvider)
          .or(() -> modelNames(header, fields, modelColumn).flatMap(name -> models.prefixProvider(name).stream())
              .findFirst())
          .or(() -> provider(header, fields))
          .orElseGet(() -> modelNames(header, fields, modelColumn)
              .flatMap(name -> models.providerOf(name).stream()).findFirst().orElse(CanonicalSchema.DEFAULT_PROVIDER));
      Optional<String> model = usage ? model(header, fields, modelColumn, provider, models) : Optional.empty();
      if (model.isEmpty()) {
        skipped++;
        continue;
      }
      BillAmounts.checkCurrency(path, where, BILLING_CURRENCY, header.value(fields, BILLING_CURRENCY), currency);
      rows.add(new BillRow(new BillKey(day(path, where, header, fields), provider, model.get()),
          billedCost(path, where, header, fields)));
    }
    return new FileRows(BillForm.FOCUS, rows, skipped, List.of());
  }

  private static LocalDate day(String path, String where, CsvHeader header, List<String> fields) {
    String startText = header.value(fields, CHARGE_PERIOD_START).orElseThrow(() -> BillFileException.at(path, where,
        "'" + CHARGE_PERIOD_START + "' is empty (every usage line needs the start of its charge period)"));
    Instant start = BillDays.instant(startText).orElseThrow(() -> BillFileException.at(path, where,
        "'" + CHARGE_PERIOD_START + "' must be an ISO-8601 date-time (2026-11-03T00:00:00Z), cannot be: " + startText));
    LocalDate day = BillDays.utcDay(start);
    Optional<String> endText = header.value(fields, CHARGE_PERIOD_END);
    if (endText.isPresent()) {
      Instant end = BillDays.instant(endText.get()).orElseThrow(() -> BillFileException.at(path, where,
          "'" + CHARGE_PERIOD_END + "' must be an ISO-8601 date-time (2026-11-04T00:00:00Z), cannot be: "
              + endText.get()));
      Instant nextDay = day.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
      if (end.isAfter(nextDay) || end.isBefore(start)) {
        throw BillFileException.at(path, where, "the charge period " + startText + " to " + endText.get()
            + " is not within one UTC day (" + Duration.between(start, end) + "): export the FOCUS data at daily or"
            + " hourly granularity");
      }
    }
    return day;
  }

  private static BigDecimal billedCost(String path, String where, CsvHeader header, List<String> fields) {
    String text = header.value(fields, BILLED_COST).orElseThrow(() -> BillFileException.at(path, where,
        "'" + BILLED_COST + "' is empty (FOCUS requires it on every line)"));
    return BillAmounts.decimal(text).orElseThrow(() -> BillFileException.at(path, where,
        "'" + BILLED_COST + "' must be a plain decimal (1234.56), cannot be: " + text));
  }

  /** The provider a line names: Bedrock where any provider column or the service says so; empty where none names one. */
  private static Optional<String> provider(CsvHeader header, List<String> fields) {
    List<String> names = Stream.concat(PROVIDER_COLUMNS.stream(), Stream.of(SERVICE_NAME))
        .flatMap(column -> header.value(fields, column).stream()).toList();
    if (names.stream().anyMatch(BillProviders::namesBedrock)) {
      return Optional.of(BillProviders.BEDROCK);
    }
    return PROVIDER_COLUMNS.stream().flatMap(column -> header.value(fields, column).stream()).findFirst()
        .map(BillProviders::canonical);
  }

  /** The names a line may give its model, in the order they are tried. */
  private static Stream<String> modelNames(CsvHeader header, List<String> fields, Optional<String> modelColumn) {
    return Stream.concat(modelColumn.stream(), Stream.concat(Stream.of(SKU_ID, SERVICE_NAME), RESOURCE_COLUMNS.stream()))
        .flatMap(column -> header.value(fields, column).stream());
  }

  private static Optional<String> model(CsvHeader header, List<String> fields, Optional<String> modelColumn,
      String provider, BillModels models) {
    Optional<String> named = modelColumn.flatMap(column -> header.value(fields, column));
    if (named.isPresent()) {
      return Optional.of(models.canonical(provider, named.get()));
    }
    Optional<String> known = modelNames(header, fields, Optional.empty())
        .flatMap(name -> models.find(provider, name).stream())
        .findFirst();
    // A Bedrock model the card lacks is still a model's cost: kept under the bill's name, it shows as
    // MISSING_IN_LOGS, which is the gap a reconciliation is for.
    return known.or(() -> header.value(fields, SERVICE_NAME)
        .filter(service -> service.trim().toLowerCase(java.util.Locale.ROOT).endsWith(BEDROCK_EDITION))
        .map(String::trim));
  }
}
