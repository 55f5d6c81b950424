package dev.tokenreprice.samples;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The kinds of bad row the generator plants, named after the quarantine reason the job is expected to give
 * them, each planted in a few variants; every variant gets the same share of the bad rows.
 */
enum BadRowKind {
  /**
   * JSONL: a truncated line, a token count written as text ("12k"), or a line without input_tokens.
   * Parquet cannot hold a broken record, so there every variant is the record without input_tokens.
   */
  MALFORMED_RECORD(3),
  /** timestamp omitted, or given as JSON null. */
  MISSING_TIMESTAMP(2),
  /**
   * JSONL: "yesterday", a local time without an offset, or a day-first date. A Parquet TIMESTAMP column
   * cannot hold such text, so there the timestamp is null and the job sees a MISSING_TIMESTAMP.
   */
  BAD_TIMESTAMP(3),
  /** model omitted, or an empty string. */
  MISSING_MODEL(2),
  /** A negative output count, or a negative cache-read count. */
  NEGATIVE_TOKENS(2),
  /** claude-imaginary-9 (anthropic), or gpt-imaginary-9 (openai). */
  UNKNOWN_MODEL(2),
  /** claude-opus-5 in June 2026 (first rate 2026-07-24), or claude-haiku-5-5 on 2026-10-01..06 (first rate 2026-10-07). */
  NO_RATE_IN_FORCE(2),
  /**
   * speed fast on claude-haiku-4-5, service_tier priority on claude-sonnet-4-6, inference_geo us on
   * claude-sonnet-4-5, or service_tier flex on gpt-5.6-terra: values the card lists for none of them.
   */
  UNPRICED_OPTION(4);

  /** One way of planting a kind of bad row; variants are numbered from 0 within their kind. */
  record Variant(BadRowKind kind, int number) {}

  private final int variants;

  BadRowKind(int variants) {
    this.variants = variants;
  }

  /** Every variant of every kind, in kind order. */
  static List<Variant> allVariants() {
    return Arrays.stream(values())
        .flatMap(kind -> IntStream.range(0, kind.variants).mapToObj(number -> new Variant(kind, number)))
        .toList();
  }
}
