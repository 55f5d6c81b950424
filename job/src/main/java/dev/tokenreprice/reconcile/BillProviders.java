package dev.tokenreprice.reconcile;

import java.util.List;
import java.util.Locale;

/**
 * Names a bill's provider as the logs and the rate card do: {@code Anthropic, PBC} is {@code anthropic},
 * {@code OpenAI, Inc.} is {@code openai}, and AWS, Amazon or any name with Bedrock in it is {@code bedrock}.
 */
final class BillProviders {
  static final String BEDROCK = "bedrock";
  private static final List<String> AWS_NAMES = List.of("aws", "amazon web services", "amazon");

  private BillProviders() {}

  static String canonical(String name) {
    if (namesBedrock(name)) {
      return BEDROCK;
    }
    String lower = name.trim().toLowerCase(Locale.ROOT);
    String company = lower.replaceAll("[\\s,.]+(inc|llc|ltd|pbc)?\\.?$", "").trim();
    return AWS_NAMES.contains(company) ? BEDROCK : company.replaceAll("\\s+", "-");
  }

  /** Whether a provider or service name is Bedrock's ({@code Amazon Bedrock}, {@code ... (Amazon Bedrock Edition)}). */
  static boolean namesBedrock(String name) {
    return name.toLowerCase(Locale.ROOT).contains(BEDROCK);
  }
}
