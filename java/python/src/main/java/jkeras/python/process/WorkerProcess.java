package jkeras.python.process;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One {@code python -m jkeras.worker} process: its pipes, the tail of its stderr and the shared
 * memory slots it writes batches into. Fields marked "guarded" belong to the enqueuer's lock.
 */
final class WorkerProcess {
  private static final int STDERR_LINES = 60;

  final int index;
  final Process process;
  final long pid;
  final String prefix;
  /** Used by this worker's reader thread only. */
  final ShmBatches batches = new ShmBatches();
  private final OutputStream stdin;
  private final ArrayDeque<String> stderrTail = new ArrayDeque<>();
  private final Map<Integer, Mapping> mappings = new HashMap<>();
  private volatile boolean stderrClosed;
  private final int slots;
  /** Slots whose batch is out as a view, not yet released. */
  private final java.util.concurrent.atomic.AtomicInteger held = new java.util.concurrent.atomic.AtomicInteger();

  // Guarded by the enqueuer's lock.
  boolean ready;
  boolean exited;
  /** Sequence mode: fetches sent and not yet answered. */
  int inFlight;
  /** Generator mode: items this worker may still draw. */
  int credits;
  /** Generator mode: the generator raised StopIteration (or failed). */
  boolean finished;
  /** Replies to control requests (epoch_done, state_loaded, error without a seq). */
  final ArrayDeque<JsonNode> control = new ArrayDeque<>();
  boolean awaitingControl;

  private record Mapping(String path, long capacity, MappedByteBuffer buffer) {}

  WorkerProcess(int index, Process process, String prefix, int slots) {
    this.index = index;
    this.slots = slots;
    this.process = process;
    this.pid = process.pid();
    this.prefix = prefix;
    this.stdin = process.getOutputStream();
  }

  /** Writes one JSON line to the worker's stdin. */
  synchronized void send(String json) {
    try {
      stdin.write((json + "\n").getBytes(StandardCharsets.UTF_8));
      stdin.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot write to Python worker process " + index + " (pid " + pid + "): " + e.getMessage(), e);
    }
  }

  /** Counts one more slot held by a view, unless that would leave the worker no free slot. */
  boolean holdSlot() {
    while (true) {
      int h = held.get();
      if (h + 1 >= slots) return false;
      if (held.compareAndSet(h, h + 1)) return true;
    }
  }

  void unholdSlot() {
    held.decrementAndGet();
  }

  /** Slots held by views now (for tests). */
  int heldSlots() {
    return held.get();
  }

  /** The release action of a view of {@code slot}: frees the slot once, quietly when the worker is gone. */
  Runnable slotRelease(int slot) {
    java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
    return () -> {
      if (done.compareAndSet(false, true)) {
        held.decrementAndGet();
        freeSlot(slot);
      }
    };
  }

  /** Tells the worker it may write into {@code slot} again. */
  void freeSlot(int slot) {
    try {
      send("{\"op\":\"free\",\"slot\":" + slot + "}");
    } catch (UncheckedIOException e) {
      // the worker is gone (or stopping); its reader reports a death
    }
  }

  /** Closes stdin: the worker exits on EOF. */
  synchronized void closeStdin() {
    try {
      stdin.close();
    } catch (IOException e) {
      // already gone
    }
  }

  BufferedReader stdout() {
    return new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8), 1 << 16);
  }

  /** Reads stderr to its end: keeps the last lines and forwards them to {@code System.err}. */
  void pumpStderr() {
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        synchronized (stderrTail) {
          if (stderrTail.size() == STDERR_LINES) stderrTail.removeFirst();
          stderrTail.addLast(line);
        }
        System.err.println(line);
      }
    } catch (IOException e) {
      // the process is gone
    } finally {
      stderrClosed = true;
      synchronized (stderrTail) {
        stderrTail.notifyAll();
      }
    }
  }

  /** The last lines of stderr, after waiting up to {@code millis} for the stream to end. */
  String stderrTail(long millis) {
    synchronized (stderrTail) {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
      while (!stderrClosed) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) break;
        try {
          stderrTail.wait(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      return String.join("\n", List.copyOf(stderrTail));
    }
  }

  /** The exit status after waiting up to {@code millis}, or null when it still runs. */
  Integer exitStatus(long millis) {
    try {
      if (process.waitFor(millis, TimeUnit.MILLISECONDS)) return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return null;
  }

  /** The mapping of a slot file at least {@code capacity} bytes long (remapped when it grew). */
  MappedByteBuffer map(int slot, String path, long capacity) {
    Mapping m = mappings.get(slot);
    if (m == null || !m.path.equals(path) || m.capacity < capacity) {
      try (FileChannel ch = FileChannel.open(Path.of(path), StandardOpenOption.READ)) {
        m = new Mapping(path, capacity, ch.map(FileChannel.MapMode.READ_ONLY, 0, capacity));
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot map the shared-memory batch file " + path + ": " + e, e);
      }
      mappings.put(slot, m);
    }
    return m.buffer;
  }

  void dropMappings() {
    mappings.clear();
  }

  @Override
  public String toString() {
    return "Python worker process " + index + " (pid " + pid + ")";
  }
}
