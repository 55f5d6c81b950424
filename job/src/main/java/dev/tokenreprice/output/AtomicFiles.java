package dev.tokenreprice.output;

import dev.tokenreprice.cli.UsageException;
import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.UUID;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The small files the lock is made of, written with the one primitive each store makes atomic: create-if-absent.
 * Hadoop's {@code create(path, false)} is a check then a create on the local file system and on S3A without
 * conditional writes (two runs can both "create" the file, docs/operations.md), so each store gets its own:
 * <ul>
 *   <li>local disk: {@code O_CREAT|O_EXCL} through NIO ({@code CREATE_NEW}), and an atomic rename for a rewrite;
 *   <li>HDFS: {@code create(path, false)}, one atomic operation of the NameNode;
 *   <li>S3A (Hadoop 3.4.2 and later) and any store that declares it: a conditional create
 *       ({@code fs.option.create.conditional.overwrite}, {@code If-None-Match: *}), checked when the stream closes.
 * </ul>
 * Any other store is refused rather than locked with a racy check.
 */
abstract class AtomicFiles {
  /** The path capability and {@code createFile} option of a conditional create (Hadoop's CreateFileOptionKeys). */
  static final String CONDITIONAL_CREATE = "fs.option.create.conditional.overwrite";

  /** The atomic files of {@code dir}'s store, or a usage error naming the store when it has no atomic create. */
  static AtomicFiles of(FileSystem fs, Path dir) {
    String scheme = dir.toUri().getScheme();
    if ("file".equals(scheme)) {
      return new LocalFiles(fs);
    }
    if ("hdfs".equals(scheme)) {
      return new HadoopFiles(fs, false);
    }
    try {
      if (fs.hasPathCapability(dir, CONDITIONAL_CREATE)) {
        return new HadoopFiles(fs, true);
      }
    } catch (IOException e) {
      // reported below: without the capability the store cannot be locked
    }
    throw new UsageException("Cannot lock --out " + dir + ": its file system (" + fs.getClass().getSimpleName()
        + ") offers no atomic create-if-absent (two runs could both take the lock and publish over each other); use an"
        + " --out on a local disk or HDFS, or on S3 through Hadoop's S3A 3.4.2 or later with"
        + " fs.s3a.create.conditional.enabled=true");
  }

  final FileSystem fs;

  private AtomicFiles(FileSystem fs) {
    this.fs = fs;
  }

  /** Creates {@code path} with {@code content} unless it exists; false when another writer had it first. */
  abstract boolean createIfAbsent(Path path, byte[] content) throws IOException;

  /** Replaces {@code path}'s content so that a reader sees the old content or the new one, never a mix. */
  abstract void replace(Path path, byte[] content) throws IOException;

  /** The file's content, or empty when there is no such file. */
  Optional<byte[]> read(Path path) throws IOException {
    try (InputStream in = fs.open(path)) {
      ByteArrayOutputStream content = new ByteArrayOutputStream();
      in.transferTo(content);
      return Optional.of(content.toByteArray());
    } catch (FileNotFoundException | NoSuchFileException e) {
      return Optional.empty();
    }
  }

  void delete(Path path) throws IOException {
    fs.delete(path, false);
  }

  /** Local disk: NIO, whose {@code CREATE_NEW} is one system call, and no {@code .crc} files beside the lock. */
  private static final class LocalFiles extends AtomicFiles {
    LocalFiles(FileSystem fs) {
      super(fs);
    }

    private static java.nio.file.Path local(Path path) {
      return java.nio.file.Path.of(path.toUri());
    }

    @Override
    boolean createIfAbsent(Path path, byte[] content) throws IOException {
      Files.createDirectories(local(path.getParent()));
      try (OutputStream out = Files.newOutputStream(local(path), StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE)) {
        out.write(content);
        return true;
      } catch (FileAlreadyExistsException e) {
        return false;
      }
    }

    @Override
    void replace(Path path, byte[] content) throws IOException {
      java.nio.file.Path target = local(path);
      java.nio.file.Path written = target.resolveSibling(target.getFileName() + "." + UUID.randomUUID() + ".tmp");
      Files.write(written, content, StandardOpenOption.CREATE_NEW);
      Files.move(written, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    Optional<byte[]> read(Path path) throws IOException {
      try {
        return Optional.of(Files.readAllBytes(local(path)));
      } catch (NoSuchFileException e) {
        return Optional.empty();
      }
    }

    @Override
    void delete(Path path) throws IOException {
      Files.deleteIfExists(local(path));
    }
  }

  /** HDFS, and stores with a conditional create (S3A): Hadoop's own file system calls. */
  private static final class HadoopFiles extends AtomicFiles {
    private final boolean conditional;

    HadoopFiles(FileSystem fs, boolean conditional) {
      super(fs);
      this.conditional = conditional;
    }

    @Override
    boolean createIfAbsent(Path path, byte[] content) throws IOException {
      try {
        FSDataOutputStream out = conditional ? conditionalCreate(path) : fs.create(path, false);
        try (out) {
          out.write(content);
        }
        return true;
      } catch (org.apache.hadoop.fs.FileAlreadyExistsException | FileAlreadyExistsException e) {
        return false;
      } catch (IOException e) {
        // S3A reports a lost conditional create at close() as a RemoteFileChangedException (HTTP 412).
        if (conditional && fs.exists(path)) {
          return false;
        }
        throw e;
      }
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private FSDataOutputStream conditionalCreate(Path path) throws IOException {
      // The builder's methods return itself; its generic type is a wildcard here.
      org.apache.hadoop.fs.FSDataOutputStreamBuilder builder = fs.createFile(path);
      builder.overwrite(false);
      builder.must(CONDITIONAL_CREATE, true);
      return builder.build();
    }

    @Override
    void replace(Path path, byte[] content) throws IOException {
      if (conditional) {
        // One PUT: an object store shows the old object or the new one.
        try (FSDataOutputStream out = fs.create(path, true)) {
          out.write(content);
        }
        return;
      }
      Path written = new Path(path.getParent(), path.getName() + "." + UUID.randomUUID() + ".tmp");
      try (FSDataOutputStream out = fs.create(written, false)) {
        out.write(content);
      }
      // HDFS renames atomically, with OVERWRITE replacing the destination in the same operation.
      org.apache.hadoop.fs.FileContext.getFileContext(fs.getUri(), fs.getConf())
          .rename(written, path, org.apache.hadoop.fs.Options.Rename.OVERWRITE);
    }
  }
}
