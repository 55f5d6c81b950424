package dev.tokenreprice.reconcile;

import dev.tokenreprice.input.CanonicalSchema;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The lowest common form of a bill, which a finance team can write from any invoice: a CSV with the columns
 * {@code day} ({@code YYYY-MM-DD}, or a date-time whose UTC day it is), {@code model} and {@code cost} (a plain
 * decimal in the card's currency), and optionally {@code provider} (read as {@link BillProviders} does; where
 * absent, the card's provider that has the model, else {@code anthropic}) and {@code currency} (must be the
 * card's). Other columns are ignored.
 */
final class GenericCsv {
  static final String DAY = "day";
  static final String MODEL = "model";
  static final String COST = "cost";
  static final String PROVIDER = "provider";
  static final String CURRENCY = "currency";
  static final List<String> REQUIRED = List.of(DAY, MODEL, COST);

  private GenericCsv() {}

  static boolean accepts(CsvHeader header) {
    return REQUIRED.stream().allMatch(header::has);
  }

  static FileRows read(String path, CsvHeader header, CsvRecords records, BillModels models, String currency)
      throws IOException {
    List<BillRow> rows = new ArrayList<>();
    for (Optional<CsvRecords.CsvRecord> next = records.nextNonBlank(); next.isPresent();
        next = records.nextNonBlank()) {
      CsvRecords.CsvRecord record = next.get();
      String where = "line " + record.line();
      if (record.fields().size() < header.size()) {
        throw BillFileException.at(path, where, "has " + record.fields().size() + " fields, the header has "
            + header.size() + " (" + header + "): give every line a value for each column");
      }
      String dayText = required(path, where, header, record, DAY);
      LocalDate day = BillDays.instant(dayText).map(BillDays::utcDay).orElseThrow(() -> BillFileException.at(path, where,
          "'day' must be a UTC day as YYYY-MM-DD, cannot be: " + dayText));
      String model = required(path, where, header, record, MODEL);
      String costText = required(path, where, header, record, COST);
      BigDecimal cost = BillAmounts.decimal(costText).orElseThrow(() -> BillFileException.at(path, where,
          "'cost' must be a plain decimal in the rate card's currency (1234.56, no currency sign or thousands"
              + " separator), cannot be: " + costText));
      BillAmounts.checkCurrency(path, where, CURRENCY, header.value(record.fields(), CURRENCY), currency);
      // A line without a provider is of the card's provider that has its model, as gpt-5.4 is openai's.
      String provider = header.value(record.fields(), PROVIDER).map(BillProviders::canonical)
          .orElseGet(() -> models.providerOf(model).orElse(CanonicalSchema.DEFAULT_PROVIDER));
      rows.add(new BillRow(new BillKey(day, provider, models.canonical(provider, model)), cost));
    }
    return new FileRows(BillForm.GENERIC, rows, 0, List.of());
  }

  private static String required(String path, String where, CsvHeader header, CsvRecords.CsvRecord record,
      String column) {
    return header.value(record.fields(), column).orElseThrow(() -> BillFileException.at(path, where,
        "'" + column + "' is empty (every line needs day, model and cost)"));
  }
}
