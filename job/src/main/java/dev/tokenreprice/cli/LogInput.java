package dev.tokenreprice.cli;

import java.util.Optional;

/**
 * One {@code --input}, the {@code --log-format} that applies to it (a checked name, maybe {@code auto}) and
 * the {@code --feature-key} that does, if any (otherwise the format's own).
 */
public record LogInput(String path, String logFormat, Optional<String> featureKey) {}
