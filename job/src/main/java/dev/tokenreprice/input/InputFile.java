package dev.tokenreprice.input;

/** One file the run reads, how it is stored and what shape its records have, with what the manifest records of it. */
public record InputFile(String path, FileFormat format, LogFormat logFormat, long sizeBytes, long modifiedMillis) {}
