package dev.tokenreprice.output;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.StringWriter;
import java.math.BigDecimal;
import java.sql.Date;
import org.junit.jupiter.api.Test;

class CsvFileTest {
  @Test
  void decimalsAreWrittenInPlainNotation() {
    assertEquals("0.000000120000", CsvFile.field(new BigDecimal("1.20000E-7").setScale(12)));
    assertEquals("3.000000000000", CsvFile.field(new BigDecimal("3").setScale(12)));
    assertEquals("12000", CsvFile.field(new BigDecimal("1.2E+4")));
  }

  @Test
  void fieldsWithCommasQuotesOrLineBreaksAreQuotedWithQuotesDoubled() {
    assertEquals("plain", CsvFile.field("plain"));
    assertEquals("\"a,b\"", CsvFile.field("a,b"));
    assertEquals("\"say \"\"hi\"\"\"", CsvFile.field("say \"hi\""));
    assertEquals("\"two\nlines\"", CsvFile.field("two\nlines"));
    assertEquals("\"cr\rhere\"", CsvFile.field("cr\rhere"));
    assertEquals("", CsvFile.field(null));
  }

  @Test
  void aRecordIsItsFieldsJoinedByCommasEndingInANewline() throws Exception {
    StringWriter out = new StringWriter();
    CsvFile.writeRecord(out, new Object[] {Date.valueOf("2026-11-03"), "chat, beta", 12L, new BigDecimal("0.500000000000"), null});
    assertEquals("2026-11-03,\"chat, beta\",12,0.500000000000,\n", out.toString());
  }
}
