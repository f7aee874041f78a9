package jkeras.distribute;

/**
 * A collective of a multi-worker step failed: a peer's process died, or it did not answer within
 * the strategy's timeout. The message names the lost task where it can be told. TensorFlow's
 * collective executor of this process is unusable afterwards: exit (non-zero) and restart every
 * worker; {@code BackupAndRestore} resumes from the last completed epoch.
 */
public class WorkerLostException extends RuntimeException {
  public WorkerLostException(String message, Throwable cause) {
    super(message, cause);
  }
}
