package jkeras.python.process;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
 * memory slots it writes batches into. Fields marked "guarded" belong to the {@link WorkerPool}'s
 * lock.
 *
 * <p>Frames to the worker are {@link #HEADER} bytes, little-endian {@code (int32 op, int32 a, int32
 * b, int32 payload length, int64 c)}, then the payload (see {@code jkeras/worker.py}). Per batch
 * the JVM sends one frame: a generator's {@code FREE} carries the slot and the credits granted
 * since the last frame; a Sequence's frees wait (while the worker keeps enough free slots) and ride
 * on the next {@code GET}.
 */
final class WorkerProcess {
  private static final int STDERR_LINES = 60;
  static final int HEADER = 24;
  // JVM to worker.
  static final int GET = 1;
  static final int FREE = 2;
  static final int CONTROL = 3;

  final int index;
  final Process process;
  final long pid;
  final String prefix;
  private final OutputStream stdin;
  private final byte[] out = new byte[HEADER];
  private final ByteBuffer outHeader = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
  private final boolean isSequence;

  /** Generator mode: credits granted (counted in {@link #credits}) but not yet sent. */
  private final java.util.concurrent.atomic.AtomicInteger unsentCredits =
      new java.util.concurrent.atomic.AtomicInteger();

  /**
   * Generator mode: the consumer's group size ({@code steps_per_execution}), sent with every {@code
   * FREE}: the worker announces up to this many batches in one write.
   */
  volatile int group = 1;

  /** Sequence mode: slots released by the JVM, not yet told to the worker (guarded by this). */
  private final int[] pendingFrees;

  private int pendingCount;

  /** Layouts by id, as the worker announced them (reader thread only). */
  final ShmBatches.Layout[] layouts = new ShmBatches.Layout[ShmBatches.MAX_LAYOUTS];

  /** Why a layout could not be read, by id (reader thread only). */
  final RuntimeException[] layoutErrors = new RuntimeException[ShmBatches.MAX_LAYOUTS];

  private final ArrayDeque<String> stderrTail = new ArrayDeque<>();
  private final Map<Integer, Mapping> mappings = new HashMap<>();
  private volatile boolean stderrClosed;
  private final int slots;

  /** Slots whose batch is out as a view, not yet released. */
  private final java.util.concurrent.atomic.AtomicInteger held =
      new java.util.concurrent.atomic.AtomicInteger();

  // Guarded by the pool's lock.
  boolean ready;
  boolean exited;

  /** Replies to control requests (epoch_done, state_loaded, error without a seq). */
  final ArrayDeque<JsonNode> control = new ArrayDeque<>();

  boolean awaitingControl;

  /** 0 for the workers started first, then the pool's restart count when this one replaced one. */
  int generation;

  /** A replacement loading the Sequence's latest state; takes no work until it replies. */
  boolean restoring;

  private record Mapping(String path, long capacity, MappedByteBuffer buffer) {}

  WorkerProcess(int index, Process process, String prefix, int slots, boolean isSequence) {
    this.index = index;
    this.slots = slots;
    this.isSequence = isSequence;
    this.pendingFrees = new int[slots];
    this.process = process;
    this.pid = process.pid();
    this.prefix = prefix;
    this.stdin = process.getOutputStream();
  }

  /** Writes one frame without payload to the worker's stdin. */
  synchronized void send(int op, int a, int b, long c) {
    outHeader.putInt(0, op).putInt(4, a).putInt(8, b).putInt(12, 0).putLong(16, c);
    write(out, null);
  }

  /** Writes one frame whose payload is {@code json}. */
  synchronized void sendJson(int op, String json) {
    byte[] payload = json.getBytes(StandardCharsets.UTF_8);
    outHeader.putInt(0, op).putInt(4, 0).putInt(8, 0).putInt(12, payload.length).putLong(16, 0);
    write(out, payload);
  }

  private void write(byte[] header, byte[] payload) {
    try {
      if (payload == null) {
        stdin.write(header);
      } else {
        byte[] all = java.util.Arrays.copyOf(header, HEADER + payload.length);
        System.arraycopy(payload, 0, all, HEADER, payload.length);
        stdin.write(all);
      }
      stdin.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot write to Python worker process "
              + index
              + " (pid "
              + pid
              + "): "
              + e.getMessage(),
          e);
    }
  }

  /**
   * Generator mode: one more credit for the worker, sent now when {@code now}, else with the next
   * frame.
   */
  void grantCredit(boolean now) {
    unsentCredits.incrementAndGet();
    if (now) flushCredits();
  }

  /** Credits granted but not yet sent. */
  int unsentCredits() {
    return unsentCredits.get();
  }

  /** Forgets the credits not yet sent (the generator ended). */
  void dropUnsentCredits() {
    unsentCredits.set(0);
  }

  /** Sends the credits not yet sent, if any. */
  void flushCredits() {
    int n = unsentCredits.getAndSet(0);
    if (n > 0) sendQuietly(FREE, -1, n, group);
  }

  private void sendQuietly(int op, int a, int b, long c) {
    try {
      send(op, a, b, c);
    } catch (UncheckedIOException e) {
      // the worker is gone (or stopping); its reader reports a death
    }
  }

  /** Sequence mode: a slot to free with the next GET, or -1. */
  synchronized int takePendingFree() {
    return pendingCount == 0 ? -1 : pendingFrees[--pendingCount];
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

  /**
   * The release action of a view of {@code slot}: frees the slot once, quietly when the worker is
   * gone.
   */
  Runnable slotRelease(int slot) {
    java.util.concurrent.atomic.AtomicBoolean done =
        new java.util.concurrent.atomic.AtomicBoolean();
    return () -> {
      if (done.compareAndSet(false, true)) {
        held.decrementAndGet();
        freeSlot(slot);
      }
    };
  }

  /**
   * Tells the worker it may write into {@code slot} again. A generator's worker hears it at once,
   * with the credits not yet sent. A Sequence's worker hears it with its next GET, unless the slots
   * still free for it (all but those held by views and those pending) could be too few for the
   * fetches it may be given: then every pending slot is sent now.
   */
  void freeSlot(int slot) {
    if (!isSequence) {
      sendQuietly(FREE, slot, unsentCredits.getAndSet(0), group);
      return;
    }
    int[] flush = null;
    synchronized (this) {
      pendingFrees[pendingCount++] = slot;
      if (held.get() + pendingCount + SequenceDispatch.FETCH_DEPTH + 1 >= slots) {
        flush = java.util.Arrays.copyOf(pendingFrees, pendingCount);
        pendingCount = 0;
      }
    }
    if (flush != null) for (int s : flush) sendQuietly(FREE, s, 0, 0);
  }

  /** Closes stdin: the worker exits on EOF. */
  synchronized void closeStdin() {
    try {
      stdin.close();
    } catch (IOException e) {
      // already gone
    }
  }

  DataInputStream stdout() {
    return new DataInputStream(new BufferedInputStream(process.getInputStream(), 1 << 16));
  }

  /** Reads stderr to its end: keeps the last lines and forwards them to {@code System.err}. */
  void pumpStderr() {
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
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

  /** The file of {@code slot}, as the worker names it. */
  String slotPath(int slot) {
    return prefix + "-s" + slot;
  }

  /** Maps the slot's file anew: the worker created or grew it to {@code capacity} bytes. */
  void remap(int slot, long capacity) {
    mappings.remove(slot);
    map(slot, capacity);
  }

  /** The current mapping of {@code slot} (reader thread). */
  MappedByteBuffer mapped(int slot) {
    Mapping m = mappings.get(slot);
    if (m == null)
      throw new IllegalStateException(this + " sent a batch in slot " + slot + " before its file.");
    return m.buffer;
  }

  /** The mapping of a slot file at least {@code capacity} bytes long (remapped when it grew). */
  MappedByteBuffer map(int slot, long capacity) {
    Mapping m = mappings.get(slot);
    if (m == null || m.capacity < capacity) {
      String path = slotPath(slot);
      try (FileChannel ch = FileChannel.open(Path.of(path), StandardOpenOption.READ)) {
        m = new Mapping(path, capacity, ch.map(FileChannel.MapMode.READ_ONLY, 0, capacity));
      } catch (IOException e) {
        throw new UncheckedIOException(
            "Cannot map the shared-memory batch file " + path + ": " + e, e);
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
