package dev.tokenreprice.ratecard;

/**
 * A higher price tier for requests whose prompt (input, cache writes and cache reads together) is above
 * {@code abovePromptTokens}; every token of such a request, output included, pays these prices.
 */
public record LongPromptTier(long abovePromptTokens, TokenPrices prices) {}
