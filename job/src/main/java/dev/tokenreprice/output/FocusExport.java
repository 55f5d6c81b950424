package dev.tokenreprice.output;

import dev.tokenreprice.input.CanonicalSchema;
import dev.tokenreprice.pricing.PricingColumns;
import dev.tokenreprice.rollup.UsageAggregation;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The run's costs as a FinOps FOCUS 1.4 cost and usage dataset (focus.finops.org/focus-specification/v1-4), for
 * the cost tools that load FOCUS beside the cloud bills: one row per day, provider, model, feature and charge kind
 * (input, output, cache write, cache read, per-use fee), made on the driver from the rollup's rows as they stream to
 * rollup.csv, so it costs no pass over the logs. Costs are the card's: the card's price is the list price and the
 * price charged, so {@code ListCost}, {@code ContractedCost}, {@code EffectiveCost} and {@code BilledCost} are
 * one figure. A kind with neither a cost nor a quantity makes no row. The feature, which no provider bill has, is
 * the custom column {@code x_Feature} (FOCUS custom columns start {@code x_}, after the FOCUS columns).
 */
public final class FocusExport implements Consumer<Row> {
  public static final String VERSION = "1.4";
  public static final String SERVICE_CATEGORY = "AI and Machine Learning";
  public static final String SERVICE_SUBCATEGORY = "Generative AI";
  public static final String CHARGE_CATEGORY = "Usage";
  public static final String CHARGE_FREQUENCY = "Usage-Based";
  public static final String PRICING_CATEGORY = "Standard";

  /** The FOCUS columns the export writes, in order, then its custom ones. */
  public static final String BILLED_COST = "BilledCost";
  public static final String BILLING_ACCOUNT_ID = "BillingAccountId";
  public static final String BILLING_CURRENCY = "BillingCurrency";
  public static final String BILLING_PERIOD_END = "BillingPeriodEnd";
  public static final String BILLING_PERIOD_START = "BillingPeriodStart";
  public static final String CHARGE_CATEGORY_COLUMN = "ChargeCategory";
  public static final String CHARGE_CLASS = "ChargeClass";
  public static final String CHARGE_DESCRIPTION = "ChargeDescription";
  public static final String CHARGE_FREQUENCY_COLUMN = "ChargeFrequency";
  public static final String CHARGE_PERIOD_END = "ChargePeriodEnd";
  public static final String CHARGE_PERIOD_START = "ChargePeriodStart";
  public static final String CONSUMED_QUANTITY = "ConsumedQuantity";
  public static final String CONSUMED_UNIT = "ConsumedUnit";
  public static final String CONTRACTED_COST = "ContractedCost";
  public static final String EFFECTIVE_COST = "EffectiveCost";
  public static final String HOST_PROVIDER_NAME = "HostProviderName";
  public static final String INVOICE_ISSUER_NAME = "InvoiceIssuerName";
  public static final String LIST_COST = "ListCost";
  public static final String PRICING_CATEGORY_COLUMN = "PricingCategory";
  public static final String PRICING_CURRENCY = "PricingCurrency";
  public static final String PRICING_QUANTITY = "PricingQuantity";
  public static final String PRICING_UNIT = "PricingUnit";
  public static final String SERVICE_CATEGORY_COLUMN = "ServiceCategory";
  public static final String SERVICE_NAME = "ServiceName";
  public static final String SERVICE_PROVIDER_NAME = "ServiceProviderName";
  public static final String SERVICE_SUBCATEGORY_COLUMN = "ServiceSubcategory";
  public static final String SKU_ID = "SkuId";
  public static final String SKU_METER = "SkuMeter";
  public static final String SKU_PRICE_ID = "SkuPriceId";
  public static final String X_FEATURE = "x_Feature";
  public static final String X_PROVIDER = "x_Provider";
  public static final String X_MODEL = "x_Model";
  public static final String X_CHARGE_KIND = "x_ChargeKind";

  /** The providers' names as their bills write them; a provider not here is named by the card's id. */
  private static final Map<String, String> PROVIDER_NAMES = Map.of("anthropic", "Anthropic", "openai", "OpenAI",
      "google", "Google", "bedrock", "Amazon Web Services");
  private static final Map<String, String> SERVICE_NAMES = Map.of("anthropic", "Claude API", "openai", "OpenAI API",
      "google", "Gemini API", "bedrock", "Amazon Bedrock");
  private static final DataType QUANTITY = DataTypes.createDecimalType(38, 0);

  /** The kinds of charge a rollup row splits into, each with its quantity's columns and its cost's. */
  public enum ChargeKind {
    INPUT("input", "Input Tokens", "Tokens", List.of(CanonicalSchema.INPUT_TOKENS), PricingColumns.INPUT_COST),
    OUTPUT("output", "Output Tokens", "Tokens", List.of(CanonicalSchema.OUTPUT_TOKENS), PricingColumns.OUTPUT_COST),
    CACHE_WRITE("cache_write", "Cache Write Input Tokens", "Tokens",
        List.of(CanonicalSchema.CACHE_WRITE_5M_TOKENS, CanonicalSchema.CACHE_WRITE_1H_TOKENS),
        PricingColumns.CACHE_WRITE_COST),
    CACHE_READ("cache_read", "Cache Read Input Tokens", "Tokens", List.of(CanonicalSchema.CACHE_READ_TOKENS),
        PricingColumns.CACHE_READ_COST),
    /** Per-use fees (web searches), counted in requests. */
    PER_USE_FEE("per_use_fee", "Web Search Requests", "Requests", CanonicalSchema.USE_COLUMNS,
        PricingColumns.TOOL_COST);

    private final String label;
    private final String meter;
    private final String unit;
    private final List<String> quantityColumns;
    private final String costColumn;

    ChargeKind(String label, String meter, String unit, List<String> quantityColumns, String costColumn) {
      this.label = label;
      this.meter = meter;
      this.unit = unit;
      this.quantityColumns = quantityColumns;
      this.costColumn = costColumn;
    }
  }

  private final StructType schema;
  private final String currency;
  private final List<Row> rows = new ArrayList<>();

  /** @param costType the rollup's cost type, which the export's costs keep */
  public FocusExport(DataType costType, String currency) {
    this.currency = currency;
    this.schema = new StructType()
        .add(BILLED_COST, costType, false)
        .add(BILLING_ACCOUNT_ID, DataTypes.StringType, false)
        .add(BILLING_CURRENCY, DataTypes.StringType, false)
        .add(BILLING_PERIOD_END, DataTypes.TimestampType, false)
        .add(BILLING_PERIOD_START, DataTypes.TimestampType, false)
        .add(CHARGE_CATEGORY_COLUMN, DataTypes.StringType, false)
        .add(CHARGE_CLASS, DataTypes.StringType, true)
        .add(CHARGE_DESCRIPTION, DataTypes.StringType, false)
        .add(CHARGE_FREQUENCY_COLUMN, DataTypes.StringType, false)
        .add(CHARGE_PERIOD_END, DataTypes.TimestampType, false)
        .add(CHARGE_PERIOD_START, DataTypes.TimestampType, false)
        .add(CONSUMED_QUANTITY, QUANTITY, false)
        .add(CONSUMED_UNIT, DataTypes.StringType, false)
        .add(CONTRACTED_COST, costType, false)
        .add(EFFECTIVE_COST, costType, false)
        .add(HOST_PROVIDER_NAME, DataTypes.StringType, false)
        .add(INVOICE_ISSUER_NAME, DataTypes.StringType, false)
        .add(LIST_COST, costType, false)
        .add(PRICING_CATEGORY_COLUMN, DataTypes.StringType, false)
        .add(PRICING_CURRENCY, DataTypes.StringType, false)
        .add(PRICING_QUANTITY, QUANTITY, false)
        .add(PRICING_UNIT, DataTypes.StringType, false)
        .add(SERVICE_CATEGORY_COLUMN, DataTypes.StringType, false)
        .add(SERVICE_NAME, DataTypes.StringType, false)
        .add(SERVICE_PROVIDER_NAME, DataTypes.StringType, false)
        .add(SERVICE_SUBCATEGORY_COLUMN, DataTypes.StringType, false)
        .add(SKU_ID, DataTypes.StringType, false)
        .add(SKU_METER, DataTypes.StringType, false)
        .add(SKU_PRICE_ID, DataTypes.StringType, false)
        .add(X_FEATURE, DataTypes.StringType, false)
        .add(X_PROVIDER, DataTypes.StringType, false)
        .add(X_MODEL, DataTypes.StringType, false)
        .add(X_CHARGE_KIND, DataTypes.StringType, false);
  }

  public StructType schema() {
    return schema;
  }

  /** The export's columns, in order. */
  public List<String> columns() {
    return List.of(schema.fieldNames());
  }

  /** The rows so far, in the rollup's order and each row's kinds in the order of {@link ChargeKind}. */
  public List<Row> rows() {
    return List.copyOf(rows);
  }

  @Override
  public void accept(Row rollupRow) {
    LocalDate day = day(rollupRow.getAs(CanonicalSchema.DAY));
    String feature = rollupRow.getAs(CanonicalSchema.FEATURE);
    String provider = rollupRow.getAs(CanonicalSchema.PROVIDER);
    String model = rollupRow.getAs(UsageAggregation.MODEL);
    String providerName = PROVIDER_NAMES.getOrDefault(provider, provider);
    Instant dayStart = day.atStartOfDay().toInstant(ZoneOffset.UTC);
    Instant dayEnd = day.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    // The billing period is the calendar month a provider invoices the day in.
    Instant monthStart = day.withDayOfMonth(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    Instant monthEnd = day.withDayOfMonth(1).plusMonths(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    for (ChargeKind kind : ChargeKind.values()) {
      BigDecimal cost = rollupRow.getAs(kind.costColumn);
      long quantity = 0;
      for (String column : kind.quantityColumns) {
        quantity += ((Number) rollupRow.getAs(column)).longValue();
      }
      if (quantity == 0 && cost.signum() == 0) {
        continue;
      }
      BigDecimal consumed = BigDecimal.valueOf(quantity);
      rows.add(new GenericRowWithSchema(new Object[] {cost, provider, currency, monthEnd, monthStart, CHARGE_CATEGORY, null,
          model + " " + kind.meter.toLowerCase(java.util.Locale.ROOT) + ", " + feature, CHARGE_FREQUENCY, dayEnd,
          dayStart, consumed, kind.unit, cost, cost, providerName, providerName, cost, PRICING_CATEGORY, currency,
          consumed, kind.unit, SERVICE_CATEGORY, SERVICE_NAMES.getOrDefault(provider, providerName), providerName,
          SERVICE_SUBCATEGORY, model, kind.meter, provider + "/" + model + "/" + kind.label, feature, provider, model,
          kind.label}, schema));
    }
  }

  private static LocalDate day(Object value) {
    return value instanceof LocalDate local ? local : ((java.sql.Date) value).toLocalDate();
  }
}
