package jkeras.python.process;

/**
 * A Python worker process ended while it was still needed (crashed, was killed, or called {@code
 * os._exit}): carries its exit status and the last lines of its stderr.
 */
public final class WorkerDiedException extends IllegalStateException {
  private static final long serialVersionUID = 1L;
  private final int worker;
  private final long pid;
  private final Integer exitStatus;
  private final String stderrTail;

  public WorkerDiedException(int worker, long pid, Integer exitStatus, String stderrTail) {
    this(worker, pid, exitStatus, stderrTail, "");
  }

  /**
   * @param note a sentence added after the status (e.g. how many workers were replaced already)
   */
  public WorkerDiedException(
      int worker, long pid, Integer exitStatus, String stderrTail, String note) {
    super(
        "Python worker process "
            + worker
            + " (pid "
            + pid
            + ") "
            + (exitStatus == null
                ? "closed its output but did not exit"
                : "exited with status " + exitStatus)
            + (exitStatus != null && exitStatus > 128 ? " (signal " + (exitStatus - 128) + ")" : "")
            + " while the data was still needed."
            + (note == null || note.isEmpty() ? "" : " " + note)
            + (stderrTail == null || stderrTail.isEmpty()
                ? " It wrote nothing to stderr."
                : " Last lines of its stderr:\n" + stderrTail));
    this.worker = worker;
    this.pid = pid;
    this.exitStatus = exitStatus;
    this.stderrTail = stderrTail == null ? "" : stderrTail;
  }

  /** The worker's index, from 0. */
  public int worker() {
    return worker;
  }

  public long pid() {
    return pid;
  }

  /** The exit status (128 + n for signal n), or null when the process had not exited. */
  public Integer exitStatus() {
    return exitStatus;
  }

  /** The last lines the worker wrote to stderr. */
  public String stderrTail() {
    return stderrTail;
  }
}
