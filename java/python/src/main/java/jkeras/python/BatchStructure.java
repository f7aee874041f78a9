package jkeras.python;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jkeras.data.ArrayData;
import jkeras.data.Batch;
import jkeras.data.DType;
import jkeras.data.NDArray;

/**
 * The shape of one batch as {@code python/src/jkeras/batches.py} describes it, and its assembly
 * into a {@link Batch} from the flat list of arrays that comes with it. Shared by the in-process
 * bridge and the worker processes; the contract (keep it stable):
 *
 * <ul>
 *   <li>A structure is a list (Python tuple, or JSON array) of 3 entries, for {@code x}, {@code y}
 *       and {@code sample_weight}; each entry is {@code null} (absent), {@code "array"} (one
 *       array), {@code ["list", n]} ({@code n} arrays in model order) or {@code ["dict", [name_1,
 *       ..., name_n]]} ({@code n} arrays by input or output name).
 *   <li>The arrays come flat, in order: the parts of {@code x}, then {@code y}, then {@code
 *       sample_weight}. Each is float32, float64, int32, int64 or bool (batches.py widens other
 *       numeric dtypes), C order.
 * </ul>
 *
 * <pre>{@code
 * BatchStructure s = BatchStructure.parse(List.of(List.of("dict", List.of("input_1", "input_2")), "array", null));
 * Batch b = s.assemble(List.of(x1, x2, y));   // x = {input_1: x1, input_2: x2}, y = y
 * }</pre>
 *
 * Immutable.
 */
public final class BatchStructure {
  /** Entry tag for one array. */
  public static final String ARRAY = "array";

  /** Entry tag for a list of arrays: {@code ["list", n]}. */
  public static final String LIST = "list";

  /** Entry tag for arrays by name: {@code ["dict", [names]]}. */
  public static final String DICT = "dict";

  /** One of x, y, sample_weight: absent, one array, n arrays, or named arrays. */
  private record Part(String kind, int count, List<String> names) {
    static final Part NONE = new Part(null, 0, List.of());
    static final Part ONE = new Part(ARRAY, 1, List.of());
  }

  private final Object raw;
  private final Part[] parts;
  private final int arrayCount;

  private BatchStructure(Object raw, Part[] parts) {
    this.raw = raw;
    this.parts = parts;
    int n = 0;
    for (Part p : parts) n += p.count();
    this.arrayCount = n;
  }

  /**
   * Reads a structure: a {@code List} (or {@code Object[]}) of 3 entries as described in the class
   * comment; inner lists may also be {@code Object[]}, counts any {@link Number}.
   */
  public static BatchStructure parse(Object structure) {
    List<?> entries = asList(structure);
    if (entries == null || entries.size() != 3) {
      throw new IllegalArgumentException(
          "A batch structure is a list of 3 entries (x, y, sample_weight). Received: " + structure);
    }
    Part[] parts = new Part[3];
    for (int i = 0; i < 3; i++) parts[i] = part(entries.get(i), structure);
    if (parts[0].kind() == null) {
      throw new IllegalArgumentException(
          "A batch structure needs x (its first entry is null). Received: " + structure);
    }
    return new BatchStructure(structure, parts);
  }

  private static Part part(Object e, Object whole) {
    if (e == null) return Part.NONE;
    if (ARRAY.equals(e)) return Part.ONE;
    List<?> l = asList(e);
    if (l != null && l.size() == 2) {
      if (LIST.equals(l.get(0)) && l.get(1) instanceof Number n) {
        return new Part(LIST, n.intValue(), List.of());
      }
      List<?> keys = asList(l.get(1));
      if (DICT.equals(l.get(0)) && keys != null) {
        List<String> names = new ArrayList<>(keys.size());
        for (Object k : keys) names.add(String.valueOf(k));
        return new Part(DICT, names.size(), List.copyOf(names));
      }
    }
    throw new IllegalArgumentException(
        "A batch structure entry is null, \"array\", [\"list\", n] or [\"dict\", [names]]. Received: "
            + e
            + " in "
            + whole);
  }

  private static List<?> asList(Object o) {
    if (o instanceof List<?> l) return l;
    if (o instanceof Object[] a) return java.util.Arrays.asList(a);
    return null;
  }

  /** How many arrays a batch of this structure carries. */
  public int arrayCount() {
    return arrayCount;
  }

  /** Whether {@code other} (a raw structure) describes the same batch layout. */
  boolean sameAs(Object other) {
    return raw.equals(other);
  }

  /** The structure in the raw form {@link #parse} reads (JSON-compatible). */
  public List<Object> toRaw() {
    List<Object> out = new ArrayList<>(3);
    for (Part p : parts) {
      if (p.kind() == null) out.add(null);
      else if (p.kind().equals(ARRAY)) out.add(ARRAY);
      else if (p.kind().equals(LIST)) out.add(List.of(LIST, p.count()));
      else out.add(List.of(DICT, p.names()));
    }
    return out;
  }

  /** The batch made of {@code arrays} (exactly {@link #arrayCount()}, in the contract's order). */
  public Batch assemble(List<NDArray> arrays) {
    if (arrays.size() != arrayCount) {
      throw new IllegalArgumentException(
          "The batch structure "
              + toRaw()
              + " needs "
              + arrayCount
              + " arrays. Received: "
              + arrays.size());
    }
    int[] at = {0};
    ArrayData x = data(parts[0], arrays, at);
    ArrayData y = data(parts[1], arrays, at);
    ArrayData w = data(parts[2], arrays, at);
    return new Batch(x, y, w);
  }

  private static ArrayData data(Part p, List<NDArray> arrays, int[] at) {
    if (p.kind() == null) return null;
    switch (p.kind()) {
      case ARRAY:
        return arrays.get(at[0]++);
      case LIST:
        {
          List<NDArray> l = new ArrayList<>(p.count());
          for (int i = 0; i < p.count(); i++) l.add(arrays.get(at[0]++));
          return ArrayData.of(l);
        }
      default:
        {
          Map<String, NDArray> m = new LinkedHashMap<>();
          for (String name : p.names()) m.put(name, arrays.get(at[0]++));
          return ArrayData.of(m);
        }
    }
  }

  /**
   * One step: parses {@code structure} and assembles {@code arrays}, each a jkeras {@link NDArray}
   * or a {@code jep.NDArray} (converted by {@link #toNDArray}).
   */
  public static Batch toBatch(Object structure, List<?> arrays) {
    List<NDArray> converted = new ArrayList<>(arrays.size());
    for (Object a : arrays) converted.add(toNDArray(a));
    return parse(structure).assemble(converted);
  }

  /**
   * A jkeras array from what Jep returns for a numpy array ({@code jep.NDArray} of float[],
   * double[], int[], long[] or boolean[]); a float32 array is adopted without a copy. A jkeras
   * {@link NDArray} is returned as it is.
   */
  public static NDArray toNDArray(Object array) {
    if (array instanceof NDArray a) return a;
    if (array instanceof jep.NDArray<?> j) {
      int[] dims = j.getDimensions();
      long[] shape = new long[dims.length];
      for (int i = 0; i < dims.length; i++) shape[i] = dims[i];
      Object data = j.getData();
      if (data instanceof float[] f) return NDArray.adoptFloats(f, shape);
      if (data instanceof double[] d) return NDArray.ofFloat64(d, shape);
      if (data instanceof int[] i) return NDArray.ofInts(i, shape);
      if (data instanceof long[] l) return NDArray.ofLongs(l, shape);
      if (data instanceof boolean[] b) return NDArray.ofBooleans(b, shape);
      throw new IllegalArgumentException(
          "Unsupported array element type from Python: "
              + data.getClass().getSimpleName()
              + " (jkeras.batches should have converted it to float32, float64, int32, int64 or bool).");
    }
    throw new IllegalArgumentException(
        "Expected a numpy array from Python. Received: "
            + (array == null ? "None" : array.getClass().getName() + " " + array));
  }

  /**
   * A jkeras array copied from raw C-order bytes (for batches read from shared memory), read from
   * {@code bytes}' position in little-endian order; bool is one byte per element.
   *
   * @param dtype numpy name: float32, float64, int32, int64 or bool
   */
  public static NDArray fromBytes(String dtype, long[] shape, ByteBuffer bytes) {
    long n = 1;
    for (long d : shape) n *= d;
    int count = Math.toIntExact(n);
    ByteBuffer b = bytes.slice().order(ByteOrder.LITTLE_ENDIAN);
    switch (DType.of(dtype)) {
      case FLOAT32:
        {
          float[] f = new float[count];
          b.asFloatBuffer().get(f);
          return NDArray.adoptFloats(f, shape);
        }
      case FLOAT64:
        {
          double[] d = new double[count];
          b.asDoubleBuffer().get(d);
          return NDArray.ofFloat64(d, shape);
        }
      case INT32:
        {
          int[] i = new int[count];
          b.asIntBuffer().get(i);
          return NDArray.ofInts(i, shape);
        }
      case INT64:
        {
          long[] l = new long[count];
          b.asLongBuffer().get(l);
          return NDArray.ofLongs(l, shape);
        }
      default:
        {
          boolean[] z = new boolean[count];
          for (int i = 0; i < count; i++) z[i] = b.get(i) != 0;
          return NDArray.ofBooleans(z, shape);
        }
    }
  }

  @Override
  public String toString() {
    return "BatchStructure" + toRaw();
  }
}
