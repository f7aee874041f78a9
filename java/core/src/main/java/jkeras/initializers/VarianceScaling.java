package jkeras.initializers;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import jkeras.internal.Config;
import jkeras.internal.Errors;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras {@code VarianceScaling(scale=1.0, mode='fan_in', distribution='normal', seed=None)}: values
 * whose variance is {@code scale / n}, with {@code n} the fan-in, fan-out or their average ({@link
 * #computeFans}).
 *
 * <ul>
 *   <li>{@code "normal"} (Keras 2.3.1) and {@code "truncated_normal"} (tf-keras' name for it): a
 *       normal truncated at two standard deviations, with {@code stddev = sqrt(scale / n) /
 *       0.87962566103423978} so that the truncated values have variance {@code scale / n};
 *   <li>{@code "untruncated_normal"} (tf-keras only): a plain normal with {@code stddev =
 *       sqrt(scale / n)};
 *   <li>{@code "uniform"}: uniform in {@code [-limit, limit)} with {@code limit = sqrt(3 * scale /
 *       n)}.
 * </ul>
 *
 * <p>Immutable; see {@link RandomInitializer} for the seed. Keras 2.3.1's {@code glorot_*}, {@code
 * he_*} and {@code lecun_*} are functions returning one of it; so are {@link
 * Initializers#glorotUniform} and the others, whose configs are {@code VarianceScaling} configs as
 * Keras 2.3.1 writes them; tf-keras' class names ({@code "GlorotUniform"}) are read too.
 *
 * <pre>{@code
 * Initializer he =
 *     VarianceScaling.builder().scale(2.0).mode("fan_in").distribution("uniform").build();
 * }</pre>
 */
public class VarianceScaling extends RandomInitializer {
  public static final double SCALE_DEFAULT = 1.0;
  public static final String MODE_DEFAULT = "fan_in";
  public static final String DISTRIBUTION_DEFAULT = "normal";

  /**
   * The standard deviation of a unit normal truncated to [-2, 2] (scipy truncnorm(-2, 2).std()).
   */
  static final double TRUNCATED_STDDEV = 0.87962566103423978;

  static final List<String> MODES = List.of("fan_in", "fan_out", "fan_avg");
  static final List<String> DISTRIBUTIONS =
      List.of("normal", "uniform", "truncated_normal", "untruncated_normal");
  static final List<String> KEYS = List.of("scale", "mode", "distribution", "seed", "dtype");

  private final String className;
  private final double scale;
  private final String mode;
  private final String distribution;

  /** Used by the builder and the presets (Glorot, He, LeCun); arguments already valid. */
  VarianceScaling(String className, double scale, String mode, String distribution, Long seed) {
    super(seed);
    this.className = className;
    this.scale = scale;
    this.mode = mode;
    this.distribution = distribution;
  }

  /** A builder with the Keras defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * {@code "VarianceScaling"} (a preset read from a tf-keras config names itself in its errors).
   */
  @Override
  public String className() {
    return className;
  }

  public double scale() {
    return scale;
  }

  public String mode() {
    return mode;
  }

  public String distribution() {
    return distribution;
  }

  @Override
  Operand<TFloat32> sample(Ops tf, long[] shape, long s) {
    double[] fans = computeFans(shape);
    double n =
        switch (mode) {
          case "fan_in" -> Math.max(1.0, fans[0]);
          case "fan_out" -> Math.max(1.0, fans[1]);
          default -> Math.max(1.0, (fans[0] + fans[1]) / 2.0);
        };
    double scaled = scale / n;
    return switch (distribution) {
      case "uniform" -> {
        double limit = Math.sqrt(3.0 * scaled);
        yield StatelessRandom.uniform(tf, shape, s, -limit, limit);
      }
      case "untruncated_normal" -> StatelessRandom.normal(tf, shape, s, 0.0, Math.sqrt(scaled));
      default ->
          StatelessRandom.truncatedNormal(tf, shape, s, 0.0, Math.sqrt(scaled) / TRUNCATED_STDDEV);
    };
  }

  /**
   * Keras 2.3.1 {@code _compute_fans(shape)} (channels-last): {@code [fan_in, fan_out]}. Rank 2:
   * {@code shape[0], shape[1]}; rank 3 to 5 (convolution kernels): {@code shape[-2]} and {@code
   * shape[-1]} times the receptive field size (the product of the leading dimensions); any other
   * rank: both {@code sqrt(prod(shape))}. tf-keras differs for rank 1 ({@code shape[0]}) and rank
   * &gt; 5 (treated as a kernel).
   */
  public static double[] computeFans(long[] shape) {
    int rank = shape.length;
    if (rank == 2) {
      return new double[] {shape[0], shape[1]};
    }
    if (rank >= 3 && rank <= 5) {
      double receptive = 1;
      for (int i = 0; i < rank - 2; i++) {
        receptive *= shape[i];
      }
      return new double[] {shape[rank - 2] * receptive, shape[rank - 1] * receptive};
    }
    double prod = 1;
    for (long d : shape) {
      prod *= d;
    }
    double f = Math.sqrt(prod);
    return new double[] {f, f};
  }

  /** Keras {@code get_config()}: {@code scale, mode, distribution}, then {@code seed}. */
  @Override
  void putArguments(Map<String, Object> config) {
    config.put("scale", scale);
    config.put("mode", mode);
    config.put("distribution", distribution);
  }

  /** Keras {@code VarianceScaling.from_config}; keys {@code scale, mode, distribution, seed}. */
  public static VarianceScaling fromConfig(Map<String, ?> config) {
    Errors.checkKeys("VarianceScaling", config, KEYS);
    return builder()
        .scale(Config.getDouble(config, "scale", SCALE_DEFAULT))
        .mode(Config.getString(config, "mode", MODE_DEFAULT))
        .distribution(Config.getString(config, "distribution", DISTRIBUTION_DEFAULT))
        .seed(Config.getSeed(config, "seed"))
        .build();
  }

  /**
   * Reads the config of a preset (e.g. GlorotUniform, whose unseeded instance this is): {@code
   * seed} (tf-keras writes only it), plus the Keras 2.3.1 {@code VarianceScaling} keys when they
   * carry this preset's own values.
   */
  private Long presetSeed(Map<String, ?> config) {
    String owner = className();
    Errors.checkKeys(owner, config, KEYS);
    if (config.containsKey("scale") && Config.getDouble(config, "scale", scale) != scale) {
      throw Errors.invalidArgument("scale", owner + "'s scale " + scale, config.get("scale"));
    }
    checkSame(owner, config, "mode", mode);
    checkSame(owner, config, "distribution", distribution);
    return Config.getSeed(config, "seed");
  }

  private static void checkSame(String owner, Map<String, ?> config, String key, String expected) {
    String v = Config.getString(config, key, expected);
    String norm = v.toLowerCase(Locale.ROOT);
    if (key.equals("distribution") && norm.equals("truncated_normal")) {
      norm = "normal";
    }
    if (!norm.equals(expected)) {
      throw Errors.invalidArgument(key, owner + "'s " + key + " `" + expected + "`", v);
    }
  }

  /**
   * Keras 2.3.1's {@code glorot_*}, {@code he_*} and {@code lecun_*} functions: a {@code
   * VarianceScaling} with fixed arguments, named by its tf-keras class ({@code GlorotUniform}).
   */
  enum Preset {
    GLOROT_UNIFORM("glorot_uniform", "GlorotUniform", 1.0, "fan_avg", "uniform"),
    GLOROT_NORMAL("glorot_normal", "GlorotNormal", 1.0, "fan_avg", "normal"),
    HE_UNIFORM("he_uniform", "HeUniform", 2.0, "fan_in", "uniform"),
    HE_NORMAL("he_normal", "HeNormal", 2.0, "fan_in", "normal"),
    LECUN_UNIFORM("lecun_uniform", "LecunUniform", 1.0, "fan_in", "uniform"),
    LECUN_NORMAL("lecun_normal", "LecunNormal", 1.0, "fan_in", "normal");

    /** The Keras 2.3.1 function's name, an identifier. */
    final String kerasName;

    /** The tf-keras class name, the {@code class_name} of its configs. */
    final String className;

    private final double scale;
    private final String mode;
    private final String distribution;

    Preset(String kerasName, String className, double scale, String mode, String distribution) {
      this.kerasName = kerasName;
      this.className = className;
      this.scale = scale;
      this.mode = mode;
      this.distribution = distribution;
    }

    /**
     * {@code glorot_uniform(seed=seed)}, and likewise; {@code null} uses the engine's seed. Its
     * config is a {@code VarianceScaling} one, as Keras 2.3.1 writes it (tf-keras' and Keras 3 read
     * that too).
     */
    VarianceScaling of(Long seed) {
      return new VarianceScaling("VarianceScaling", scale, mode, distribution, seed);
    }

    /**
     * Accepts {@code {seed}} (tf-keras) or the full Keras 2.3.1 {@code VarianceScaling} config of
     * this preset.
     */
    VarianceScaling fromConfig(Map<String, ?> config) {
      return of(new VarianceScaling(className, scale, mode, distribution, null).presetSeed(config));
    }
  }

  /** Options of {@link VarianceScaling}, with the Keras defaults. */
  public static final class Builder {
    private double scale = SCALE_DEFAULT;
    private String mode = MODE_DEFAULT;
    private String distribution = DISTRIBUTION_DEFAULT;
    private Long seed;

    private Builder() {}

    /** Keras {@code scale}: positive scaling factor. Default {@code 1.0}. */
    public Builder scale(double scale) {
      this.scale = scale;
      return this;
    }

    /**
     * Keras {@code mode}: {@code "fan_in"}, {@code "fan_out"} or {@code "fan_avg"}. Default {@code
     * "fan_in"}.
     */
    public Builder mode(String mode) {
      this.mode = mode;
      return this;
    }

    /**
     * Keras {@code distribution}: {@code "normal"} (truncated), {@code "uniform"}, or tf-keras'
     * {@code "truncated_normal"} / {@code "untruncated_normal"}. Default {@code "normal"}.
     */
    public Builder distribution(String distribution) {
      this.distribution = distribution;
      return this;
    }

    /** Keras {@code seed}, or {@code null} to use the engine's seed. Default {@code null}. */
    public Builder seed(Long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * @throws IllegalArgumentException if {@code scale <= 0}, or {@code mode} or {@code
     *     distribution} is not one of the valid values (compared case-insensitively, as Keras does)
     */
    public VarianceScaling build() {
      if (!(scale > 0.0)) {
        throw Errors.invalidArgument("scale", "a positive float", scale);
      }
      String m = mode == null ? null : mode.toLowerCase(Locale.ROOT);
      if (!MODES.contains(m)) {
        throw Errors.invalidArgument("mode", "one of " + MODES, mode);
      }
      String d = distribution == null ? null : distribution.toLowerCase(Locale.ROOT);
      if (!DISTRIBUTIONS.contains(d)) {
        throw Errors.invalidArgument("distribution", "one of " + DISTRIBUTIONS, distribution);
      }
      return new VarianceScaling("VarianceScaling", scale, m, d, seed);
    }
  }
}
