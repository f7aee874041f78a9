package jkeras.internal.graph;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;

/**
 * Keeps TensorFlow's native start-up lines off the user's console: the pair absl prints at a
 * process's first graph optimisation ({@code WARNING: All log messages before absl::InitializeLog()
 * is called are written to STDERR} and {@code ... MLIR V1 optimization pass is not enabled}), which
 * {@code TF_CPP_MIN_LOG_LEVEL} does not reach in TensorFlow 2.18. While a model's session runs for
 * the first time in the process, its native stderr (file descriptor 2) goes through a pipe; every
 * line but those two is written back to the real stderr, in order. Later runs are left alone (absl
 * prints each line once per process). {@code -Djkeras.nativeLog.keep=true} keeps them.
 *
 * <p>Linux and macOS only (libc through JNA); elsewhere, or if anything fails, stderr is left
 * alone.
 */
final class NativeStartupLog {
  private static final List<String> NOISE =
      List.of(
          "All log messages before absl::InitializeLog() is called are written to STDERR",
          "MLIR V1 optimization pass is not enabled");

  private static final Object LOCK = new Object();
  private static volatile boolean done = !supported();

  private NativeStartupLog() {}

  /** The subset of libc used here. */
  interface LibC extends Library {
    int dup(int fd);

    int dup2(int from, int to);

    int pipe(int[] fds);

    int close(int fd);

    long read(int fd, byte[] buf, long count);

    long write(int fd, byte[] buf, long count);
  }

  private static final class Holder {
    static final LibC C = Native.load("c", LibC.class);
  }

  private static boolean supported() {
    String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
    return (os.contains("linux") || os.contains("mac"))
        && !Boolean.getBoolean("jkeras.nativeLog.keep");
  }

  /** Runs {@code action} (a session's first run) with TensorFlow's start-up lines filtered out. */
  static <T> T filtered(Supplier<T> action) {
    if (done) return action.get();
    synchronized (LOCK) {
      if (done) return action.get();
      Redirect r = Redirect.open();
      if (r == null) {
        done = true;
        return action.get();
      }
      try {
        return action.get();
      } finally {
        System.err.flush();
        r.close();
        // absl prints the pair at the process' first graph run; later runs are left alone.
        done = true;
      }
    }
  }

  /** fd 2 into a pipe that a thread drains, dropping the start-up lines. */
  private static final class Redirect {
    private final int saved;
    private final Thread drain;

    private Redirect(int saved, Thread drain) {
      this.saved = saved;
      this.drain = drain;
    }

    static Redirect open() {
      try {
        LibC c = Holder.C;
        int[] fds = new int[2];
        if (c.pipe(fds) != 0) return null;
        int saved = c.dup(2);
        if (saved < 0 || c.dup2(fds[1], 2) < 0) {
          c.close(fds[0]);
          c.close(fds[1]);
          if (saved >= 0) c.close(saved);
          return null;
        }
        c.close(fds[1]);
        Thread t = new Thread(() -> pump(c, fds[0], saved), "jkeras-native-stderr");
        t.setDaemon(true);
        t.start();
        return new Redirect(saved, t);
      } catch (LinkageError | RuntimeException e) {
        return null;
      }
    }

    /** Restores fd 2; the pipe then ends and the drain thread writes what is left and exits. */
    void close() {
      LibC c = Holder.C;
      c.dup2(saved, 2);
      try {
        drain.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      c.close(saved);
    }
  }

  private static void pump(LibC c, int in, int out) {
    byte[] buf = new byte[8192];
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    try {
      for (long n; (n = c.read(in, buf, buf.length)) > 0; ) {
        for (int i = 0; i < n; i++) {
          line.write(buf[i]);
          if (buf[i] == '\n') {
            forward(c, line.toByteArray(), out);
            line.reset();
          }
        }
      }
      if (line.size() > 0) forward(c, line.toByteArray(), out);
    } finally {
      c.close(in);
    }
  }

  private static void forward(LibC c, byte[] line, int out) {
    String s = new String(line, StandardCharsets.UTF_8);
    for (String noise : NOISE) {
      if (s.contains(noise)) {
        return;
      }
    }
    c.write(out, line, line.length);
  }
}
