package dev.tokenreprice.report;

import java.math.BigDecimal;

/** One entry of a top-N list in the summary: a feature or a model and its cost. */
public record CostLine(String name, long requests, BigDecimal cost) {}
