package jkeras.internal.graph;

import static org.tensorflow.internal.c_api.global.tensorflow.TF_AllocateTensor;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteTensor;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_SessionRun;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_TensorByteSize;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_TensorData;

import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import jkeras.data.DType;
import jkeras.data.NDArray;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.internal.c_api.TF_Operation;
import org.tensorflow.internal.c_api.TF_Output;
import org.tensorflow.internal.c_api.TF_Session;
import org.tensorflow.internal.c_api.TF_Status;
import org.tensorflow.internal.c_api.TF_Tensor;
import org.tensorflow.op.Op;
import org.tensorflow.types.TFloat32;

/**
 * One kind of step (a fixed set of feeds, one packed float32 fetch, fixed targets) run through
 * TensorFlow's C API {@code TF_SessionRun} with everything it takes allocated once: the feed, fetch
 * and target arrays, the status, and one input tensor per feed, refilled in place while the batch
 * shape stays the same. TF Java's {@code Session.Runner} builds all of these per call and wraps
 * every tensor for the garbage collector; for a step of a fraction of a millisecond that is a
 * visible share (docs/performance.md).
 *
 * <p>Reaches two TF Java internals: the session's native handle (a private field) and the C API
 * classes of {@code tensorflow-core-native}. {@link #create} returns null when they cannot be
 * reached, and the caller keeps {@code Session.Runner}. Fed tensors are only read by the step's
 * ops: the run shares their buffers, and TensorFlow forwards a buffer in place only when it holds
 * the only reference, which this runner keeps. Not thread-safe: the model serialises its steps.
 */
final class StepRunner implements AutoCloseable {
  private static final int TF_FLOAT = 1;
  private static final int TF_DOUBLE = 2;
  private static final int TF_INT32 = 3;
  private static final int TF_INT64 = 9;
  private static final int TF_BOOL = 10;

  private final Session session; // keeps the handle's owner reachable
  private final TF_Session handle;
  private final GraphOperation[] feedOps;
  private final int[] feedIndices;
  private final TF_Output inputs;
  private final PointerPointer<TF_Tensor> inputValues;
  private final TF_Output output;
  private final PointerPointer<TF_Tensor> outputValues;
  private final PointerPointer<TF_Operation> targets;
  private final int ntargets;
  private final TF_Status status;
  private final boolean flushDenormals;
  private final TF_Tensor[] tensors;
  private final long[][] shapes;
  private final DType[] dtypes;
  private boolean closed;

  private StepRunner(
      Session session,
      TF_Session handle,
      List<Operand<?>> feeds,
      Operand<TFloat32> fetch,
      List<Op> targetOps,
      boolean flushDenormals) {
    this.session = session;
    this.flushDenormals = flushDenormals;
    this.handle = handle;
    int n = feeds.size();
    feedOps = new GraphOperation[n];
    feedIndices = new int[n];
    for (int i = 0; i < n; i++) {
      feedOps[i] = (GraphOperation) feeds.get(i).op();
      feedIndices[i] = feeds.get(i).asOutput().index();
    }
    inputs = new TF_Output(Math.max(1, n));
    inputValues = new PointerPointer<>(Math.max(1, n));
    output = new TF_Output(1);
    output.position(0).oper(((GraphOperation) fetch.op()).getUnsafeNativeHandle());
    output.index(fetch.asOutput().index());
    outputValues = new PointerPointer<>(1);
    ntargets = targetOps.size();
    targets = new PointerPointer<>(Math.max(1, ntargets));
    for (int i = 0; i < ntargets; i++) {
      targets.put(i, ((GraphOperation) targetOps.get(i).op()).getUnsafeNativeHandle());
    }
    status = TF_Status.newStatus();
    LIVE.incrementAndGet();
    tensors = new TF_Tensor[n];
    shapes = new long[n][];
    dtypes = new DType[n];
  }

  /**
   * A runner for {@code feeds} (each fed or left to its default per call), the float32 vector
   * {@code fetch} and {@code targets}; null when TF Java's internals cannot be reached (then the
   * caller runs steps through {@code Session.Runner}). {@code flushDenormals}: the session runs its
   * ops on the caller's thread, so each run sets TensorFlow's flush-to-zero there.
   */
  static StepRunner create(
      Session session,
      List<Operand<?>> feeds,
      Operand<TFloat32> fetch,
      List<Op> targets,
      boolean flushDenormals) {
    if (!enabled) return null;
    try {
      TF_Session h = (TF_Session) sessionHandle().get(session);
      return new StepRunner(session, h, feeds, fetch, targets, flushDenormals);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      enabled = false;
      jkeras.internal.Warnings.warn(
          "Steps run through TensorFlow Java's Session.Runner from now on: its C API could not be"
              + " reached ("
              + e
              + ").");
      return null;
    }
  }

  // -Djkeras.stepRunner=false: every step through Session.Runner (diagnostics, benchmarks).
  private static volatile boolean enabled =
      !"false".equals(System.getProperty("jkeras.stepRunner"));

  private static final java.util.concurrent.atomic.AtomicInteger LIVE =
      new java.util.concurrent.atomic.AtomicInteger();

  /** Runners created and not yet closed, in the process (tests: each model closes its own). */
  static int live() {
    return LIVE.get();
  }

  /** Whether new models' steps go through the C API (tests compare both paths). */
  static void setEnabled(boolean on) {
    enabled = on;
  }

  private static Field sessionField;

  private static synchronized Field sessionHandle() throws ReflectiveOperationException {
    if (sessionField == null) {
      Field f = Session.class.getDeclaredField("nativeHandle");
      f.setAccessible(true);
      sessionField = f;
    }
    return sessionField;
  }

  /**
   * One run: {@code values.get(i)} feeds feed {@code i} as {@code dtypes.get(i)}, a null value
   * leaves it unfed (a placeholder's default). Returns the fetched vector.
   */
  synchronized float[] run(List<NDArray> values, List<DType> types) {
    if (closed) throw new IllegalStateException("This step runner has been closed.");
    int k = 0;
    for (int i = 0; i < feedOps.length; i++) {
      NDArray a = values.get(i);
      if (a == null) continue;
      TF_Tensor t = fill(i, a, types.get(i));
      inputs.position(k).oper(feedOps[i].getUnsafeNativeHandle()).index(feedIndices[i]);
      inputValues.put(k, t);
      k++;
    }
    inputs.position(0);
    outputValues.put(0, (Pointer) null);
    if (flushDenormals) FlushDenormals.enter();
    try {
      TF_SessionRun(
          handle,
          null,
          inputs,
          inputValues,
          k,
          output,
          outputValues,
          1,
          targets,
          ntargets,
          null,
          status);
    } finally {
      if (flushDenormals) FlushDenormals.exit();
    }
    status.throwExceptionIfNotOK();
    TF_Tensor out = outputValues.get(TF_Tensor.class, 0);
    try {
      long n = TF_TensorByteSize(out) / Float.BYTES;
      float[] v = new float[Math.toIntExact(n)];
      new FloatPointer(TF_TensorData(out)).capacity(n).get(v);
      return v;
    } finally {
      TF_DeleteTensor(out);
    }
  }

  /** Feed {@code i}'s tensor holding {@code a}: the previous one refilled when it fits. */
  private TF_Tensor fill(int i, NDArray a, DType dtype) {
    long[] shape = a.shape();
    if (tensors[i] == null || dtypes[i] != dtype || !Arrays.equals(shapes[i], shape)) {
      if (tensors[i] != null) TF_DeleteTensor(tensors[i]);
      tensors[i] = null;
      long bytes = a.size() * itemSize(dtype);
      TF_Tensor t = TF_AllocateTensor(code(dtype), shape, shape.length, bytes);
      if (t == null || t.isNull())
        throw new OutOfMemoryError("TF_AllocateTensor: " + bytes + " bytes");
      tensors[i] = t;
      shapes[i] = shape;
      dtypes[i] = dtype;
    }
    TF_Tensor t = tensors[i];
    Pointer data = TF_TensorData(t);
    long n = a.size();
    if (n == 0) return t;
    if (a.isDirect() && a.dtype() == dtype) {
      ByteBuffer b = a.directBuffer();
      Pointer.memcpy(data, new Pointer(b), n * itemSize(dtype));
      java.lang.ref.Reference.reachabilityFence(b);
      return t;
    }
    switch (dtype) {
      case FLOAT32 -> new FloatPointer(data).capacity(n).put(a.floatsView());
      case FLOAT64 -> new DoublePointer(data).capacity(n).put(a.toDoubleArray());
      case INT32 -> new IntPointer(data).capacity(n).put(a.toIntArray());
      case INT64 -> new LongPointer(data).capacity(n).put(a.toLongArray());
      case BOOL -> {
        int[] v = a.toIntArray();
        byte[] b = new byte[v.length];
        for (int j = 0; j < v.length; j++) b[j] = (byte) (v[j] != 0 ? 1 : 0);
        new BytePointer(data).capacity(n).put(b);
      }
    }
    return t;
  }

  private static int code(DType t) {
    return switch (t) {
      case FLOAT32 -> TF_FLOAT;
      case FLOAT64 -> TF_DOUBLE;
      case INT32 -> TF_INT32;
      case INT64 -> TF_INT64;
      case BOOL -> TF_BOOL;
    };
  }

  private static long itemSize(DType t) {
    return switch (t) {
      case FLOAT32, INT32 -> 4;
      case FLOAT64, INT64 -> 8;
      case BOOL -> 1;
    };
  }

  /** Frees the input tensors and the argument arrays; the session is the model's to close. */
  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    LIVE.decrementAndGet();
    for (int i = 0; i < tensors.length; i++) {
      if (tensors[i] != null) TF_DeleteTensor(tensors[i]);
      tensors[i] = null;
    }
    status.delete();
    inputs.close();
    inputValues.close();
    output.close();
    outputValues.close();
    targets.close();
  }
}
