package dev.tokenreprice.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FrameFamiliesTest {
  @Test
  void theCellListsTheFamiliesOfThreePercentAndMoreInTheOrderGiven() {
    Map<String, Integer> percents = new LinkedHashMap<>();
    percents.put("JSON parsing", 41);
    percents.put("generated code", 30);
    percents.put("shuffle", 3);
    percents.put("decimals", 2);
    assertEquals("JSON parsing 41%, generated code 30%, shuffle 3%", FrameFamilies.cell(percents));
  }
}
