package jkeras.python.process;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.function.DoubleSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jkeras.data.Batch;
import jkeras.internal.Warnings;
import jkeras.python.BridgeSpec;
import jkeras.python.PythonEnvironment;
import jkeras.python.PythonErrors;
import jkeras.python.PythonSource;

/**
 * The worker processes of one {@link ProcessEnqueuer}: launches {@code <venv>/bin/python -m
 * jkeras.worker} ({@link ProcessBuilder}, never a fork of the JVM), reads each worker's frames on a
 * thread of its own, turns batch frames into {@link Batch}es over the worker's shared-memory slots,
 * and ends the processes: {@link #stop()}, a worker that dies, the JVM shutdown hook. It owns the
 * shared-memory files ({@code <shm dir>/jkeras-<jvm pid>-<worker>-e<pool>-...}): deletes its own at
 * stop and those of JVMs that no longer run.
 *
 * <p>What the frames mean for the data is the {@link Listener}'s: {@link SequenceDispatch} or
 * {@link GeneratorFlow}. One lock ({@link #lock}) guards the pool's state and the listener's;
 * listener callbacks run with it held, and {@link #awaitChange()} wakes after each.
 */
final class WorkerPool {
  /** What a mode does with the workers' messages; every method runs with the pool's lock held. */
  interface Listener {
    /** {@code w} is ready; {@code msg} is its READY frame ({@code len} for a Sequence). */
    void onReady(WorkerProcess w, JsonNode msg);

    /** A batch from {@code w}, or the {@link Failure} of reading it; {@code seq} as sent, or -1. */
    void onBatch(WorkerProcess w, long seq, Object result);

    /**
     * After {@link #onBatch}: whether the consumer should be woken, false while it waits for more
     * batches of its group (one wakeup per group).
     */
    default boolean wakeOnBatch(Object result) {
      return true;
    }

    /**
     * A Python exception from a ready worker that is not a control reply; {@code seq} -1 when none.
     */
    void onError(WorkerProcess w, long seq, RuntimeException error);

    /** {@code w}'s generator raised StopIteration. */
    void onStop(WorkerProcess w);

    /**
     * {@code w} died and the pool may replace it: take back what it held (indices in flight,
     * credits). Returns what the replacement does differently, for the warning, or null when {@code
     * w} need not be replaced (its generator had ended).
     */
    String onDeath(WorkerProcess w);

    /** {@code w} (a replacement) loaded the Sequence's latest state and may take work. */
    default void onRestored(WorkerProcess w) {}

    /** What {@code w} was asked for and has not delivered, for the stall warning, or null. */
    default String pending(WorkerProcess w) {
      return null;
    }
  }

  /** A failure travelling in order with the batches. */
  record Failure(RuntimeException error) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicInteger IDS = new AtomicInteger();
  private static final Set<WorkerPool> LIVE = ConcurrentHashMap.newKeySet();
  private static final long JVM_PID = ProcessHandle.current().pid();
  private static final long GRACE_MILLIS = 2_000;
  private static final long START_TIMEOUT_MILLIS =
      Long.getLong("jkeras.python.workerStartTimeoutSeconds", 300L) * 1000;
  private static volatile boolean hookInstalled;
  // Worker to JVM frames (see jkeras/worker.py).
  private static final int READY = 1;
  private static final int SLOT = 2;
  private static final int LAYOUT = 3;
  private static final int BATCH = 4;
  private static final int ERROR = 5;
  private static final int STOP = 6;
  private static final int REPLY = 7;

  final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final PythonEnvironment env;
  private final PythonSource source;
  private final boolean isSequence;
  private final long seed;
  private final int id = IDS.incrementAndGet();
  private final Path shmDir;
  private final BiConsumer<String, Runnable> spawn;
  private Listener listener;
  private final WorkerFaultOptions faults;

  /** The enqueuer's fetch timeout, in seconds (read at each wait). */
  private final DoubleSupplier fetchTimeout;

  // Guarded by lock.
  private final List<WorkerProcess> procs = new ArrayList<>();
  private RuntimeException fatal;
  private int maxQueueSize;
  private int workerCount;

  /** All workers are ready once: deaths from then on are replaced. */
  private boolean started;

  /** Workers replaced in the current epoch, and in all. */
  private int restartsThisEpoch;

  private int restarts;

  /** The largest batch a worker wrote, in bytes (the capacity check at later starts). */
  private long largestBatch;

  /** Set by {@link #stop()} and the shutdown hook: exits and failures are expected from then on. */
  private volatile boolean stopping;

  /**
   * @param spawn starts a named thread the enqueuer joins at stop (its {@code spawn})
   * @param fetchTimeout the enqueuer's {@code fetchTimeout()}
   */
  WorkerPool(
      PythonEnvironment env,
      PythonSource source,
      boolean isSequence,
      long seed,
      BiConsumer<String, Runnable> spawn,
      WorkerFaultOptions faults,
      DoubleSupplier fetchTimeout) {
    this.env = env;
    this.faults = faults;
    this.fetchTimeout = fetchTimeout;
    this.source = source;
    this.isSequence = isSequence;
    this.seed = seed;
    this.spawn = spawn;
    Path dev = Path.of(System.getProperty("jkeras.python.shmDir", "/dev/shm"));
    this.shmDir = Files.isDirectory(dev) ? dev : Path.of(System.getProperty("java.io.tmpdir"));
  }

  void listen(Listener l) {
    this.listener = l;
  }

  // ------------------------------------------------------------------------------------------
  // Start

  /** Launches {@code workers} processes and waits until all are ready; the failure, or null. */
  RuntimeException start(int workers, int maxQueueSize) {
    lock.lock();
    try {
      this.maxQueueSize = maxQueueSize;
      fatal = null;
      procs.clear();
      stopping = false;
      started = false;
      workerCount = workers;
      restartsThisEpoch = 0;
    } finally {
      lock.unlock();
    }
    installHook();
    LIVE.add(this);
    sweepStaleFiles(shmDir);
    try {
      checkCapacity(workers, workers);
      for (int i = 0; i < workers; i++) launch(i, workers, 0);
      RuntimeException failure = awaitReady();
      if (failure == null) {
        lock.lock();
        try {
          started = true;
        } finally {
          lock.unlock();
        }
      }
      return failure;
    } catch (RuntimeException e) {
      return e;
    }
  }

  /** A new epoch: the count of workers replaced in it starts over. */
  void newEpoch() {
    lock.lock();
    try {
      restartsThisEpoch = 0;
    } finally {
      lock.unlock();
    }
  }

  /** How many workers were replaced since the start. */
  int restarts() {
    lock.lock();
    try {
      return restarts;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Starts worker {@code index}; {@code generation} 0 at start, then the restart count: a replaced
   * worker gets new file names and, for a generator, a new seed ({@code seed + generation *
   * workers}, plus its index in the worker).
   */
  private WorkerProcess launch(int index, int workers, int generation) {
    String prefix =
        shmDir
            .resolve(
                "jkeras-"
                    + JVM_PID
                    + "-"
                    + index
                    + "-e"
                    + id
                    + (generation == 0 ? "" : "-r" + generation))
            .toString();
    Map<String, Object> cfg = new LinkedHashMap<>();
    cfg.put("source", BridgeSpec.toMap(source));
    cfg.put("mode", isSequence ? "sequence" : "generator");
    cfg.put("index", index);
    cfg.put("workers", workers);
    cfg.put("seed", seedOf(generation));
    cfg.put("parent", JVM_PID);
    cfg.put("prefix", prefix);
    cfg.put("slots", slotsPerWorker());
    String json;
    try {
      json = JSON.writeValueAsString(cfg);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "The Python source's arguments must be JSON-compatible (numbers, strings, booleans, lists, maps, null): "
              + e.getOriginalMessage(),
          e);
    }
    Path python = env.pythonExecutable();
    ProcessBuilder pb = new ProcessBuilder(python.toString(), "-m", "jkeras.worker", json);
    StringBuilder pythonPath = new StringBuilder();
    for (Path p : env.includePaths()) {
      if (pythonPath.length() > 0) pythonPath.append(File.pathSeparatorChar);
      pythonPath.append(p);
    }
    String old = System.getenv("PYTHONPATH");
    if (old != null && !old.isEmpty()) pythonPath.append(File.pathSeparatorChar).append(old);
    if (pythonPath.length() > 0) pb.environment().put("PYTHONPATH", pythonPath.toString());
    pb.environment().remove("PYTHONHOME");
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new IllegalStateException(
          "Cannot start the Python worker process `"
              + python
              + " -m jkeras.worker`: "
              + e.getMessage()
              + ". Check the virtual environment (system property jkeras.python.venv or JKERAS_VENV).",
          e);
    }
    WorkerProcess w = new WorkerProcess(index, p, prefix, slotsPerWorker(), isSequence);
    w.generation = generation;
    lock.lock();
    try {
      if (index < procs.size()) procs.set(index, w);
      else procs.add(w);
    } finally {
      lock.unlock();
    }
    spawn.accept("pyworker-out", () -> readLoop(w));
    spawn.accept("pyworker-err", w::pumpStderr);
    return w;
  }

  /** The seed a worker of {@code generation} adds its index to. */
  long seedOf(int generation) {
    return seed + (long) generation * Math.max(1, workerCount);
  }

  /**
   * Outstanding batches of one worker are at most {@code maxQueueSize} (fetches started or credits
   * granted beyond those handed out) plus the one in use; one more to write into.
   */
  private int slotsPerWorker() {
    return maxQueueSize + 2;
  }

  private RuntimeException awaitReady() {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MILLIS);
    lock.lock();
    try {
      while (fatal == null && !procs.stream().allMatch(w -> w.ready)) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return new IllegalStateException(
              "The Python worker processes did not start within "
                  + START_TIMEOUT_MILLIS / 1000
                  + " s (system property jkeras.python.workerStartTimeoutSeconds).");
        }
        changed.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
      }
      return fatal;
    } catch (InterruptedException e) {
      return ProcessEnqueuer.interruption(e);
    } finally {
      lock.unlock();
    }
  }

  // ------------------------------------------------------------------------------------------
  // State shared with the listener (lock held)

  /** The options for faults. */
  WorkerFaultOptions faults() {
    return faults;
  }

  /** The workers, in index order (lock held; the list itself, not a copy). */
  List<WorkerProcess> workers() {
    return procs;
  }

  /** The first failure that ends the run, or null. */
  RuntimeException fatal() {
    return fatal;
  }

  /** Records {@code e} as the failure that ends the run, unless there is one already. */
  void setFatal(RuntimeException e) {
    if (fatal == null) fatal = e;
  }

  boolean stopping() {
    return stopping;
  }

  /** Waits (lock held) until a message came or 100 ms passed. */
  void awaitChange() throws InterruptedException {
    changed.await(100, TimeUnit.MILLISECONDS);
  }

  /** When a wait that starts now should first warn (see {@link #checkStall}). */
  long stallDue() {
    return System.nanoTime() + (long) (fetchTimeout.getAsDouble() * 1e9);
  }

  /**
   * Called (lock held) while a consumer waits for a batch: once {@code due} passed, warns with
   * Keras' text {@code keras} followed by the state of every worker, and returns when the next
   * warning is due. A dead worker is replaced by its reader thread; an alive one is waited for.
   */
  long checkStall(long due, String keras) {
    if (System.nanoTime() - due < 0) return due;
    StringBuilder sb = new StringBuilder(keras);
    sb.append(" No batch came for ")
        .append(fetchTimeout.getAsDouble())
        .append(" s (fetch_timeout); still waiting, nothing is dropped. Workers:");
    for (WorkerProcess w : procs) {
      sb.append(' ').append(w.index).append(" (pid ").append(w.pid).append(") ");
      if (w.exited || !w.process.isAlive()) sb.append("dead, being replaced or reported;");
      else if (!w.ready) sb.append("starting;");
      else {
        String pending = listener.pending(w);
        sb.append(pending == null ? "alive;" : "alive, " + pending + ";");
      }
    }
    sb.setLength(sb.length() - 1);
    sb.append('.');
    Warnings.warn(sb.toString());
    return stallDue();
  }

  /** The pids of the worker processes. */
  List<Long> pids() {
    lock.lock();
    try {
      return procs.stream().map(w -> w.pid).toList();
    } finally {
      lock.unlock();
    }
  }

  /** Sends a control request (lock held); its reply is for {@link #awaitControl}. */
  void sendControl(WorkerProcess w, String json) {
    w.awaitingControl = true;
    w.sendJson(WorkerProcess.CONTROL, json);
  }

  /**
   * Sends a control request and waits for its reply (lock held); null as for {@link #awaitControl}.
   */
  JsonNode request(WorkerProcess w, String json) throws InterruptedException {
    sendControl(w, json);
    return awaitControl(w);
  }

  /** The worker's reply, or null when a worker failed or the pool stopped meanwhile. */
  JsonNode awaitControl(WorkerProcess w) throws InterruptedException {
    try {
      while (w.control.isEmpty()) {
        if (fatal != null || stopping || w.exited) return null;
        awaitChange();
      }
      return w.control.removeFirst();
    } finally {
      w.awaitingControl = false;
    }
  }

  /** Whether a reply is a Python error rather than the answer asked for. */
  static boolean isError(JsonNode reply) {
    return reply.path("op").asText().equals("error");
  }

  /** The exception for a worker's error message ({@code jkeras.bridge.report}'s fields). */
  static RuntimeException error(JsonNode msg) {
    return PythonErrors.toJava(
        msg.path("type").asText(),
        msg.path("message").asText(),
        msg.path("traceback").asText(),
        msg.path("usage").asBoolean(false));
  }

  // ------------------------------------------------------------------------------------------
  // Messages from the workers

  private void readLoop(WorkerProcess w) {
    byte[] header = new byte[WorkerProcess.HEADER];
    ByteBuffer h = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
    try (DataInputStream in = w.stdout()) {
      while (true) {
        try {
          in.readFully(header);
        } catch (EOFException e) {
          break;
        }
        int op = h.getInt(0);
        int a = h.getInt(4);
        int b = h.getInt(8);
        int n = h.getInt(12);
        long c = h.getLong(16);
        byte[] payload = null;
        if (n < 0 || n > (1 << 30))
          throw new IOException("bad frame header (op " + op + ", payload " + n + " bytes)");
        if (n > 0) {
          payload = new byte[n];
          in.readFully(payload);
        }
        handle(w, op, a, b, c, payload);
      }
    } catch (IOException | RuntimeException e) {
      if (!stopping) fail(new IllegalStateException("Lost the connection to " + w + ": " + e, e));
    }
    if (stopping) {
      markExited(w);
      return;
    }
    Integer status = w.exitStatus(GRACE_MILLIS);
    if (status == null) w.process.destroyForcibly(); // its output is gone: it cannot serve anyway
    String tail = w.stderrTail(1_000);
    onDeath(w, status, tail);
  }

  /**
   * A worker died while needed: replaced (with a warning) while fewer than {@code
   * maxWorkerRestarts} were replaced in this epoch; otherwise the run ends with its {@link
   * WorkerDiedException}. Deaths before every worker was ready end the run: the source itself
   * cannot start.
   */
  private void onDeath(WorkerProcess w, Integer status, String tail) {
    deleteFilesOf(w);
    lock.lock();
    try {
      w.exited = true;
      if (stopping || fatal != null) return;
      int limit = faults.maxWorkerRestarts();
      if (!started || restartsThisEpoch >= limit) {
        String note =
            !started
                ? ""
                : limit == 0
                    ? "Dead workers are not replaced (max_worker_restarts=0)."
                    : restartsThisEpoch
                        + " worker(s) were replaced in this epoch already (max_worker_restarts="
                        + limit
                        + ").";
        fatal = new WorkerDiedException(w.index, w.pid, status, tail, note);
        return;
      }
      String what = listener.onDeath(w);
      if (what == null) return;
      restartsThisEpoch++;
      restarts++;
      String cause =
          status == null
              ? "closed its output"
              : "exited with status "
                  + status
                  + (status > 128 ? " (signal " + (status - 128) + ")" : "");
      try {
        checkCapacity(1, workerCount);
        WorkerProcess fresh = launch(w.index, workerCount, restarts);
        Warnings.warn(
            w
                + " "
                + cause
                + "; replaced by a new worker process (pid "
                + fresh.pid
                + "), restart "
                + restartsThisEpoch
                + " of at most "
                + limit
                + " in this epoch (max_worker_restarts). "
                + what);
      } catch (RuntimeException e) {
        fatal = new WorkerDiedException(w.index, w.pid, status, tail, "Replacing it failed: " + e);
      }
    } finally {
      changed.signalAll();
      lock.unlock();
    }
  }

  /** A new batch layout: its size is checked against the free shared memory once it grows. */
  private void onLayout(ShmBatches.Layout layout) {
    long bytes = 0;
    for (int k = 0; k < layout.offsets().length; k++) {
      long n = itemSize(layout.dtypeNames()[k]);
      for (long d : layout.shapes()[k]) n *= d;
      bytes = Math.max(bytes, layout.offsets()[k] + n);
    }
    RuntimeException error = null;
    lock.lock();
    try {
      if (bytes <= largestBatch) return;
      long before = largestBatch;
      largestBatch = bytes;
      // Slots already mapped count as held: only the growth must fit.
      long need = (long) workerCount * slotsPerWorker() * (pageRound(bytes) - pageRound(before));
      long free = usableShm();
      if (free >= 0 && need > free) error = capacityError(workerCount, bytes, free);
    } finally {
      lock.unlock();
    }
    if (error != null) fail(error);
  }

  private static long itemSize(String dtype) {
    if (dtype.endsWith("64")) return 8;
    if (dtype.endsWith("32")) return 4;
    if (dtype.endsWith("16")) return 2;
    return 1;
  }

  private static long pageRound(long bytes) {
    return (bytes + 4095) / 4096 * 4096;
  }

  /** When >= 0, the free shared memory tests pretend there is. */
  static volatile long freeShmForTests = -1;

  /** Free bytes in the shared-memory directory, or -1 when unknown. */
  private long usableShm() {
    if (freeShmForTests >= 0) return freeShmForTests;
    try {
      return Files.getFileStore(shmDir).getUsableSpace();
    } catch (IOException e) {
      return -1;
    }
  }

  /**
   * Before starting {@code n} workers (of {@code workers}): their slots must fit in the free shared
   * memory, once a batch size is known (from an earlier run or worker of this pool).
   */
  private void checkCapacity(int n, int workers) {
    long bytes;
    lock.lock();
    try {
      bytes = largestBatch;
    } finally {
      lock.unlock();
    }
    long free = usableShm();
    if (bytes > 0 && free >= 0 && (long) n * slotsPerWorker() * pageRound(bytes) > free) {
      throw capacityError(workers, bytes, free);
    }
  }

  private RuntimeException capacityError(int workers, long batchBytes, long free) {
    long need = (long) workers * slotsPerWorker() * pageRound(batchBytes);
    return new IllegalStateException(
        String.format(
            "Shared memory cannot hold the batches of the Python worker processes: %d workers x %d"
                + " slots (max_queue_size + 2) x %s per batch need %s in %s, which has %s free."
                + " Reduce `workers`, `max_queue_size` or the batch size, enlarge %s (in a"
                + " container: `docker run --shm-size=1g`), set the system property"
                + " jkeras.python.shmDir to a larger tmpfs, or use use_multiprocessing=False.",
            workers, slotsPerWorker(), mb(batchBytes), mb(need), shmDir, mb(free), shmDir));
  }

  private static String mb(long bytes) {
    return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / 1048576.0);
  }

  /** The files of one worker (after it died: its own cleanup did not run). */
  private void deleteFilesOf(WorkerProcess w) {
    w.dropMappings();
    Path name = Path.of(w.prefix).getFileName();
    Pattern mine = Pattern.compile(Pattern.quote(name.toString()) + "-s\\d+");
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(shmDir, name + "-*")) {
      for (Path p : ds) {
        if (mine.matcher(p.getFileName().toString()).matches()) Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // deleted at stop
    }
  }

  private void markExited(WorkerProcess w) {
    lock.lock();
    try {
      w.exited = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** A failure seen by a reader thread: ends the run unless the pool is stopping anyway. */
  private void fail(RuntimeException e) {
    lock.lock();
    try {
      if (fatal == null && !stopping) fatal = e;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private static JsonNode json(byte[] payload) throws IOException {
    return JSON.readTree(payload == null ? new byte[] {'{', '}'} : payload);
  }

  private void handle(WorkerProcess w, int op, int a, int b, long c, byte[] payload)
      throws IOException {
    switch (op) {
      case BATCH -> onBatch(w, a, b, c);
      case SLOT -> w.remap(a, c);
      case LAYOUT -> {
        if (a < 0 || a >= ShmBatches.MAX_LAYOUTS)
          throw new IOException("layout id " + a + " out of range");
        try {
          w.layouts[a] = ShmBatches.parseLayout(payload);
          w.layoutErrors[a] = null;
        } catch (RuntimeException e) {
          // Not a batch the JVM can read (e.g. x is None): the batches of this layout fail in
          // order.
          w.layouts[a] = null;
          w.layoutErrors[a] = e;
          return;
        }
        onLayout(w.layouts[a]);
      }
      case READY -> {
        JsonNode msg = json(payload);
        lock.lock();
        try {
          w.ready = true;
          listener.onReady(w, msg);
          changed.signalAll();
        } finally {
          lock.unlock();
        }
      }
      case ERROR -> onError(w, json(payload));
      case STOP -> {
        lock.lock();
        try {
          listener.onStop(w);
          changed.signalAll();
        } finally {
          lock.unlock();
        }
      }
      case REPLY -> {
        JsonNode msg = json(payload);
        lock.lock();
        try {
          if (w.restoring) {
            w.restoring = false;
            listener.onRestored(w);
          } else {
            w.control.add(msg);
          }
          changed.signalAll();
        } finally {
          lock.unlock();
        }
      }
      default -> fail(new IllegalStateException("Unexpected frame (op " + op + ") from " + w));
    }
  }

  private void onBatch(WorkerProcess w, int slot, int layoutId, long seq) {
    Object result;
    // A view holds the slot until released; keep one slot free whatever the consumer does.
    boolean view = ShmBatches.VIEWS && w.holdSlot();
    try {
      ShmBatches.Layout layout =
          layoutId >= 0 && layoutId < ShmBatches.MAX_LAYOUTS ? w.layouts[layoutId] : null;
      if (layout == null && layoutId >= 0 && layoutId < ShmBatches.MAX_LAYOUTS)
        if (w.layoutErrors[layoutId] != null) throw w.layoutErrors[layoutId];
      if (layout == null)
        throw new IllegalStateException(w + " sent a batch of unknown layout " + layoutId + ".");
      Batch b = ShmBatches.batch(w.mapped(slot), layout, view);
      result = view ? b.withRelease(w.slotRelease(slot)) : b;
    } catch (RuntimeException e) {
      if (view) w.unholdSlot();
      view = false;
      result = new Failure(e);
    }
    if (!view) w.freeSlot(slot);
    lock.lock();
    try {
      listener.onBatch(w, seq, result);
      if (listener.wakeOnBatch(result)) changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void onError(WorkerProcess w, JsonNode msg) {
    RuntimeException e = error(msg);
    JsonNode seqNode = msg.get("seq");
    long seq = seqNode == null || seqNode.isNull() ? -1 : seqNode.asLong();
    lock.lock();
    try {
      if (!w.ready) {
        setFatal(e); // the source could not be built
      } else if (seq < 0 && w.restoring) {
        setFatal(e); // a replacement could not load the Sequence's state
      } else if (seq < 0 && w.awaitingControl) {
        w.control.add(msg); // the reply to epoch_end or load_state
      } else {
        listener.onError(w, seq, e);
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  // ------------------------------------------------------------------------------------------
  // Stop

  /** Ends every worker ({@link #terminate}) and deletes this pool's files. */
  void stop() {
    stopping = true;
    List<WorkerProcess> all;
    lock.lock();
    try {
      all = List.copyOf(procs);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    terminate(all, GRACE_MILLIS);
    deleteFiles();
    LIVE.remove(this);
  }

  /** EOF on stdin, then SIGTERM, then SIGKILL, each after {@code grace}; reaps every process. */
  private static void terminate(List<WorkerProcess> all, long grace) {
    for (WorkerProcess w : all) w.closeStdin();
    if (!awaitExit(all, grace)) {
      for (WorkerProcess w : all) if (w.process.isAlive()) w.process.destroy();
      if (!awaitExit(all, grace)) {
        for (WorkerProcess w : all) if (w.process.isAlive()) w.process.destroyForcibly();
        awaitExit(all, 5 * grace);
      }
    }
    for (WorkerProcess w : all) w.dropMappings();
  }

  private static boolean awaitExit(List<WorkerProcess> all, long millis) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    try {
      for (WorkerProcess w : all) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || !w.process.waitFor(left, TimeUnit.NANOSECONDS)) return false;
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void deleteFiles() {
    Pattern mine = Pattern.compile("jkeras-" + JVM_PID + "-\\d+-e" + id + "-.*");
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(shmDir, "jkeras-" + JVM_PID + "-*")) {
      for (Path p : ds) {
        if (mine.matcher(p.getFileName().toString()).matches()) Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      Warnings.warn(
          "Could not delete the shared-memory files of the Python workers in " + shmDir + ": " + e);
    }
  }

  /** Deletes files left by JVMs that no longer run (killed before their workers cleaned up). */
  private static void sweepStaleFiles(Path dir) {
    Pattern p = Pattern.compile("jkeras-(\\d+)-.*");
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "jkeras-*")) {
      for (Path f : ds) {
        Matcher m = p.matcher(f.getFileName().toString());
        if (!m.matches()) continue;
        long pid = Long.parseLong(m.group(1));
        if (pid != JVM_PID
            && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) == Boolean.FALSE) {
          Files.deleteIfExists(f);
        }
      }
    } catch (IOException | RuntimeException e) {
      // best effort
    }
  }

  /** At JVM exit (not SIGKILL: then the workers see their parent go), ends every live pool. */
  private static synchronized void installHook() {
    if (hookInstalled) return;
    hookInstalled = true;
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  for (WorkerPool pool : List.copyOf(LIVE)) {
                    List<WorkerProcess> all;
                    pool.lock.lock();
                    try {
                      all = List.copyOf(pool.procs);
                    } finally {
                      pool.lock.unlock();
                    }
                    pool.stopping = true;
                    terminate(all, 500);
                    pool.deleteFiles();
                  }
                },
                "jkeras-python-workers-shutdown"));
  }
}
