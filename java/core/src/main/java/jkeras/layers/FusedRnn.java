package jkeras.layers;

import java.util.List;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.TensorFlow;
import org.tensorflow.op.Ops;
import org.tensorflow.op.nn.BlockLSTM;
import org.tensorflow.op.nn.BlockLSTMGrad;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * The fused recurrent kernel jkeras uses for long sequences, and the gradient it registers for it.
 *
 * <p>TensorFlow's {@code BlockLSTMV2} op runs a whole LSTM sequence in one kernel with Keras'
 * layout (gates i, f, c, o; no forget bias; sigmoid gates, tanh cell), and its gradient op {@code
 * BlockLSTMGradV2} exists, but TensorFlow registers the gradient function only in Python. jkeras
 * registers the same function from Java ({@code rnn_grad.py}'s {@code _block_lstm_grad_v2}) the
 * first time a layer wants the kernel.
 *
 * <p>Which path a layer takes (both compute the same numbers, to float32 rounding): measured on 2
 * cores with LSTM(64), 128 features, batch 32 ({@code docs/layers.md}), the unrolled graph trains
 * faster at every length (10 ms against 13-21 ms per step at 80 timesteps) but grows with the
 * length (about 70 ops, 25-35 ms of build time and 1.7 MB per timestep), while the kernel's graph
 * does not. So by default ({@value #PROPERTY}{@code =auto}) an eligible LSTM runs the kernel only
 * beyond {@value #AUTO_MIN_TIMESTEPS} timesteps, and never with {@code unroll=True} (Keras' own
 * switch for "unroll, faster but more memory"); {@code true} uses the kernel whenever a layer can,
 * {@code false} never. Where registration is impossible (TensorFlow Java cannot register gradients
 * on Windows) the layers always build the unrolled graph.
 */
final class FusedRnn {
  /** System property: {@code auto} (the default), {@code true} or {@code false}; see above. */
  static final String PROPERTY = "jkeras.rnn.fused";

  /** With {@code auto}, the shortest sequence that runs as the fused kernel. */
  static final int AUTO_MIN_TIMESTEPS = 201;

  private static Boolean registered;

  /** How many fused kernels were built in this JVM (tests check which path a layer took). */
  static final java.util.concurrent.atomic.AtomicInteger BUILT =
      new java.util.concurrent.atomic.AtomicInteger();

  private FusedRnn() {}

  /**
   * Whether a layer that can run as the fused kernel should, for a sequence of {@code timesteps}
   * with Keras' {@code unroll} argument as given; registers the kernel's gradient on first use.
   */
  static boolean wanted(int timesteps, boolean unroll) {
    String mode = System.getProperty(PROPERTY, "auto");
    boolean want =
        switch (mode) {
          case "true" -> true;
          case "false" -> false;
          case "auto" -> !unroll && timesteps >= AUTO_MIN_TIMESTEPS;
          default ->
              throw jkeras.internal.Errors.invalidArgument(PROPERTY, "auto, true or false", mode);
        };
    return want && registered();
  }

  private static synchronized boolean registered() {
    if (registered == null) {
      boolean ok;
      try {
        ok = TensorFlow.registerCustomGradient(BlockLSTM.OP_NAME, FusedRnn::blockLstmGrad);
      } catch (RuntimeException | LinkageError e) {
        ok = false;
      }
      registered = ok;
    }
    return registered;
  }

  /**
   * The gradient of {@code BlockLSTMV2}: {@code BlockLSTMGradV2} from the op's inputs, outputs and
   * the gradients of its {@code cs} and {@code h} outputs (TensorFlow passes zeros for outputs the
   * loss does not reach). Nothing here may ask the graph for a shape: TensorFlow holds the graph's
   * lock while it builds gradients, and a shape query would wait for it forever.
   */
  @SuppressWarnings("unchecked")
  private static List<Operand<?>> blockLstmGrad(Ops tf, GraphOperation op, List<Output<?>> grads) {
    Operand<TInt64> seqLenMax = (Operand<TInt64>) op.input(0);
    Operand<TFloat32>[] in = new Operand[9];
    for (int i = 1; i < 9; i++) in[i] = (Operand<TFloat32>) op.input(i);
    Operand<TFloat32>[] out = new Operand[7];
    for (int i = 0; i < 7; i++) out[i] = (Operand<TFloat32>) (Output<?>) op.output(i);
    BlockLSTMGrad<TFloat32> g =
        BlockLSTMGrad.create(
            tf.scope(),
            seqLenMax,
            in[1],
            in[2],
            in[3],
            in[4],
            in[5],
            in[6],
            in[7],
            in[8],
            out[0],
            out[1],
            out[2],
            out[3],
            out[4],
            out[5],
            out[6],
            (Operand<TFloat32>) grads.get(1),
            (Operand<TFloat32>) grads.get(6),
            op.attributes().getAttrBool("use_peephole"));
    // One gradient per input; the sequence length (an integer) gets zeros, never used.
    return List.of(
        tf.zerosLike(seqLenMax),
        g.xGrad(),
        g.csPrevGrad(),
        g.hPrevGrad(),
        g.wGrad(),
        g.wciGrad(),
        g.wcfGrad(),
        g.wcoGrad(),
        g.bGrad());
  }

  /**
   * An LSTM over {@code x} ({@code [batch, T, in]}, T static) with Keras' weights, as one {@code
   * BlockLSTMV2}: {@code w = [kernel; recurrent_kernel]} and Keras' bias, no peepholes, no cell
   * clipping.
   */
  static Recurrent.Result lstm(
      Ops tf,
      Operand<TFloat32> x,
      Operand<TFloat32> kernel,
      Operand<TFloat32> recurrentKernel,
      Operand<TFloat32> bias,
      Operand<TFloat32> h0,
      Operand<TFloat32> c0,
      boolean goBackwards,
      boolean returnSequences) {
    long timesteps = x.shape().get(1);
    long units = recurrentKernel.shape().get(0);
    Operand<TFloat32> timeMajor = tf.linalg.transpose(x, tf.constant(new int[] {1, 0, 2}));
    if (goBackwards) timeMajor = tf.reverse(timeMajor, tf.constant(new int[] {0}));
    Operand<TFloat32> w = tf.concat(List.of(kernel, recurrentKernel), tf.constant(0));
    Operand<TFloat32> noPeephole = tf.zeros(tf.constant(new long[] {units}), TFloat32.class);
    BlockLSTM<TFloat32> lstm =
        BlockLSTM.create(
            tf.scope(),
            tf.constant(timesteps),
            timeMajor,
            c0,
            h0,
            w,
            noPeephole,
            noPeephole,
            noPeephole,
            bias,
            BlockLSTM.cellClip(-1f),
            BlockLSTM.usePeephole(false));
    BUILT.incrementAndGet();
    Operand<TFloat32> lastH = lastStep(tf, lstm.h(), timesteps);
    Operand<TFloat32> lastC = lastStep(tf, lstm.cs(), timesteps);
    Operand<TFloat32> sequence =
        returnSequences ? tf.linalg.transpose(lstm.h(), tf.constant(new int[] {1, 0, 2})) : null;
    return new Recurrent.Result(sequence, lastH, List.of(lastH, lastC));
  }

  private static Operand<TFloat32> lastStep(Ops tf, Operand<TFloat32> timeMajor, long timesteps) {
    Operand<TFloat32> s =
        tf.slice(
            timeMajor,
            tf.constant(new int[] {(int) timesteps - 1, 0, 0}),
            tf.constant(new int[] {1, -1, -1}));
    return tf.squeeze(s, org.tensorflow.op.core.Squeeze.axis(List.of(0L)));
  }
}
