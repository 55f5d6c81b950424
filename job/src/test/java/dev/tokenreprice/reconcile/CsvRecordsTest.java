package dev.tokenreprice.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The records a bill's CSV is split into, and the line each starts on, on files in the shapes exporters write. */
class CsvRecordsTest {
  @Test
  void anUnquotedNullIsAnEmptyFieldAndAQuotedOneIsText() throws IOException {
    CsvRecords records = new CsvRecords(new StringReader(
        "BilledCost,ServiceName,x-Model\r\n0.5,NULL,\"NULL\"\r\nNULL,Amazon Bedrock,NULLABLE\r\n"));
    assertEquals(List.of("BilledCost", "ServiceName", "x-Model"), records.next().orElseThrow().fields());
    assertEquals(List.of("0.5", "", "NULL"), records.next().orElseThrow().fields());
    assertEquals(List.of("", "Amazon Bedrock", "NULLABLE"), records.next().orElseThrow().fields());
  }

  @Test
  void aQuotedFieldKeepsItsCommasDoubledQuotesAndLineBreaksAndTheRecordsAfterItKeepTheirLines() throws IOException {
    List<CsvRecords.CsvRecord> records = all("ChargeDescription,BilledCost\n"
        + "\"input\ntokens\",1\n"
        + "\"Claude, \"\"Sonnet\"\"\ninput\r\ntokens\",1.5\n"
        + "\"\",2\n"
        + "output,3\n");
    assertEquals(List.of(1L, 2L, 4L, 7L, 8L), records.stream().map(CsvRecords.CsvRecord::line).toList());
    assertEquals(List.of("input\ntokens", "1"), records.get(1).fields());
    assertEquals(List.of("Claude, \"Sonnet\"\ninput\r\ntokens", "1.5"), records.get(2).fields());
    assertEquals(List.of("", "2"), records.get(3).fields());
  }

  @Test
  void recordsEndInLfOrCrlfAlikeAndSpacesAroundAFieldAreNoPartOfIt() throws IOException {
    List<CsvRecords.CsvRecord> records = all("day,model,cost\r\n"
        + "2026-11-03, claude-sonnet-4-5 , \"1.5\" \n"
        + "2026-11-04,gpt-5.4-mini,2\r\n");
    assertEquals(List.of("day", "model", "cost"), records.get(0).fields());
    assertEquals(List.of("2026-11-03", "claude-sonnet-4-5", "1.5"), records.get(1).fields());
    assertEquals(List.of("2026-11-04", "gpt-5.4-mini", "2"), records.get(2).fields());
  }

  @Test
  void blankRecordsAreSkippedAndTheLinesOfTheRecordsAfterThemCountThem() throws IOException {
    CsvRecords records = new CsvRecords(new StringReader("\n,,\nday,model,cost\n\n , ,\n#1,x,2"));
    CsvRecords.CsvRecord header = records.nextNonBlank().orElseThrow();
    assertEquals(3, header.line());
    CsvRecords.CsvRecord last = records.nextNonBlank().orElseThrow();
    assertEquals(6, last.line());
    assertEquals(List.of("#1", "x", "2"), last.fields(), "a leading '#' is no comment");
    assertTrue(records.nextNonBlank().isEmpty());
  }

  @Test
  void aQuotedFieldLeftOpenIsMalformedOnTheLineItsRecordStarts() {
    CsvRecords.MalformedCsv open = assertThrows(CsvRecords.MalformedCsv.class,
        () -> all("day,model,cost\n2026-11-03,x,1\n2026-11-03,\"claude,1\n2026-11-04,gpt,2\n"));
    assertEquals(3, open.line());
    assertEquals("a quoted field opened on line 3 is never closed", open.getMessage());
    // The last quote is one of a doubled pair: the field is still open at the end of the file.
    assertEquals(2, assertThrows(CsvRecords.MalformedCsv.class, () -> all("day\n\"2026-11-03\"\"")).line());
  }

  @Test
  void aQuoteNeitherDoubledNorClosingItsFieldIsMalformedOnTheLineItsRecordStarts() {
    CsvRecords.MalformedCsv stray = assertThrows(CsvRecords.MalformedCsv.class,
        () -> all("day,model,cost\n2026-11-03,\"claude\nsonnet\" 4.5,1\n"));
    assertEquals(2, stray.line());
    assertTrue(stray.getMessage().startsWith("field 2 is quoted but has a quote"), stray.getMessage());
  }

  @Test
  void aFileThatCannotBeReadIsAnIoErrorNotAMalformedCsv() {
    Reader cut = new Reader() {
      @Override
      public int read(char[] buffer, int offset, int length) throws IOException {
        throw new IOException("Unexpected end of ZLIB input stream");
      }

      @Override
      public void close() {}
    };
    IOException e = assertThrows(IOException.class, () -> new CsvRecords(cut).next());
    assertEquals("Unexpected end of ZLIB input stream", e.getMessage());
  }

  private static List<CsvRecords.CsvRecord> all(String csv) throws IOException {
    CsvRecords records = new CsvRecords(new StringReader(csv));
    List<CsvRecords.CsvRecord> all = new ArrayList<>();
    for (var next = records.next(); next.isPresent(); next = records.next()) {
      all.add(next.get());
    }
    return all;
  }
}
