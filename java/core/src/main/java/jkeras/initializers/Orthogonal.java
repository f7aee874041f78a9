package jkeras.initializers;

import java.util.Map;
import jkeras.internal.Config;
import jkeras.internal.Errors;
import jkeras.internal.Shapes;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.linalg.Qr;
import org.tensorflow.types.TFloat32;

/**
 * Keras {@code Orthogonal(gain=1.0, seed=None)} ({@code "orthogonal"}): a random orthogonal matrix
 * (rows or columns orthonormal, whichever there are fewer of), times {@code gain}; the recurrent
 * kernels' default initializer. A shape of rank above 2 is treated as a matrix of {@code
 * prod(shape[:-1])} rows.
 *
 * <p>Drawn as tf-keras 2.x draws it: a standard normal matrix from the stateless generator, its QR
 * decomposition, {@code Q} with each column's sign set by the sign of {@code R}'s diagonal (uniform
 * over orthogonal matrices), transposed when there are fewer rows than columns. Keras 2.3.1 took
 * the SVD of a NumPy normal matrix instead: the same distribution, other numbers. Immutable; a
 * seeded instance gives the same values on every call (see {@link RandomInitializer}).
 */
public final class Orthogonal extends RandomInitializer {
  /** Keras' default {@code gain}. */
  public static final double GAIN_DEFAULT = 1.0;

  private final double gain;

  /** {@code Orthogonal()}: gain {@code 1}, unseeded. */
  public Orthogonal() {
    this(GAIN_DEFAULT, null);
  }

  /**
   * @param gain (Keras {@code gain}) multiplies the orthogonal matrix. Default {@code 1.0}.
   * @param seed (Keras {@code seed}) or {@code null} to use the seed the engine passes to {@link
   *     #call}. Default {@code null}.
   */
  public Orthogonal(double gain, Long seed) {
    super(seed);
    this.gain = gain;
  }

  public double gain() {
    return gain;
  }

  /**
   * @throws IllegalArgumentException for a shape of rank below 2 (tf-keras' message)
   */
  @Override
  Operand<TFloat32> sample(Ops tf, long[] shape, long seed) {
    if (shape.length < 2) {
      throw new IllegalArgumentException(
          "The tensor to initialize must be at least two-dimensional. Received: shape="
              + Shapes.toPython(shape)
              + " of rank "
              + shape.length
              + ".");
    }
    long rows = 1;
    for (int i = 0; i < shape.length - 1; i++) rows *= shape[i];
    long cols = shape[shape.length - 1];
    long[] flat = {Math.max(rows, cols), Math.min(rows, cols)};
    Operand<TFloat32> a = StatelessRandom.normal(tf, flat, seed, 0.0, 1.0);
    Qr<TFloat32> qr = tf.linalg.qr(a, Qr.fullMatrices(false));
    Operand<TFloat32> d = tf.linalg.tensorDiagPart(qr.r());
    Operand<TFloat32> q = tf.math.mul(qr.q(), tf.math.sign(d));
    if (rows < cols) q = tf.linalg.transpose(q, tf.constant(new int[] {1, 0}));
    return tf.math.mul(tf.constant((float) gain), tf.reshape(q, tf.constant(shape)));
  }

  @Override
  void putArguments(Map<String, Object> config) {
    config.put("gain", gain);
  }

  /** Keras {@code Orthogonal.from_config}; keys {@code gain, seed} (and {@code dtype}). */
  public static Orthogonal fromConfig(Map<String, ?> config) {
    checkKeys("Orthogonal", config, "gain");
    Object gain = config.get("gain");
    if (gain != null && !(gain instanceof Number))
      throw Errors.invalidArgument("gain", "a number", gain);
    return new Orthogonal(
        Config.getDouble(config, "gain", GAIN_DEFAULT), Config.getSeed(config, "seed"));
  }
}
