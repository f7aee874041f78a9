package jkeras.layers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleFunction;
import jkeras.backend.CallContext;
import jkeras.internal.Config;
import jkeras.internal.Errors;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * What the noise and dropout layers share ({@link Dropout}, the spatial dropouts, {@link
 * GaussianNoise}, {@link GaussianDropout}, {@link AlphaDropout}): a random op in training steps and
 * the identity in test and predict steps (Keras' {@code K.in_train_phase}), drawn anew at each step
 * from the layer's {@code seed}, else from the next seed of the model's sequence.
 */
abstract class NoiseLayer extends PassThroughLayer {
  /** What a dropout {@code rate} must be, for the argument errors. */
  static final String RATE_EXPECTED = "a float in [0, 1)";

  /** Keras' {@code seed}, or null. */
  final Long seed;

  private final boolean active;

  /**
   * @param active whether the layer changes anything in training steps; when false (a dropout rate
   *     of 0, as Keras skips the op) it takes no seed from the model's sequence
   */
  NoiseLayer(Builder<?> b, boolean active) {
    super(b);
    this.seed = b.seed;
    this.active = active;
  }

  @Override
  public Operand<TFloat32> call(CallContext ctx, List<Operand<TFloat32>> inputs) {
    Operand<TFloat32> x = inputs.get(0);
    if (!active) return x;
    long s = seed != null ? seed : ctx.nextSeed();
    // Only the train step's graph draws the noise (its learning phase is known when built).
    return ctx.inTrainPhase(() -> noised(ctx.tf(), x, s), () -> x);
  }

  /** The training steps' output for {@code x}, from random ops seeded with {@code s}. */
  abstract Operand<TFloat32> noised(Ops tf, Operand<TFloat32> x, long s);

  /** {@code shape} with its None entries ({@code -1}) read from {@code x}'s dynamic shape. */
  static Operand<TInt32> shapeWithNone(Ops tf, Operand<TFloat32> x, long[] shape) {
    List<Operand<TInt32>> dims = new ArrayList<>();
    Operand<TInt32> s = null;
    for (int i = 0; i < shape.length; i++) {
      if (shape[i] >= 0) {
        dims.add(tf.constant((int) shape[i]));
      } else {
        if (s == null) s = tf.shape(x);
        dims.add(
            tf.reshape(
                tf.slice(s, tf.constant(new int[] {i}), tf.constant(new int[] {1})),
                tf.constant(new int[0])));
      }
    }
    return tf.stack(dims);
  }

  /** A {@code noise_shape} argument: positive dimensions, or -1 for the input's size (None). */
  static long[] checkNoiseShape(long[] noiseShape) {
    for (long d : noiseShape) {
      if (d == 0 || d < -1) {
        throw Errors.invalidArgument(
            "noiseShape",
            "positive dimensions or -1 for None",
            java.util.Arrays.toString(noiseShape));
      }
    }
    return noiseShape.clone();
  }

  /**
   * Reads a Keras config of the noise layer {@code className} for {@code Layers.deserialize}:
   * checks its keys ({@code argument}, {@code others}, {@code seed}), gives the float {@code
   * argument} to {@code builder} (required, with the "expected" text {@code expected}, unless that
   * is null), then reads the base keys and {@code seed}.
   */
  static <B extends Builder<B>> B readConfig(
      String className,
      Map<String, Object> config,
      String argument,
      String expected,
      DoubleFunction<B> builder,
      String... others) {
    List<String> keys = new ArrayList<>(List.of(argument));
    keys.addAll(List.of(others));
    keys.add("seed");
    Layers.check(className, config, keys.toArray(String[]::new));
    if (expected != null && config.get(argument) == null)
      throw Errors.invalidArgument(argument, expected, null);
    return builder
        .apply(Config.getDouble(config, argument, 0))
        .baseConfig(config)
        .seed(Config.getSeed(config, "seed"));
  }

  /**
   * The {@code seed} argument of every noise layer; defaults are Keras'.
   *
   * @param <B> the concrete builder, for chaining
   */
  @SuppressWarnings("unchecked")
  abstract static class Builder<B extends Builder<B>> extends Layer.Builder<B> {
    Long seed;

    /**
     * {@code seed} (Keras {@code seed}; tf-keras' for {@code GaussianNoise} and {@code
     * GaussianDropout}): default none (derived from the global seed).
     */
    public B seed(Long seed) {
      this.seed = seed;
      return (B) this;
    }
  }

  /**
   * A noise layer's builder with its drop probability {@code rate} (Keras {@code rate}), in [0, 1).
   *
   * @param <B> the concrete builder, for chaining
   */
  abstract static class RateBuilder<B extends RateBuilder<B>> extends Builder<B> {
    final double rate;

    RateBuilder(double rate) {
      if (!(rate >= 0 && rate < 1)) throw Errors.invalidArgument("rate", RATE_EXPECTED, rate);
      this.rate = rate;
    }
  }

  /**
   * A dropout builder with Keras' {@code noise_shape} too ({@link Dropout}, {@link AlphaDropout}).
   *
   * @param <B> the concrete builder, for chaining
   */
  abstract static class NoiseShapeBuilder<B extends NoiseShapeBuilder<B>> extends RateBuilder<B> {
    long[] noiseShape;

    NoiseShapeBuilder(double rate) {
      super(rate);
    }

    /**
     * {@code noiseShape} (Keras {@code noise_shape}): the keep/drop mask's shape, batch axis first,
     * {@code -1} for the input's size (None). Default null: the input's shape.
     */
    @SuppressWarnings("unchecked")
    public B noiseShape(long... noiseShape) {
      this.noiseShape = checkNoiseShape(noiseShape);
      return (B) this;
    }

    /** The config's {@code noise_shape} (when set) and {@code seed}, read into this builder. */
    B readNoiseShape(Map<String, Object> config) {
      if (config.get("noise_shape") != null)
        noiseShape(InputChecks.dims("noise_shape", config.get("noise_shape")));
      return (B) this;
    }
  }
}
