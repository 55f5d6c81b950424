package dev.tokenreprice.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvRecordsTest {
  @Test
  void anUnquotedNullIsAnEmptyFieldAndAQuotedOneIsText() throws IOException {
    CsvRecords records = new CsvRecords(new StringReader(
        "BilledCost,ServiceName,x-Model\r\n0.5,NULL,\"NULL\"\r\nNULL,Amazon Bedrock,NULLABLE\r\n"));
    assertEquals(List.of("BilledCost", "ServiceName", "x-Model"), records.next().orElseThrow().fields());
    assertEquals(List.of("0.5", "", "NULL"), records.next().orElseThrow().fields());
    assertEquals(List.of("", "Amazon Bedrock", "NULLABLE"), records.next().orElseThrow().fields());
  }
}
