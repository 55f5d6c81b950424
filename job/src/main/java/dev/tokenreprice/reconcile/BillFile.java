package dev.tokenreprice.reconcile;

/**
 * One file of a bill as it was read: its form, the cost lines kept and the lines left out because they
 * are no cost the run prices (taxes, credits, code execution, other cloud services).
 */
public record BillFile(String path, BillForm form, long linesKept, long linesSkipped) {}
