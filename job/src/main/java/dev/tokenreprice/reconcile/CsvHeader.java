package dev.tokenreprice.reconcile;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** A CSV header: where each column is, by name compared trimmed and case-insensitively. */
final class CsvHeader {
  private final List<String> names;
  private final Map<String, Integer> positions = new HashMap<>();

  CsvHeader(List<String> names) {
    this.names = names;
    for (int i = 0; i < names.size(); i++) {
      positions.putIfAbsent(key(names.get(i)), i);
    }
  }

  boolean has(String name) {
    return positions.containsKey(key(name));
  }

  OptionalInt position(String name) {
    Integer position = positions.get(key(name));
    return position == null ? OptionalInt.empty() : OptionalInt.of(position);
  }

  /** The first of these columns the header has. */
  Optional<String> firstOf(List<String> candidates) {
    return candidates.stream().filter(this::has).findFirst();
  }

  /** A field of a record by column name; blank or absent (no such column, or a short record) is empty. */
  Optional<String> value(List<String> fields, String name) {
    OptionalInt position = position(name);
    if (position.isEmpty() || position.getAsInt() >= fields.size()) {
      return Optional.empty();
    }
    String value = fields.get(position.getAsInt()).trim();
    return value.isEmpty() ? Optional.empty() : Optional.of(value);
  }

  int size() {
    return names.size();
  }

  @Override
  public String toString() {
    return String.join(",", names);
  }

  private static String key(String name) {
    return name.trim().toLowerCase(Locale.ROOT);
  }
}
