package dev.tokenreprice.reconcile;

import java.math.BigDecimal;

/**
 * One cost line of a bill in the canonical form every bill format is read into: the day, provider and
 * the rate card's id of the model (or the bill's own name for a model the card does not have), and the
 * billed amount in the card's currency.
 */
public record BillRow(BillKey key, BigDecimal billedCost) {}
