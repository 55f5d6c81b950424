package dev.tokenreprice.samples;

/**
 * The independent pseudo-random streams a synthetic request draws from; each stream is one salt of the
 * row hash, so adding a stream never changes what the others draw (and the sample stays reproducible).
 */
enum Draw {
  MODEL,
  ALIAS,
  FEATURE,
  PROVIDER_OMITTED,
  TIME,
  TIME_AS_EPOCH_MILLIS,
  SERVICE_TIER,
  FAST_MODE,
  US_INFERENCE,
  INPUT_SIZE,
  INPUT_SHAPE,
  OUTPUT_SIZE,
  OUTPUT_SHAPE,
  CACHE_READ,
  CACHE_READ_SIZE,
  CACHE_READ_SHAPE,
  CACHE_WRITE_5M,
  CACHE_WRITE_5M_SIZE,
  CACHE_WRITE_5M_SHAPE,
  CACHE_WRITE_1H,
  CACHE_WRITE_1H_SIZE,
  CACHE_WRITE_1H_SHAPE,
  LONG_PROMPT,
  LONG_PROMPT_SIZE,
  BAD_ROW_TIME
}
