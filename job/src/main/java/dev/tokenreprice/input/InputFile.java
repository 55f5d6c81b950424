package dev.tokenreprice.input;

/** One file the run reads, with what the manifest records of it. */
public record InputFile(String path, FileFormat format, long sizeBytes, long modifiedMillis) {}
