package dev.tokenreprice.report;

import java.math.BigDecimal;
import java.util.Optional;

/** What one scenario would have changed over the whole run: a negative delta is a saving. */
public record Saving(String scenario, BigDecimal delta, Optional<BigDecimal> deltaPct, long rowsUnpriced) {}
