package dev.tokenreprice.ratecard;

import java.math.BigDecimal;
import java.util.List;

/** USD per million tokens for each kind of token a request bills. */
public record TokenPrices(
    BigDecimal input,
    BigDecimal output,
    BigDecimal cacheWrite5m,
    BigDecimal cacheWrite1h,
    BigDecimal cacheRead) {

  /** Every price times the factor: modifiers scale all token kinds alike. */
  public TokenPrices times(BigDecimal factor) {
    return new TokenPrices(
        input.multiply(factor),
        output.multiply(factor),
        cacheWrite5m.multiply(factor),
        cacheWrite1h.multiply(factor),
        cacheRead.multiply(factor));
  }

  public List<BigDecimal> all() {
    return List.of(input, output, cacheWrite5m, cacheWrite1h, cacheRead);
  }
}
