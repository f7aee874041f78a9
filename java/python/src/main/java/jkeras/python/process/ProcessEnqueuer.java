package jkeras.python.process;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jkeras.data.Batch;
import jkeras.python.PythonEnvironment;
import jkeras.python.PythonException;
import jkeras.python.PythonSource;
import jkeras.utils.GeneratorExhaustedException;
import jkeras.utils.SequenceEnqueuer;
import jkeras.internal.Warnings;

/**
 * Keras' {@code use_multiprocessing=True} for a Python data source: {@code workers} processes
 * {@code <venv>/bin/python -m jkeras.worker} (started with {@link ProcessBuilder}, never a fork of
 * the JVM), each with its own GIL, shipping batches through shared-memory files in
 * {@code /dev/shm} ({@code jkeras-<jvm pid>-<worker>-e<enqueuer>-...}) and binary control frames over
 * their stdin and stdout.
 *
 * <p><b>Sequence</b> ({@code isSequence}): every worker builds the Sequence; the JVM hands indices
 * out to the least busy workers (at most two requests queued per worker), in order or in a
 * permutation per pass drawn from {@code seed}, and {@link #next()} returns batches strictly in
 * that order, each index exactly once per pass.
 * Fetches are released by {@link #beginEpoch}; at most {@code maxQueueSize} fetches are ever
 * started beyond the batches {@link #next()} has returned (in progress in a worker or waiting in
 * the JVM). {@link #endEpoch()} waits for fetches in progress, runs {@code on_epoch_end()} in
 * worker 0 and, with several workers, ships the pickled Sequence to the others, so every worker
 * starts the next epoch from the new state.
 *
 * <p><b>Generator</b>: each worker builds its own generator, with {@code random} and
 * {@code numpy.random} seeded with {@code seed + worker index}, and draws one item per credit:
 * the JVM keeps credits granted plus batches waiting at exactly {@code maxQueueSize}, so at most
 * {@code maxQueueSize} items are drawn beyond those {@link #next()} returned. With more than one
 * worker Keras' duplicate-data warning is emitted. When every worker's generator has raised
 * StopIteration and the waiting batches are used up, {@link #next()} throws
 * {@link GeneratorExhaustedException}.
 *
 * <p>Batches: the arrays of a batch are views of the worker's shared-memory slot
 * ({@link jkeras.data.NDArray#wrapDirect}), not copies; {@link Batch#release()} (the training loop
 * calls it after each step) hands the slot back to the worker. A worker has
 * {@code maxQueueSize + 2} slots, created as it needs them: enough for every batch the bounds
 * above let it have outstanding, plus the one being trained on, plus one to write into. Should a
 * consumer keep batches without releasing them, the JVM keeps one slot of each worker free by
 * copying further batches into Java arrays and freeing their slots at once, so a worker never
 * waits for a release that does not come.
 *
 * <p>Errors: a Python exception is thrown from {@link #next()} with its type and traceback; a
 * worker that dies is a {@link WorkerDiedException} with its exit status and stderr tail. Either
 * stops every worker. {@link #stop()} closes the workers' stdin, then sends SIGTERM and SIGKILL
 * after grace periods, reaps them and deletes their files. Workers also exit when the JVM dies
 * (stdin EOF, parent pid watch) and delete their own files; a shutdown hook covers normal exits.
 */
public final class ProcessEnqueuer extends SequenceEnqueuer {
  /** Keras 2.3.1's warning, word for word (including its unbalanced backtick). */
  public static final String DUPLICATE_DATA_WARNING =
      "Using a generator with `use_multiprocessing=True` and multiple workers may duplicate your data. "
          + "Please consider using the `keras.utils.Sequence class.";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicInteger IDS = new AtomicInteger();
  private static final Set<ProcessEnqueuer> LIVE = ConcurrentHashMap.newKeySet();
  private static final long JVM_PID = ProcessHandle.current().pid();
  private static final long GRACE_MILLIS = 2_000;
  private static final long START_TIMEOUT_MILLIS =
      Long.getLong("jkeras.python.workerStartTimeoutSeconds", 300L) * 1000;
  private static volatile boolean hookInstalled;
  /** Sequence mode: fetches queued per worker at once. */
  static final int FETCH_DEPTH = 2;
  // Worker to JVM frames (see jkeras/worker.py).
  private static final int READY = 1;
  private static final int SLOT = 2;
  private static final int LAYOUT = 3;
  private static final int BATCH = 4;
  private static final int ERROR = 5;
  private static final int STOP = 6;
  private static final int REPLY = 7;

  private final PythonEnvironment env;
  private final PythonSource pythonSource;
  private final boolean isSequence;
  private final boolean shuffle;
  private final long seed;
  private final SplittableRandom rng;
  private final int id = IDS.incrementAndGet();
  private final Path shmDir;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final List<WorkerProcess> procs = new ArrayList<>();
  private int maxQueueSize;
  private RuntimeException fatal;
  private int turn;

  // Sequence mode (guarded by lock).
  private long released;
  private long dispatched;
  private long handed;
  private final Map<Long, Object> results = new HashMap<>();
  private int[] order;
  private int position;
  private int length;
  private boolean epochEnding;
  private boolean standaloneEpochOpen;

  // Generator mode (guarded by lock).
  private final ArrayDeque<Object> queue = new ArrayDeque<>();
  private int freeCredits;

  /** A failure travelling in order with the batches. */
  private record Failure(RuntimeException error) {}

  /**
   * @param env the Python environment whose interpreter runs the workers
   * @param source the data source, rebuilt in every worker
   * @param isSequence the source builds a Sequence ({@code __len__}, {@code __getitem__}); else a
   *     generator or iterable
   * @param shuffle shuffle a Sequence's index order at each pass
   * @param seed the seed of that order, and of the workers' generator seeds
   */
  public ProcessEnqueuer(
      PythonEnvironment env, PythonSource source, boolean isSequence, boolean shuffle, long seed) {
    super(source);
    this.env = env;
    this.pythonSource = source;
    this.isSequence = isSequence;
    this.shuffle = shuffle;
    this.seed = seed;
    this.rng = new SplittableRandom(seed);
    Path dev = Path.of(System.getProperty("jkeras.python.shmDir", "/dev/shm"));
    this.shmDir = Files.isDirectory(dev) ? dev : Path.of(System.getProperty("java.io.tmpdir"));
  }

  // ------------------------------------------------------------------------------------------
  // Start

  @Override
  protected void doStart(int workers, int maxQueueSize) {
    lock.lock();
    try {
      this.maxQueueSize = maxQueueSize;
      fatal = null;
      procs.clear();
      results.clear();
      queue.clear();
      released = dispatched = handed = 0;
      freeCredits = 0;
      epochEnding = false;
    } finally {
      lock.unlock();
    }
    if (!isSequence && workers > 1) Warnings.warn(DUPLICATE_DATA_WARNING);
    installHook();
    LIVE.add(this);
    sweepStaleFiles(shmDir);
    RuntimeException failure = null;
    try {
      for (int i = 0; i < workers; i++) launch(i, workers);
      failure = awaitReady();
    } catch (RuntimeException e) {
      failure = e;
    }
    if (failure != null) {
      stop();
      throw failure;
    }
    if (!isSequence) {
      lock.lock();
      try {
        freeCredits = maxQueueSize;
        grant();
        for (WorkerProcess w : procs) w.flushCredits();
      } finally {
        lock.unlock();
      }
    }
  }

  private void launch(int index, int workers) {
    String prefix = shmDir.resolve("jkeras-" + JVM_PID + "-" + index + "-e" + id).toString();
    Map<String, Object> src = new LinkedHashMap<>();
    src.put("module", pythonSource.module());
    src.put("file", pythonSource.file() == null ? null : pythonSource.file().toAbsolutePath().toString());
    src.put("attribute", pythonSource.attribute());
    src.put("args", pythonSource.args());
    src.put("kwargs", pythonSource.kwargs());
    src.put("paths", pythonSource.paths().stream().map(p -> p.toAbsolutePath().toString()).toList());
    Map<String, Object> cfg = new LinkedHashMap<>();
    cfg.put("source", src);
    cfg.put("mode", isSequence ? "sequence" : "generator");
    cfg.put("index", index);
    cfg.put("workers", workers);
    cfg.put("seed", seed);
    cfg.put("parent", JVM_PID);
    cfg.put("prefix", prefix);
    cfg.put("slots", slotsPerWorker());
    String json;
    try {
      json = JSON.writeValueAsString(cfg);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "The Python source's arguments must be JSON-compatible (numbers, strings, booleans, lists, maps, null): "
              + e.getOriginalMessage(), e);
    }
    Path python = env.pythonExecutable();
    ProcessBuilder pb = new ProcessBuilder(python.toString(), "-m", "jkeras.worker", json);
    StringBuilder pythonPath = new StringBuilder();
    for (Path p : env.includePaths()) {
      if (pythonPath.length() > 0) pythonPath.append(java.io.File.pathSeparatorChar);
      pythonPath.append(p);
    }
    String old = System.getenv("PYTHONPATH");
    if (old != null && !old.isEmpty()) pythonPath.append(java.io.File.pathSeparatorChar).append(old);
    if (pythonPath.length() > 0) pb.environment().put("PYTHONPATH", pythonPath.toString());
    pb.environment().remove("PYTHONHOME");
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new IllegalStateException(
          "Cannot start the Python worker process `" + python + " -m jkeras.worker`: " + e.getMessage()
              + ". Check the virtual environment (system property jkeras.python.venv or JKERAS_VENV).", e);
    }
    WorkerProcess w = new WorkerProcess(index, p, prefix, slotsPerWorker(), isSequence);
    lock.lock();
    try {
      procs.add(w);
    } finally {
      lock.unlock();
    }
    spawn("pyworker-out", () -> readLoop(w));
    spawn("pyworker-err", w::pumpStderr);
  }

  /**
   * Outstanding batches of one worker are at most {@code maxQueueSize} (fetches started or
   * credits granted beyond those handed out) plus the one in use; one more to write into.
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
          return new IllegalStateException("The Python worker processes did not start within "
              + START_TIMEOUT_MILLIS / 1000 + " s (system property jkeras.python.workerStartTimeoutSeconds).");
        }
        changed.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
      }
      return fatal;
    } catch (InterruptedException e) {
      return interrupted(e);
    } finally {
      lock.unlock();
    }
  }

  // ------------------------------------------------------------------------------------------
  // Messages from the workers

  private void readLoop(WorkerProcess w) {
    byte[] header = new byte[WorkerProcess.HEADER];
    java.nio.ByteBuffer h = java.nio.ByteBuffer.wrap(header).order(java.nio.ByteOrder.LITTLE_ENDIAN);
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
        if (n < 0 || n > (1 << 30)) throw new IOException("bad frame header (op " + op + ", payload " + n + " bytes)");
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
    String tail = w.stderrTail(1_000);
    fail(new WorkerDiedException(w.index, w.pid, status, tail));
    markExited(w);
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

  private void handle(WorkerProcess w, int op, int a, int b, long c, byte[] payload) throws IOException {
    switch (op) {
      case BATCH -> onBatch(w, a, b, c);
      case SLOT -> w.remap(a, c);
      case LAYOUT -> {
        if (a < 0 || a >= ShmBatches.MAX_LAYOUTS) throw new IOException("layout id " + a + " out of range");
        w.layouts[a] = ShmBatches.parseLayout(payload);
      }
      case READY -> {
        JsonNode msg = json(payload);
        lock.lock();
        try {
          w.ready = true;
          if (isSequence && w.index == 0) length = msg.path("len").asInt();
          changed.signalAll();
        } finally {
          lock.unlock();
        }
      }
      case ERROR -> onError(w, json(payload));
      case STOP -> {
        lock.lock();
        try {
          retire(w);
          grant();
          changed.signalAll();
        } finally {
          lock.unlock();
        }
      }
      case REPLY -> {
        JsonNode msg = json(payload);
        lock.lock();
        try {
          w.control.add(msg);
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
      ShmBatches.Layout layout = layoutId >= 0 && layoutId < ShmBatches.MAX_LAYOUTS ? w.layouts[layoutId] : null;
      if (layout == null) throw new IllegalStateException(w + " sent a batch of unknown layout " + layoutId + ".");
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
      if (isSequence) {
        results.put(seq, result);
        w.inFlight--;
        pump();
      } else {
        w.credits--;
        if (w.credits - w.unsentCredits() < lowWater()) w.flushCredits();
        queue.add(result);
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void onError(WorkerProcess w, JsonNode msg) {
    RuntimeException e = pythonError(msg);
    lock.lock();
    try {
      JsonNode seq = msg.get("seq");
      if (!w.ready) {
        if (fatal == null) fatal = e;
      } else if (isSequence && seq != null && !seq.isNull()) {
        results.put(seq.asLong(), new Failure(e));
        w.inFlight--;
      } else if (isSequence) {
        if (w.awaitingControl) w.control.add(msg);
        else if (fatal == null) fatal = e;
      } else {
        queue.add(new Failure(e));
        retire(w);
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** The exception for a Python error message. */
  static RuntimeException pythonError(JsonNode msg) {
    String type = msg.path("type").asText();
    String message = msg.path("message").asText();
    String tb = msg.path("traceback").asText();
    if (type.endsWith("BatchFormatError")) return new IllegalArgumentException(message);
    return new PythonException(type, message, tb);
  }

  // ------------------------------------------------------------------------------------------
  // Sequence mode

  /**
   * Hands indices to the least busy workers while the epoch's budget and the queue bound allow,
   * up to {@value #FETCH_DEPTH} per worker: the next request waits in the worker's pipe, so it
   * starts as soon as the last batch is out instead of a round trip later.
   */
  private void pump() {
    if (!isSequence || fatal != null || stopping || epochEnding) return;
    int n = procs.size();
    while (dispatched < released && dispatched - handed < maxQueueSize) {
      WorkerProcess idle = null;
      for (int k = 0; k < n; k++) {
        WorkerProcess w = procs.get((turn + k) % n);
        if (w.ready && !w.exited && w.inFlight < FETCH_DEPTH && (idle == null || w.inFlight < idle.inFlight)) idle = w;
      }
      if (idle == null) return;
      turn = (idle.index + 1) % n;
      int index = nextIndex();
      long seq = dispatched++;
      idle.inFlight++;
      try {
        idle.send(WorkerProcess.GET, index, idle.takePendingFree(), seq);
      } catch (UncheckedIOException e) {
        return; // the worker died: its reader thread reports the exit status
      }
    }
  }

  private int nextIndex() {
    if (order == null || position >= order.length) {
      int n = length;
      if (n <= 0) throw new IllegalStateException("The Sequence is empty: len() returned " + n + ".");
      order = new int[n];
      for (int i = 0; i < n; i++) order[i] = i;
      if (shuffle) {
        for (int i = n - 1; i > 0; i--) {
          int j = rng.nextInt(i + 1);
          int t = order[i];
          order[i] = order[j];
          order[j] = t;
        }
      }
      position = 0;
    }
    return order[position++];
  }

  /** The Sequence's {@code len()} as last reported by the workers (sequence mode). */
  public int size() {
    lock.lock();
    try {
      return length;
    } finally {
      lock.unlock();
    }
  }

  /** Releases {@code steps} fetches: the batches of one epoch. Ignored for a generator. */
  @Override
  public void beginEpoch(int steps) {
    checkRunning();
    if (!isSequence) return;
    lock.lock();
    try {
      released += steps;
      pump();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Runs {@code on_epoch_end()} in worker 0 once the fetches in progress are done and, with
   * several workers, loads its pickled Sequence into the others before any further fetch.
   */
  @Override
  public void endEpoch() {
    if (!isSequence || !isRunning()) return;
    RuntimeException error = null;
    List<Path> stateFiles = new ArrayList<>();
    lock.lock();
    try {
      epochEnding = true;
      while (fatal == null && procs.stream().anyMatch(w -> w.inFlight > 0)) awaitChange();
      if (fatal == null) {
        WorkerProcess first = procs.get(0);
        boolean share = procs.size() > 1;
        JsonNode reply = request(first, "{\"op\":\"epoch_end\",\"share\":" + share + "}");
        if (reply == null) {
          error = fatal != null ? fatal : new IllegalStateException("The enqueuer was stopped.");
        } else if (reply.path("op").asText().equals("error")) {
          error = pythonError(reply);
        } else {
          length = reply.path("len").asInt(length);
          JsonNode state = reply.get("state");
          if (state != null && !state.isNull()) {
            stateFiles.add(Path.of(state.asText()));
            String load = JSON.writeValueAsString(Map.of("op", "load_state", "path", state.asText()));
            for (WorkerProcess w : procs.subList(1, procs.size())) {
              w.awaitingControl = true;
              w.sendJson(WorkerProcess.CONTROL, load);
            }
            for (WorkerProcess w : procs.subList(1, procs.size())) {
              JsonNode r = awaitControl(w);
              if (r == null) break;
              if (r.path("op").asText().equals("error") && error == null) error = pythonError(r);
            }
          }
        }
      }
      if (error == null) error = fatal;
    } catch (InterruptedException e) {
      error = interrupted(e);
    } catch (JsonProcessingException | UncheckedIOException e) {
      error = new IllegalStateException("Cannot reach the Python worker processes: " + e, e);
    } finally {
      epochEnding = false;
      if (error == null) pump();
      lock.unlock();
    }
    for (Path p : stateFiles) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException e) {
        // the worker deletes it at exit
      }
    }
    if (error != null) {
      stop();
      throw error;
    }
  }

  private JsonNode request(WorkerProcess w, String json) throws InterruptedException {
    w.awaitingControl = true;
    w.sendJson(WorkerProcess.CONTROL, json);
    return awaitControl(w);
  }

  /** The worker's reply, or null when a worker failed or the enqueuer stopped meanwhile. */
  private JsonNode awaitControl(WorkerProcess w) throws InterruptedException {
    try {
      while (w.control.isEmpty()) {
        if (fatal != null || stopping) return null;
        awaitChange();
      }
      return w.control.removeFirst();
    } finally {
      w.awaitingControl = false;
    }
  }

  private void awaitChange() throws InterruptedException {
    changed.await(100, TimeUnit.MILLISECONDS);
  }

  // ------------------------------------------------------------------------------------------
  // Generator mode

  /** Grants free credits to the live workers holding the fewest. */
  private void grant() {
    if (isSequence || stopping) return;
    int n = procs.size();
    while (freeCredits > 0) {
      WorkerProcess best = null;
      for (int k = 0; k < n; k++) {
        WorkerProcess w = procs.get((turn + k) % n);
        if (!w.ready || w.exited || w.finished) continue;
        if (best == null || w.credits < best.credits) best = w;
      }
      if (best == null) return;
      turn = (best.index + 1) % n;
      best.credits++;
      freeCredits--;
      // Credits ride on the next FREE frame while the worker still has enough in hand.
      best.grantCredit(best.credits - best.unsentCredits() - 1 < lowWater());
    }
  }

  /**
   * Sent credits a worker keeps in hand before new ones are sent at once: half its share of
   * {@code maxQueueSize}, so it keeps drawing while the next release brings more.
   */
  private int lowWater() {
    return Math.max(1, maxQueueSize / (2 * Math.max(1, procs.size())));
  }

  /** The worker's generator ended: its credits go back to the others. */
  private void retire(WorkerProcess w) {
    w.finished = true;
    freeCredits += w.credits;
    w.credits = 0;
    w.dropUnsentCredits();
  }

  // ------------------------------------------------------------------------------------------
  // Consuming

  @Override
  public Batch next() {
    checkRunning();
    Object outcome;
    lock.lock();
    try {
      outcome = isSequence ? nextOfSequence() : nextOfGenerator();
    } catch (InterruptedException e) {
      outcome = interrupted(e);
    } finally {
      lock.unlock();
    }
    if (outcome instanceof Batch b) return b;
    RuntimeException error = (RuntimeException) outcome;
    if (!(error instanceof GeneratorExhaustedException)) stop();
    throw error;
  }

  /** The next batch in order, or the exception to throw. */
  private Object nextOfSequence() throws InterruptedException {
    if (handed >= released) {
      throw new IllegalStateException("No batch was requested: call beginEpoch(steps) before next(), or use get().");
    }
    while (true) {
      Object r = results.remove(handed);
      if (r != null) {
        handed++;
        pump();
        return r instanceof Failure f ? f.error : r;
      }
      if (fatal != null) return fatal;
      if (stopping) return new IllegalStateException("The enqueuer was stopped.");
      awaitChange();
    }
  }

  private Object nextOfGenerator() throws InterruptedException {
    while (true) {
      Object o = queue.poll();
      if (o != null) {
        freeCredits++;
        grant();
        return o instanceof Failure f ? f.error : o;
      }
      if (fatal != null) return fatal;
      if (procs.stream().allMatch(w -> w.finished)) {
        return new GeneratorExhaustedException("The generator has no more batches.");
      }
      if (stopping) return new IllegalStateException("The enqueuer was stopped.");
      awaitChange();
    }
  }

  @Override
  public Iterator<Batch> get() {
    if (isSequence) {
      return new Iterator<>() {
        private int left;

        @Override
        public boolean hasNext() {
          return true;
        }

        @Override
        public Batch next() {
          if (left == 0) {
            if (standaloneEpochOpen) endEpoch();
            left = size();
            standaloneEpochOpen = true;
            beginEpoch(left);
          }
          left--;
          return ProcessEnqueuer.this.next();
        }
      };
    }
    return new Iterator<>() {
      private Batch pending;

      @Override
      public boolean hasNext() {
        if (pending != null) return true;
        try {
          pending = ProcessEnqueuer.this.next();
          return true;
        } catch (GeneratorExhaustedException e) {
          return false;
        }
      }

      @Override
      public Batch next() {
        if (!hasNext()) throw new GeneratorExhaustedException("The generator has no more batches.");
        Batch b = pending;
        pending = null;
        return b;
      }
    };
  }

  // ------------------------------------------------------------------------------------------
  // Stop

  /** The worker processes' pids (for diagnostics and tests). */
  public List<Long> workerPids() {
    lock.lock();
    try {
      return procs.stream().map(w -> w.pid).toList();
    } finally {
      lock.unlock();
    }
  }

  /** Slots held by batches handed out as views and not yet released, over all workers (for tests). */
  int heldSlots() {
    lock.lock();
    try {
      return procs.stream().mapToInt(WorkerProcess::heldSlots).sum();
    } finally {
      lock.unlock();
    }
  }

  /** The start of this enqueuer's shared-memory file names, e.g. {@code /dev/shm/jkeras-123-}. */
  public static String jvmShmPrefix() {
    return "jkeras-" + JVM_PID + "-";
  }

  @Override
  protected void onStop() {
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
      Warnings.warn("Could not delete the shared-memory files of the Python workers in " + shmDir + ": " + e);
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
        if (pid != JVM_PID && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) == Boolean.FALSE) {
          Files.deleteIfExists(f);
        }
      }
    } catch (IOException | RuntimeException e) {
      // best effort
    }
  }

  private static synchronized void installHook() {
    if (hookInstalled) return;
    hookInstalled = true;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      for (ProcessEnqueuer e : List.copyOf(LIVE)) {
        List<WorkerProcess> all;
        e.lock.lock();
        try {
          all = List.copyOf(e.procs);
        } finally {
          e.lock.unlock();
        }
        e.stopping = true;
        terminate(all, 500);
        e.deleteFiles();
      }
    }, "jkeras-python-workers-shutdown"));
  }
}
