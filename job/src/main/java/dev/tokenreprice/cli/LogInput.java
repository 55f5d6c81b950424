package dev.tokenreprice.cli;

/** One {@code --input} and the {@code --log-format} that applies to it (a checked name, maybe {@code auto}). */
public record LogInput(String path, String logFormat) {}
