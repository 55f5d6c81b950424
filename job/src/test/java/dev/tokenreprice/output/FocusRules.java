package dev.tokenreprice.output;

import java.util.List;
import java.util.Set;

/**
 * The FOCUS rules the export is checked against, written from the specification's column pages
 * (FinOps-Open-Cost-and-Usage-Spec/FOCUS_Spec, specification/datasets/cost_and_usage/columns/*.md: each page's
 * Requirements and Content Constraints) and attribute pages (datetime_format.md, numeric_format.md,
 * custom_column_handling.md, null_handling.md). Every Mandatory column of the 1.3+ column list is here; of the
 * Conditional and Recommended ones, those the export writes.
 *
 * @param column the column id
 * @param level Mandatory, Conditional or Recommended
 * @param type String, Decimal or DateTime
 * @param nullable whether the spec allows a null in a Usage row that corrects no closed period (the export's rows)
 * @param allowed the allowed values, where the spec lists them; empty where any value of the type will do
 */
record FocusRules(String column, String level, String type, boolean nullable, Set<String> allowed) {
  static final String MANDATORY = "Mandatory";
  static final String STRING = "String";
  static final String DECIMAL = "Decimal";
  static final String DATE_TIME = "DateTime";

  /** servicecategory.md: "ServiceCategory MUST be one of the allowed values". */
  static final Set<String> SERVICE_CATEGORIES = Set.of("AI and Machine Learning", "Analytics",
      "Business Applications", "Compute", "Databases", "Developer Tools", "Multicloud", "Identity", "Integration",
      "Internet of Things", "Management and Governance", "Media", "Migration", "Mobile", "Networking", "Security",
      "Storage", "Web", "Other");

  static final List<FocusRules> ALL = List.of(
      // billedcost.md: Decimal, MUST NOT be null.
      new FocusRules("BilledCost", MANDATORY, DECIMAL, false, Set.of()),
      // billingaccountid.md: String, MUST NOT be null.
      new FocusRules("BillingAccountId", MANDATORY, STRING, false, Set.of()),
      // billingcurrency.md: String, MUST NOT be null, CurrencyFormat (ISO 4217), checked apart.
      new FocusRules("BillingCurrency", MANDATORY, STRING, false, Set.of()),
      // billingperiodstart.md / billingperiodend.md: Date/Time, MUST NOT be null.
      new FocusRules("BillingPeriodStart", MANDATORY, DATE_TIME, false, Set.of()),
      new FocusRules("BillingPeriodEnd", MANDATORY, DATE_TIME, false, Set.of()),
      // chargecategory.md: MUST NOT be null, one of the allowed values.
      new FocusRules("ChargeCategory", MANDATORY, STRING, false,
          Set.of("Usage", "Purchase", "Tax", "Credit", "Adjustment")),
      // chargeclass.md: null unless the charge corrects a closed billing period, then "Correction".
      new FocusRules("ChargeClass", MANDATORY, STRING, true, Set.of("Correction")),
      // chargedescription.md: String, SHOULD NOT be null (allows nulls).
      new FocusRules("ChargeDescription", MANDATORY, STRING, true, Set.of()),
      // chargeperiodstart.md / chargeperiodend.md: Date/Time, MUST NOT be null; inclusive start, exclusive end.
      new FocusRules("ChargePeriodStart", MANDATORY, DATE_TIME, false, Set.of()),
      new FocusRules("ChargePeriodEnd", MANDATORY, DATE_TIME, false, Set.of()),
      // contractedcost.md, effectivecost.md, listcost.md: Decimal, MUST NOT be null.
      new FocusRules("ContractedCost", MANDATORY, DECIMAL, false, Set.of()),
      new FocusRules("EffectiveCost", MANDATORY, DECIMAL, false, Set.of()),
      new FocusRules("ListCost", MANDATORY, DECIMAL, false, Set.of()),
      // hostprovidername.md (1.3): String, "MUST NOT be null".
      new FocusRules("HostProviderName", MANDATORY, STRING, false, Set.of()),
      // invoiceissuername.md: String, MUST NOT be null.
      new FocusRules("InvoiceIssuerName", MANDATORY, STRING, false, Set.of()),
      // pricingquantity.md: "MUST NOT be null when ChargeCategory is Usage ... and ChargeClass is not Correction".
      new FocusRules("PricingQuantity", MANDATORY, DECIMAL, false, Set.of()),
      // pricingunit.md: null exactly when PricingQuantity is null.
      new FocusRules("PricingUnit", MANDATORY, STRING, false, Set.of()),
      // servicecategory.md: MUST NOT be null, one of the allowed values.
      new FocusRules("ServiceCategory", MANDATORY, STRING, false, SERVICE_CATEGORIES),
      // servicename.md: MUST NOT be null.
      new FocusRules("ServiceName", MANDATORY, STRING, false, Set.of()),
      // serviceprovidername.md (1.3, replacing ProviderName): String, MUST NOT be null.
      new FocusRules("ServiceProviderName", MANDATORY, STRING, false, Set.of()),
      // consumedquantity.md: Conditional; not null for Usage rows that correct no closed period.
      new FocusRules("ConsumedQuantity", "Conditional", DECIMAL, false, Set.of()),
      // consumedunit.md: Conditional; not null where ConsumedQuantity is not.
      new FocusRules("ConsumedUnit", "Conditional", STRING, false, Set.of()),
      // chargefrequency.md: Recommended, not null, one of the allowed values.
      new FocusRules("ChargeFrequency", "Recommended", STRING, false, Set.of("One-Time", "Recurring", "Usage-Based")),
      // servicesubcategory.md: Recommended, not null; AI and Machine Learning's subcategories.
      new FocusRules("ServiceSubcategory", "Recommended", STRING, false, Set.of("AI Platforms", "Bots",
          "Generative AI", "Machine Learning", "Natural Language Processing", "Other (AI and Machine Learning)")),
      // pricingcategory.md: Conditional, one of the allowed values.
      new FocusRules("PricingCategory", "Conditional", STRING, false, Set.of("Standard", "Dynamic", "Committed",
          "Other")),
      // skupriceid.md: Conditional; PricingQuantity MUST be null where it is null, so it is given.
      new FocusRules("SkuPriceId", "Conditional", STRING, false, Set.of()));
}
