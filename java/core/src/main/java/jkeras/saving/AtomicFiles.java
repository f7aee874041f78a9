package jkeras.saving;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes a file beside its destination, forces it to disk, then renames it into place: a save that
 * fails or is killed midway leaves the previous file as it was (and at most a hidden {@code
 * .<name>.tmp-*} file beside it, never a half-written file under the destination's name).
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** What writes the temporary file. */
  @FunctionalInterface
  public interface Writer {
    void write(Path temporary) throws IOException;
  }

  /**
   * Writes {@code target} through {@code writer}, atomically.
   *
   * @throws IOException when writing or renaming fails; {@code target} is then unchanged
   */
  public static void write(Path target, Writer writer) throws IOException {
    Path abs = target.toAbsolutePath();
    Path dir = abs.getParent();
    if (dir != null) Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".tmp-", "");
    boolean done = false;
    try {
      writer.write(tmp);
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      try {
        Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
      }
      done = true;
    } finally {
      if (!done) Files.deleteIfExists(tmp);
    }
  }
}
