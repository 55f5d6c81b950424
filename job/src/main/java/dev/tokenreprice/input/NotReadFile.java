package dev.tokenreprice.input;

/** A file an input named or held that the run does not read, with why: the manifest lists it. */
public record NotReadFile(String path, String reason) {}
