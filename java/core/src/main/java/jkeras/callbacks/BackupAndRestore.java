package jkeras.callbacks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keras' {@code BackupAndRestore(backup_dir)}: at the end of each epoch the model, its weights and
 * its optimizer's state, is backed up in {@code backupDir}; a {@code fit} that starts while a
 * backup is there (the job was interrupted and restarted) restores it and resumes from the epoch
 * after the backed-up one. When {@code fit} completes, the backup is deleted, as Keras deletes it.
 *
 * <p>In multi-worker training only the chief writes the backup (Keras' other workers write to
 * temporary directories and delete them); every worker restores from {@code backupDir} when it can
 * read it, and then the chief's weights, optimizer state and epoch are copied to every worker, so
 * the directory need only be on the chief's file system. Each backup is written beside its
 * destination and renamed into place, so a worker killed while saving leaves the last complete
 * backup.
 */
public class BackupAndRestore extends Callback {
  private static final Pattern FILE = Pattern.compile("backup-epoch-(\\d+)\\.h5");

  private final Path backupDir;

  /**
   * @param backupDir where the backup is kept: a directory of this job's own (Keras' {@code
   *     backup_dir})
   */
  public BackupAndRestore(String backupDir) {
    this(backupDir == null ? null : Path.of(backupDir));
  }

  public BackupAndRestore(Path backupDir) {
    if (backupDir == null)
      throw new IllegalArgumentException("`backup_dir` must be a directory path; received None.");
    this.backupDir = backupDir;
  }

  public Path backupDir() {
    return backupDir;
  }

  /** The completed epoch of the backup in {@code backupDir} (0-based), or -1 when there is none. */
  public int backedUpEpoch() {
    Path f = latest();
    if (f == null) return -1;
    Matcher m = FILE.matcher(f.getFileName().toString());
    return m.matches() ? Integer.parseInt(m.group(1)) : -1;
  }

  /** Restores the latest backup and asks the training loop to resume after its epoch. */
  @Override
  public void onTrainBegin(Logs logs) {
    Path f = latest();
    if (f == null) return;
    try {
      model().restoreTrainingState(f);
    } catch (IOException e) {
      throw new UncheckedIOException("BackupAndRestore cannot read its backup " + f, e);
    }
    logs.put(Logs.INITIAL_EPOCH, backedUpEpoch() + 1);
  }

  @Override
  public void onEpochEnd(int epoch, Logs logs) {
    if (!isChief()) return;
    Path previous = latest();
    Path target = backupDir.resolve("backup-epoch-" + epoch + ".h5");
    try {
      Files.createDirectories(backupDir);
      model().save(target, true);
      if (previous != null && !previous.equals(target)) Files.deleteIfExists(previous);
    } catch (IOException e) {
      throw new UncheckedIOException("BackupAndRestore cannot write its backup " + target, e);
    }
  }

  /** Training completed: the backup is no longer needed. */
  @Override
  public void onTrainEnd(Logs logs) {
    if (!isChief()) return;
    Path f = latest();
    try {
      if (f != null) Files.deleteIfExists(f);
    } catch (IOException e) {
      throw new UncheckedIOException("BackupAndRestore cannot delete its backup " + f, e);
    }
  }

  private Path latest() {
    if (!Files.isDirectory(backupDir)) return null;
    Path best = null;
    int bestEpoch = -1;
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(backupDir, "backup-epoch-*.h5")) {
      for (Path p : ds) {
        Matcher m = FILE.matcher(p.getFileName().toString());
        if (m.matches() && Integer.parseInt(m.group(1)) > bestEpoch) {
          bestEpoch = Integer.parseInt(m.group(1));
          best = p;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("BackupAndRestore cannot list " + backupDir, e);
    }
    return best;
  }
}
