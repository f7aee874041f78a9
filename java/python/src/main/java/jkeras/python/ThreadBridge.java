package jkeras.python;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jep.DirectNDArray;
import jep.JepException;
import jep.SharedInterpreter;
import jep.python.PyCallable;
import jep.python.PyObject;
import jkeras.data.Batch;

/**
 * One thread's interpreter with the {@code jkeras.bridge} functions looked up once (a call by name
 * costs a global lookup each time). Confined to its thread; status tuples from the bridge become
 * results or exceptions here.
 */
final class ThreadBridge {
  static final long OK = 0;
  static final long END = 1;
  static final long ERROR = 2;
  static final long USAGE = 3;
  static final long GROW = 4;
  private static final int CACHE_LIMIT = 4096;

  private final SharedInterpreter interp;
  private final PyCallable build;
  private final PyCallable evaluate;
  private final PyCallable register;
  private final PyCallable release;
  private final PyCallable seqLen;
  private final PyCallable seqGet;
  private final PyCallable seqEpochEnd;
  private final PyCallable genNext;
  private final PyCallable seqGetInto;
  private final PyCallable genNextInto;
  private final PyCallable fillPending;
  private final PyCallable bind;
  private final PyCallable dropSet;
  private final BatchBuffers buffers = new BatchBuffers();
  // Parsed layouts by the ids jkeras.bridge gives them (this thread only).
  private final Map<Long, BatchStructure> structures = new HashMap<>();
  private final Map<Long, BatchBuffers.Metas> metas = new HashMap<>();
  private final PyCallable numpyEnabled;
  // Last structure seen, so consecutive batches of one layout are parsed once.
  private Object lastRaw;
  private BatchStructure lastStructure;
  int refs;

  ThreadBridge(SharedInterpreter interp) {
    this.interp = interp;
    try {
      interp.exec("import jkeras.bridge as _jkeras_bridge");
    } catch (JepException e) {
      throw new IllegalStateException(
          "Could not import the Python side of the bridge (jkeras.bridge): "
              + e.getMessage()
              + ". The venv needs the project's python package (scripts/setup-python.sh installs it) or "
              + "python/src on the include path.",
          e);
    }
    build = fn("build");
    evaluate = fn("evaluate");
    register = fn("register");
    release = fn("release");
    seqLen = fn("seq_len");
    seqGet = fn("seq_get");
    seqEpochEnd = fn("seq_epoch_end");
    genNext = fn("gen_next");
    seqGetInto = fn("seq_get_into");
    genNextInto = fn("gen_next_into");
    fillPending = fn("fill_pending");
    bind = fn("bind");
    dropSet = fn("drop_set");
    call(fn("thread_reset"));
    numpyEnabled = fn("numpy_enabled");
  }

  private PyCallable fn(String name) {
    return interp.getValue("_jkeras_bridge." + name, PyCallable.class);
  }

  SharedInterpreter interpreter() {
    return interp;
  }

  boolean numpyEnabled() {
    return Boolean.TRUE.equals(call(numpyEnabled));
  }

  /** Builds a source; returns its handle. */
  List<?> build(String specJson, String kind) {
    return ok(call(build, specJson, kind));
  }

  /** Evaluates an expression; returns (handle, kind). */
  List<?> evaluate(String expression, List<String> paths, String kind) {
    return ok(call(evaluate, expression, paths, kind));
  }

  /** Registers an object of this thread's interpreter; returns (handle, kind). */
  List<?> register(PyObject obj, String kind) {
    return ok(call(register, obj, kind));
  }

  void release(long handle) {
    call(release, handle);
  }

  int seqLen(long handle) {
    return Math.toIntExact(((Number) ok(call(seqLen, handle)).get(1)).longValue());
  }

  /**
   * {@code sequence[index]}: in a buffer set of this thread when one is available (a direct batch
   * released by {@link Batch#release()}), else copied into Java arrays.
   */
  Batch seqGet(long handle, int index) {
    BatchBuffers.Set set = buffers.acquire();
    if (set == null) return batch(ok(call(seqGet, handle, index)));
    return direct(set, () -> call(seqGetInto, handle, index, set.id));
  }

  void seqEpochEnd(long handle) {
    ok(call(seqEpochEnd, handle));
  }

  /** The generator's next batch, or null when it is exhausted. */
  Batch genNext(long handle) {
    BatchBuffers.Set set = buffers.acquire();
    if (set == null) {
      List<?> r = (List<?>) call(genNext, handle);
      if (((Number) r.get(0)).longValue() == END) return null;
      return batch(ok(r));
    }
    return direct(set, () -> call(genNextInto, handle, set.id));
  }

  /**
   * The batch Python copied into {@code set} (null at the generator's end); the set goes back on
   * failure.
   */
  private Batch direct(BatchBuffers.Set set, java.util.function.Supplier<Object> fetch) {
    Batch out = null;
    try {
      List<?> r = (List<?>) fetch.get();
      long status = ((Number) r.get(0)).longValue();
      if (status == END) return null;
      if (status != GROW) ok(r);
      long sid = ((Number) r.get(1)).longValue();
      long mid = ((Number) r.get(2)).longValue();
      if (r.size() > 3) learn(sid, r.get(3), mid, r.get(4));
      BatchBuffers.Metas m = metas.get(mid);
      BatchStructure s = structures.get(sid);
      if (m == null || s == null)
        throw new IllegalStateException("jkeras.bridge sent an unknown batch layout id " + r);
      if (status == GROW) {
        List<?> sizes = (List<?>) r.get(5);
        for (int k = 0; k < sizes.size(); k++) {
          if (set.ensure(k, ((Number) sizes.get(k)).longValue())) {
            java.nio.ByteBuffer b = set.buffers[k];
            ok(call(bind, set.id, k, new DirectNDArray<>(b, true, b.capacity())));
          }
        }
        ok(call(fillPending, set.id));
      }
      out = set.batch(sid, s, mid, m);
      return out;
    } finally {
      if (out == null) set.release();
    }
  }

  private void learn(long sid, Object structure, long mid, Object metasRaw) {
    if (structures.size() > CACHE_LIMIT) structures.clear();
    if (metas.size() > CACHE_LIMIT) metas.clear();
    if (structure != null) structures.put(sid, BatchStructure.parse(structure));
    if (metasRaw != null) metas.put(mid, BatchBuffers.Metas.parse(metasRaw));
  }

  /** This thread's buffer pool (for tests). */
  BatchBuffers buffers() {
    return buffers;
  }

  private Batch batch(List<?> r) {
    Object raw = r.get(1);
    BatchStructure s;
    if (lastStructure != null && lastRaw.equals(raw)) {
      s = lastStructure;
    } else {
      s = BatchStructure.parse(raw);
      lastRaw = raw;
      lastStructure = s;
    }
    List<?> arrays = (List<?>) r.get(2);
    List<jkeras.data.NDArray> converted = new java.util.ArrayList<>(arrays.size());
    for (Object a : arrays) converted.add(BatchStructure.toNDArray(a));
    return s.assemble(converted);
  }

  private Object call(PyCallable fn, Object... args) {
    try {
      return fn.call(args);
    } catch (JepException e) {
      throw PythonErrors.fromJep(e);
    }
  }

  /**
   * The status tuple as a list when OK; the matching exception ({@link PythonErrors}) otherwise.
   */
  private static List<?> ok(Object result) {
    List<?> r = (List<?>) result;
    long status = ((Number) r.get(0)).longValue();
    if (status == OK) return r;
    if (status == ERROR)
      throw PythonErrors.toJava((String) r.get(1), (String) r.get(2), (String) r.get(3), false);
    if (status == USAGE) throw PythonErrors.toJava(null, (String) r.get(1), "", true);
    if (status == END) throw PythonErrors.exhausted();
    throw new IllegalStateException("Unexpected bridge status " + r);
  }

  void close() {
    lastRaw = null;
    lastStructure = null;
    buffers.close();
    for (BatchBuffers.Set s : buffers.sets()) {
      try {
        call(dropSet, s.id);
      } catch (RuntimeException e) {
        // closing anyway
      }
    }
    // Python objects of this interpreter die with it; close() must run on this thread.
    interp.close();
  }
}
