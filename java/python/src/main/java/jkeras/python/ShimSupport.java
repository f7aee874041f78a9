package jkeras.python;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jep.DirectNDArray;
import jep.python.PyCallable;
import jep.python.PyObject;
import jkeras.callbacks.Callback;
import jkeras.callbacks.Logs;
import jkeras.data.ArrayData;
import jkeras.data.DType;
import jkeras.data.NDArray;

/**
 * What the Python {@code keras} shim ({@code jkeras.shim}, used by {@link KerasScript}) needs from
 * Java beyond jkeras' public API: numpy arrays in and out, the script's own generators and
 * Sequences as data sources, and its {@code keras.callbacks.Callback} subclasses as callbacks.
 * Called from Python on the script's thread.
 */
public final class ShimSupport {
  private ShimSupport() {}

  /** A numpy array (as Jep hands it over) as a jkeras array; the data is adopted, not copied. */
  public static NDArray array(Object numpy) {
    return BatchStructure.toNDArray(numpy);
  }

  /**
   * A numpy array's memory read where it is, without a copy ({@code fit}, {@code evaluate} and
   * {@code predict} on arrays, from {@code jkeras.shim._java.call_data}): {@code dtype} (float32,
   * int32 or int64) values of {@code shape}, C-contiguous, at {@code address}. Valid only while the
   * caller holds the numpy array and does not write it, i.e. for the one call it is passed to: the
   * training loop copies rows out of it (slices, shuffled batches, the validation split) and keeps
   * none of it after the call.
   */
  public static NDArray inPlace(long address, String dtype, List<?> shape) {
    long[] s = OnBatch.longs(shape);
    DType d = DType.of(dtype);
    long bytes = d == DType.FLOAT32 || d == DType.INT32 ? 4 : 8;
    for (long n : s) bytes *= n;
    ByteBuffer b = new OnBatch.Memory(address, bytes).asByteBuffer().order(ByteOrder.nativeOrder());
    return NDArray.wrapDirect(b, d, s);
  }

  /**
   * Keras' array data: one numpy array, a list of them (model input order) or a dict by input or
   * output name; null for None.
   */
  public static ArrayData data(Object value) {
    if (value == null) return null;
    if (value instanceof ArrayData d) return d;
    if (value instanceof List<?> list) {
      List<NDArray> out = new ArrayList<>(list.size());
      for (Object o : list) out.add(array(o));
      return ArrayData.of(out);
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, NDArray> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : map.entrySet())
        out.put(String.valueOf(e.getKey()), array(e.getValue()));
      return ArrayData.of(out);
    }
    return array(value);
  }

  /**
   * {@code model.train_on_batch(x, y)} in one call from Python (the per-step path of a script's own
   * training loop): x and y as {@link #data} takes them; Keras' scores.
   */
  public static double[] trainOnBatch(jkeras.models.Model model, Object x, Object y) {
    return model.trainOnBatch(data(x), data(y)).toDoubleArray();
  }

  /**
   * The per-step calls of a script's own training loop ({@code train_on_batch}, {@code
   * test_on_batch}, {@code predict_on_batch}) on {@code model}, for one Python thread: see {@link
   * OnBatch}.
   */
  public static OnBatch onBatch(jkeras.models.Model model) {
    return new OnBatch(model);
  }

  /**
   * A model's per-step calls with their arrays in Java-owned direct memory, reused from step to
   * step: the shim views each slot from Python as a numpy array and copies the step's batch into it
   * ({@code np.copyto}, one memcpy, or numpy's cast to float32), then calls {@link #train}, {@link
   * #test} or {@link #predict} with no arguments to convert, and reads the scores from {@link
   * #scores} as numpy. Passing numpy arrays as call arguments instead costs a new Java array per
   * array and step (Jep's copy, its zeroing, the garbage it leaves) and Jep's per-argument type
   * matching, which was most of what a script's {@code train_on_batch} cost over Java's
   * (docs/run.md). Reuse is safe because the engine reads a batch's arrays during the call only
   * (they are copied into the step's tensors). Not thread-safe: the shim keeps one per model and
   * Python thread.
   */
  public static final class OnBatch {
    private static final int ALIGN = 64;
    private final jkeras.models.Model model;
    private final NDArray[][] slots = {new NDArray[1], new NDArray[1]}; // x, y by position
    private ByteBuffer scores = direct(16 * Double.BYTES);

    OnBatch(jkeras.models.Model model) {
      this.model = model;
    }

    /**
     * Makes slot {@code index} of {@code role} (0: x, 1: y) an array of {@code dtype} (float32,
     * int32 or int64) and {@code shape}, replacing the one there; returns its memory as bytes,
     * which reach Python as a uint8 numpy array over the same memory.
     */
    public DirectNDArray<ByteBuffer> slot(int role, int index, String dtype, List<?> shape) {
      long[] s = longs(shape);
      DType d = DType.of(dtype);
      long bytes = d == DType.FLOAT32 || d == DType.INT32 ? 4 : 8;
      for (long n : s) bytes *= n;
      ByteBuffer b = direct(Math.toIntExact(Math.max(1, bytes)));
      if (index >= slots[role].length)
        slots[role] = java.util.Arrays.copyOf(slots[role], index + 1);
      slots[role][index] = NDArray.wrapDirect(b, d, s);
      return new DirectNDArray<>(b, true, b.capacity());
    }

    /** The scores of the last {@link #train} or {@link #test}, as doubles (8 bytes each). */
    public DirectNDArray<ByteBuffer> scores() {
      return new DirectNDArray<>(scores, true, scores.capacity());
    }

    /**
     * {@code train_on_batch} on the first {@code nx} x slots and {@code ny} y slots; returns the
     * number of scores written to {@link #scores} (which is replaced when they do not fit).
     */
    public int train(int nx, int ny) {
      return put(model.trainOnBatch(data(0, nx), data(1, ny)).toDoubleArray());
    }

    /** {@code test_on_batch}, as {@link #train}. */
    public int test(int nx, int ny) {
      return put(model.testOnBatch(data(0, nx), data(1, ny)).toDoubleArray());
    }

    /**
     * Declares the numpy arrays {@link #trainAt} and {@link #testAt} read in place: one x and one y
     * of these dtypes (float32, int32 or int64) and shapes, C-contiguous.
     */
    public void inPlace(String xDtype, List<?> xShape, String yDtype, List<?> yShape) {
      InPlace x = new InPlace(DType.of(xDtype), longs(xShape));
      InPlace y = new InPlace(DType.of(yDtype), longs(yShape));
      inPlace[0] = x; // both or neither: a failure above leaves the last declaration whole
      inPlace[1] = y;
    }

    /**
     * {@code train_on_batch} on the numpy arrays at these addresses, as declared by {@link
     * #inPlace}, read where they are (no copy before the step's own copy into its tensors): the
     * script's thread holds both arrays for the call, and nothing reads them after it returns.
     */
    public int trainAt(long xAddress, long yAddress) {
      return put(
          model.trainOnBatch(inPlace[0].at(xAddress), inPlace[1].at(yAddress)).toDoubleArray());
    }

    /** {@code test_on_batch}, as {@link #trainAt}. */
    public int testAt(long xAddress, long yAddress) {
      return put(
          model.testOnBatch(inPlace[0].at(xAddress), inPlace[1].at(yAddress)).toDoubleArray());
    }

    /**
     * {@link #trainAt} for the shim's native fast path ({@code jkeras/shim/_onbatch.c}), which
     * calls it through JNI: a failure is kept for {@link #rethrow} and -1 returned, so that no
     * exception crosses the native code and Jep turns it into Python's as for every other call.
     */
    public int trainCaught(long xAddress, long yAddress) {
      try {
        return trainAt(xAddress, yAddress);
      } catch (Throwable t) {
        failure = t;
        return -1;
      }
    }

    /** {@link #testAt}, as {@link #trainCaught}. */
    public int testCaught(long xAddress, long yAddress) {
      try {
        return testAt(xAddress, yAddress);
      } catch (Throwable t) {
        failure = t;
        return -1;
      }
    }

    /** Throws what the last {@link #trainCaught} or {@link #testCaught} that returned -1 caught. */
    public void rethrow() {
      Throwable t = failure;
      failure = null;
      if (t == null) throw new IllegalStateException("no failed step to report");
      ShimSupport.<RuntimeException>sneakyThrow(t);
    }

    private Throwable failure;

    /**
     * An id under which the native fast path claims this object ({@link #claim}): it holds its own
     * reference from then on, so the table holds each object only between the two calls.
     */
    public int register() {
      int id = NEXT_ID.incrementAndGet();
      UNCLAIMED.put(id, this);
      return id;
    }

    /** The object {@link #register} gave {@code id}, removed from the table; null if none. */
    public static OnBatch claim(int id) {
      return UNCLAIMED.remove(id);
    }

    private static final java.util.concurrent.atomic.AtomicInteger NEXT_ID =
        new java.util.concurrent.atomic.AtomicInteger();
    private static final java.util.Map<Integer, OnBatch> UNCLAIMED =
        new java.util.concurrent.ConcurrentHashMap<>();

    private final InPlace[] inPlace = new InPlace[2];

    /** A numpy array's dtype and shape, and the array over the last address it was read at. */
    private static final class InPlace {
      final DType dtype;
      final long[] shape;
      final long bytes;
      long address;
      NDArray array;

      InPlace(DType dtype, long[] shape) {
        this.dtype = dtype;
        this.shape = shape;
        long b = dtype == DType.FLOAT32 || dtype == DType.INT32 ? 4 : 8;
        for (long n : shape) b *= n;
        this.bytes = b;
      }

      NDArray at(long address) {
        if (array == null || address != this.address) {
          ByteBuffer b = new Memory(address, bytes).asByteBuffer().order(ByteOrder.nativeOrder());
          array = NDArray.wrapDirect(b, dtype, shape);
          this.address = address;
        }
        return array;
      }
    }

    /** Memory JavaCPP does not own, seen as a direct buffer ({@code asByteBuffer}). */
    private static final class Memory extends org.bytedeco.javacpp.Pointer {
      Memory(long address, long bytes) {
        this.address = address;
        this.limit = bytes;
        this.capacity = bytes;
      }
    }

    private static long[] longs(List<?> shape) {
      long[] s = new long[shape.size()];
      for (int i = 0; i < s.length; i++) s[i] = ((Number) shape.get(i)).longValue();
      return s;
    }

    /** {@code predict_on_batch} on the first {@code nx} x slots: one numpy array per output. */
    public List<jep.NDArray<?>> predict(int nx) {
      return numpyList(model.predictOnBatchOutputs(data(0, nx)));
    }

    private ArrayData data(int role, int n) {
      NDArray[] s = slots[role];
      return n == 1 ? s[0] : ArrayData.of(List.of(java.util.Arrays.copyOf(s, n)));
    }

    private int put(double[] values) {
      if (values.length * Double.BYTES > scores.capacity())
        scores = direct(values.length * Double.BYTES);
      scores.asDoubleBuffer().put(values);
      return values.length;
    }

    /** {@code bytes} (at least) of direct memory, 64-byte aligned as numpy's SIMD loops like. */
    private static ByteBuffer direct(int bytes) {
      int rounded = (bytes + ALIGN - 1) / ALIGN * ALIGN; // so the aligned slice holds them all
      return ByteBuffer.allocateDirect(rounded + ALIGN - 1)
          .alignedSlice(ALIGN)
          .order(ByteOrder.nativeOrder());
    }
  }

  /** {@code model.test_on_batch(x, y)} in one call from Python. */
  public static double[] testOnBatch(jkeras.models.Model model, Object x, Object y) {
    return model.testOnBatch(data(x), data(y)).toDoubleArray();
  }

  /** {@code model.predict_on_batch(x)} in one call from Python: one numpy array per output. */
  public static List<jep.NDArray<?>> predictOnBatch(jkeras.models.Model model, Object x) {
    return numpyList(model.predictOnBatchOutputs(data(x)));
  }

  /** A jkeras array as Jep's array type, which reaches Python as a numpy array. */
  public static jep.NDArray<?> numpy(NDArray a) {
    long[] shape = a.shape();
    int[] dims = new int[shape.length];
    for (int i = 0; i < shape.length; i++) dims[i] = Math.toIntExact(shape[i]);
    return switch (a.dtype()) {
      case FLOAT32 -> new jep.NDArray<>(a.toFloatArray(), dims);
      case FLOAT64 -> new jep.NDArray<>(a.toDoubleArray(), dims);
      case INT32 -> new jep.NDArray<>(a.toIntArray(), dims);
      case INT64 -> new jep.NDArray<>(a.toLongArray(), dims);
      case BOOL -> {
        float[] f = a.astype(jkeras.data.DType.FLOAT32).toFloatArray();
        boolean[] b = new boolean[f.length];
        for (int i = 0; i < f.length; i++) b[i] = f[i] != 0;
        yield new jep.NDArray<>(b, dims);
      }
    };
  }

  /** {@link #numpy} of each array. */
  public static List<jep.NDArray<?>> numpyList(List<NDArray> arrays) {
    List<jep.NDArray<?>> out = new ArrayList<>(arrays.size());
    for (NDArray a : arrays) out.add(numpy(a));
    return out;
  }

  /**
   * A generator, iterable or Sequence of the script's interpreter as a data source read in this JVM
   * ({@code use_multiprocessing=False}); close it after the call.
   */
  public static AutoCloseable source(PyObject object) {
    return Python.wrap(object);
  }

  /**
   * A data source that worker processes ({@code use_multiprocessing=True}) rebuild from a file
   * holding the object pickled by value ({@code jkeras.shim._pickled}); it is built in this JVM
   * too, as a {@link PythonSource} always is.
   */
  public static AutoCloseable pickledSource(String path) {
    return Python.open(PythonSource.fromModule("jkeras.shim._pickled", "load", path));
  }

  /**
   * A Java callback that calls {@code hook(method, index, logs)} for each of Keras' callback
   * methods ({@code "on_epoch_end"}, ...; index -1 where the method has none); a dict {@code hook}
   * returns is merged into the logs, as a Keras callback that writes into {@code logs} would. Only
   * the methods in {@code methods} (those the script's class overrides) reach Python.
   */
  public static Callback callback(PyCallable hook, List<String> methods) {
    return new ScriptCallback(hook, java.util.Set.copyOf(methods));
  }

  /**
   * A callback the shim adds to each training, evaluation and prediction call: at every batch and
   * epoch end (on the script's thread, where the loop runs) it gives the script the jkeras warnings
   * raised meanwhile on worker threads, so they show while the call runs, as Keras' do.
   */
  public static Callback warningsCallback() {
    return WARNINGS;
  }

  private static final Callback WARNINGS =
      new Callback() {
        @Override
        public void onTrainBatchEnd(int batch, Logs logs) {
          KerasScript.deliverWarnings();
        }

        @Override
        public void onTestBatchEnd(int batch, Logs logs) {
          KerasScript.deliverWarnings();
        }

        @Override
        public void onPredictBatchEnd(int batch, Logs logs) {
          KerasScript.deliverWarnings();
        }

        @Override
        public void onEpochEnd(int epoch, Logs logs) {
          KerasScript.deliverWarnings();
        }
      };

  private static final class ScriptCallback extends Callback {
    private final PyCallable hook;
    private final java.util.Set<String> methods;

    ScriptCallback(PyCallable hook, java.util.Set<String> methods) {
      this.hook = hook;
      this.methods = methods;
    }

    private void call(String method, int index, Logs logs) {
      if (!methods.contains(method)) return;
      Object r = hook.call(method, index, logs == null ? new LinkedHashMap<>() : logs);
      if (r instanceof Map<?, ?> m && logs != null) {
        for (Map.Entry<?, ?> e : m.entrySet()) logs.put(String.valueOf(e.getKey()), e.getValue());
      }
    }

    @Override
    public void onTrainBegin(Logs logs) {
      call("on_train_begin", -1, logs);
    }

    @Override
    public void onTrainEnd(Logs logs) {
      call("on_train_end", -1, logs);
    }

    @Override
    public void onEpochBegin(int epoch, Logs logs) {
      call("on_epoch_begin", epoch, logs);
    }

    @Override
    public void onEpochEnd(int epoch, Logs logs) {
      call("on_epoch_end", epoch, logs);
    }

    @Override
    public void onTrainBatchBegin(int batch, Logs logs) {
      call("on_train_batch_begin", batch, logs);
    }

    @Override
    public void onTrainBatchEnd(int batch, Logs logs) {
      call("on_train_batch_end", batch, logs);
    }

    @Override
    public void onTestBegin(Logs logs) {
      call("on_test_begin", -1, logs);
    }

    @Override
    public void onTestEnd(Logs logs) {
      call("on_test_end", -1, logs);
    }

    @Override
    public void onTestBatchBegin(int batch, Logs logs) {
      call("on_test_batch_begin", batch, logs);
    }

    @Override
    public void onTestBatchEnd(int batch, Logs logs) {
      call("on_test_batch_end", batch, logs);
    }

    @Override
    public void onPredictBegin(Logs logs) {
      call("on_predict_begin", -1, logs);
    }

    @Override
    public void onPredictEnd(Logs logs) {
      call("on_predict_end", -1, logs);
    }

    @Override
    public void onPredictBatchBegin(int batch, Logs logs) {
      call("on_predict_batch_begin", batch, logs);
    }

    @Override
    public void onPredictBatchEnd(int batch, Logs logs) {
      call("on_predict_batch_end", batch, logs);
    }
  }

  @SuppressWarnings("unchecked")
  private static <T extends Throwable> void sneakyThrow(Throwable t) throws T {
    throw (T) t;
  }
}
