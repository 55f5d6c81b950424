package dev.tokenreprice.ratecard;

import java.util.List;

/** A validated rate card, with where it came from and the SHA-256 of its bytes for the manifest. */
public record RateCard(String source, String sha256, String currency, List<CardModel> models) {}
