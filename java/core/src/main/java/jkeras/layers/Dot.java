package jkeras.layers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jkeras.backend.CallContext;
import jkeras.backend.K;
import jkeras.internal.Config;
import jkeras.internal.Errors;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code Dot(axes, normalize=False)}: per sample, the dot product of two inputs along {@code
 * axes} ({@code K.batch_dot}); with {@code normalize}, the inputs are L2-normalized along those
 * axes first, giving the cosine proximity. Two {@code (batch, n)} inputs give {@code (batch, 1)}.
 * The output has no mask. Functional form: {@link Merging#dot}.
 */
public final class Dot extends Merge {
  /** Keras' default {@code normalize}. */
  public static final boolean NORMALIZE_DEFAULT = false;

  private final int[] axes;
  private final boolean pair;
  private final boolean normalize;

  /** {@code Dot(axes)}: the same axis of both inputs. */
  public Dot(int axes) {
    this(builder(axes));
  }

  private Dot(Builder b) {
    super(b);
    this.axes = b.axes;
    this.pair = b.pair;
    this.normalize = b.normalize;
  }

  /** {@code axes} (Keras {@code axes} as an int): the axis of both inputs taken. */
  public static Builder builder(int axes) {
    return new Builder(new int[] {axes, axes}, false);
  }

  /** {@code axes} (Keras {@code axes} as a pair): the axis of each input. */
  public static Builder builder(int axes0, int axes1) {
    return new Builder(new int[] {axes0, axes1}, true);
  }

  /** Keras' {@code axes}: the axis of each input. */
  public int[] axes() {
    return axes.clone();
  }

  public boolean normalize() {
    return normalize;
  }

  /** The axes for inputs of these ranks: Keras maps a negative axis modulo the rank. */
  private int[] resolved(int rank0, int rank1) {
    return new int[] {
      axes[0] < 0 ? Math.floorMod(axes[0], rank0) : axes[0],
      axes[1] < 0 ? Math.floorMod(axes[1], rank1) : axes[1]
    };
  }

  /** Keras' {@code Dot.build} checks: two inputs whose dotted dimensions agree. */
  @Override
  protected void checkInputs(List<long[]> shapes) {
    if (shapes.size() != 2) {
      throw new IllegalArgumentException("A `Dot` layer should be called on a list of 2 inputs.");
    }
    long[] s1 = shapes.get(0);
    long[] s2 = shapes.get(1);
    int[] a = resolved(s1.length, s2.length);
    if (a[0] >= s1.length || a[1] >= s2.length) {
      throw Errors.invalidArgument(
          "axes",
          "axes within the inputs' ranks (" + s1.length + ", " + s2.length + ")",
          java.util.Arrays.toString(axes));
    }
    if (s1[a[0]] != s2[a[1]]) {
      throw new IllegalArgumentException(
          "Dimension incompatibility "
              + dim(s1[a[0]])
              + " != "
              + dim(s2[a[1]])
              + ". Layer shapes: "
              + InputChecks.py(s1)
              + ", "
              + InputChecks.py(s2));
    }
  }

  private static String dim(long d) {
    return d < 0 ? "None" : Long.toString(d);
  }

  /**
   * Keras' {@code Dot.compute_output_shape}: both shapes without their dotted axis, {@code y}'s
   * batch too.
   */
  @Override
  public long[] computeOutputShape(List<long[]> shapes) {
    long[] s1 = shapes.get(0);
    long[] s2 = shapes.get(1);
    int[] a = resolved(s1.length, s2.length);
    List<Long> out = new ArrayList<>();
    for (int i = 0; i < s1.length; i++) if (i != a[0]) out.add(s1[i]);
    for (int i = 1; i < s2.length; i++) if (i != a[1]) out.add(s2[i]);
    if (out.size() == 1) out.add(1L);
    long[] r = new long[out.size()];
    for (int i = 0; i < r.length; i++) r[i] = out.get(i);
    return r;
  }

  @Override
  public Operand<TFloat32> call(CallContext ctx, List<Operand<TFloat32>> inputs) {
    return mergeFunction(ctx.tf(), inputs);
  }

  @Override
  Operand<TFloat32> mergeFunction(Ops tf, List<Operand<TFloat32>> inputs) {
    Operand<TFloat32> x1 = inputs.get(0);
    Operand<TFloat32> x2 = inputs.get(1);
    int[] a = resolved(x1.shape().numDimensions(), x2.shape().numDimensions());
    if (normalize) {
      x1 = K.l2Normalize(x1, a[0]);
      x2 = K.l2Normalize(x2, a[1]);
    }
    return K.batchDot(x1, x2, a);
  }

  /** Keras' {@code Dot.compute_mask}: no mask. */
  @Override
  public List<Operand<TBool>> computeMasks(
      CallContext ctx, List<Operand<TFloat32>> inputs, int outputs) {
    return LayerUtils.firstMask(null, outputs);
  }

  /** Keras' {@code get_config()}: {@code axes} (an int or a pair, as given), {@code normalize}. */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("axes", pair ? List.of(axes[0], axes[1]) : axes[0]);
    c.put("normalize", normalize);
    return c;
  }

  /** {@code Layers.deserialize} of a Keras {@code Dot} config. */
  public static Dot fromConfig(Map<String, Object> config) {
    Layers.check("Dot", config, "axes", "normalize");
    Object axes = config.get("axes");
    Builder b;
    if (axes instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
      b = builder(n.intValue());
    } else if (axes instanceof List<?> l) {
      if (l.size() != 2) {
        throw new IllegalArgumentException(
            "Invalid format for `axes` - should contain two elements.");
      }
      if (!(l.get(0) instanceof Number a0) || !(l.get(1) instanceof Number a1)) {
        throw new IllegalArgumentException(
            "Invalid format for `axes` - list elements should be \"int\".");
      }
      b = builder(a0.intValue(), a1.intValue());
    } else {
      throw new IllegalArgumentException(
          "Invalid type for `axes` - should be a list or an int. Received: axes="
              + Errors.truncate(axes));
    }
    return b.baseConfig(config)
        .normalize(Config.getBoolean(config, "normalize", NORMALIZE_DEFAULT))
        .build();
  }

  /** Builds a {@link Dot}; defaults are Keras'. */
  public static final class Builder extends Layer.Builder<Builder> {
    private final int[] axes;
    private final boolean pair;
    private boolean normalize = NORMALIZE_DEFAULT;

    private Builder(int[] axes, boolean pair) {
      this.axes = axes;
      this.pair = pair;
    }

    /**
     * {@code normalize} (Keras {@code normalize}): L2-normalize both inputs along the axes first
     * (cosine proximity). Default false.
     */
    public Builder normalize(boolean normalize) {
      this.normalize = normalize;
      return this;
    }

    public Dot build() {
      return new Dot(this);
    }
  }
}
