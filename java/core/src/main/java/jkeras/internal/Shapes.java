package jkeras.internal;

/** Shape helpers; {@code -1} stands for Keras' {@code None}. */
public final class Shapes {
  private Shapes() {}

  /**
   * Python's tuple spelling, as Keras prints shapes: {@code (None, 3)}, {@code (3,)}, {@code ()}.
   */
  public static String toPython(long[] shape) {
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < shape.length; i++) {
      if (i > 0) sb.append(", ");
      sb.append(shape[i] < 0 ? "None" : Long.toString(shape[i]));
    }
    if (shape.length == 1) sb.append(',');
    return sb.append(')').toString();
  }

  /** Python's list spelling of a shape: {@code [None, 3]}. */
  public static String toPythonList(long[] shape) {
    String t = toPython(shape);
    if (shape.length == 1) t = t.replace(",)", ")");
    return "[" + t.substring(1, t.length() - 1) + "]";
  }

  /** {@code shape} with a batch dimension of -1 in front. */
  public static long[] withBatch(long[] shape) {
    long[] s = new long[shape.length + 1];
    s[0] = -1;
    System.arraycopy(shape, 0, s, 1, shape.length);
    return s;
  }

  /** {@code shape} without its first (batch) dimension. */
  public static long[] withoutBatch(long[] shape) {
    long[] s = new long[Math.max(0, shape.length - 1)];
    if (shape.length > 0) System.arraycopy(shape, 1, s, 0, s.length);
    return s;
  }

  public static long product(long[] shape) {
    long n = 1;
    for (long d : shape) n *= d;
    return n;
  }
}
