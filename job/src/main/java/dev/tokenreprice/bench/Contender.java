package dev.tokenreprice.bench;

/** One way of getting the numbers, run on the same files as the others: the job with some arguments. */
record Contender(String name, String[] jobArguments) {}
