package jkeras.callbacks;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import jkeras.data.NDArray;
import jkeras.internal.Warnings;
import jkeras.layers.Dense;
import jkeras.models.Sequential;
import jkeras.optimizers.SGD;
import jkeras.trainers.FitOptions;

/**
 * A small linear regression to train, callbacks that script the monitored values, and captures of
 * what callbacks print and warn.
 */
final class CallbackTestSupport {
  private CallbackTestSupport() {}

  /** 16 samples of 2 features; y = x0 - 2 x1 + 0.5. */
  static final NDArray X;

  static final NDArray Y;

  static {
    float[] x = new float[32];
    float[] y = new float[16];
    for (int i = 0; i < 16; i++) {
      x[2 * i] = (float) Math.sin(i + 1);
      x[2 * i + 1] = (float) Math.cos(3 * i);
      y[i] = x[2 * i] - 2 * x[2 * i + 1] + 0.5f;
    }
    X = NDArray.of(x, 16, 2);
    Y = NDArray.of(y, 16, 1);
  }

  /** Dense(1) on 2 inputs, zero-initialised, compiled with SGD(lr) and mse. */
  static Sequential model(double lr) {
    Sequential m = new Sequential(List.of(Dense.builder(1).inputShape(2).build()));
    m.setWeights(List.of(NDArray.zeros(2, 1), NDArray.zeros(1)));
    m.compile(new SGD(lr), "mse");
    return m;
  }

  static FitOptions.Builder fit(int epochs, Callback... callbacks) {
    return FitOptions.builder()
        .epochs(epochs)
        .batchSize(4)
        .verbose(0)
        .shuffle(false)
        .callbacks(callbacks);
  }

  /**
   * Puts {@code values[epoch]} into the epoch logs under {@code key} (before the callbacks after it
   * see them), so a monitoring callback meets a scripted sequence.
   */
  static Callback scripted(String key, double... values) {
    return LambdaCallback.builder()
        .onEpochEnd((epoch, logs) -> logs.put(key, values[epoch]))
        .build();
  }

  /** What {@code call} printed to System.out, and its result. */
  record Printed<T>(String out, T result) {}

  static <T> Printed<T> printed(Supplier<T> call) {
    PrintStream stdout = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
      T r = call.get();
      return new Printed<>(buf.toString(StandardCharsets.UTF_8), r);
    } finally {
      System.setOut(stdout);
    }
  }

  /** The warnings {@code call} emitted, in order. */
  static List<String> warnings(Runnable call) {
    List<String> seen = new ArrayList<>();
    try (AutoCloseable l = Warnings.listen(seen::add)) {
      call.run();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return seen;
  }
}
