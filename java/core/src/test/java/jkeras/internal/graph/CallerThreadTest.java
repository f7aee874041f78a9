package jkeras.internal.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import jkeras.config.Threading;
import jkeras.data.NDArray;
import jkeras.internal.SessionThreads;
import jkeras.layers.Dense;
import jkeras.models.Model;
import jkeras.models.Sequential;
import jkeras.trainers.CompileOptions;
import jkeras.trainers.EvaluateOptions;
import jkeras.trainers.FitOptions;
import jkeras.utils.RngUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Caller's-thread execution ({@code jkeras.config.Threading#setCallerThreadExecution}) computes
 * what TensorFlow's own threads compute, bit for bit, because each run sets TensorFlow's
 * flush-to-zero and denormals-are-zero on the calling thread; and the thread's floating-point modes
 * are its own again after every run. The modes compared are forced per model (one process serves
 * both: TensorFlow decides per session whether ops run on the caller's thread).
 */
@Tag("native")
class CallerThreadTest {
  @AfterEach
  void restore() {
    ModelGraph.overrideCallerThread(null);
    FlushDenormals.setGuardEnabled(true);
    RngUtils.setRandomSeed(null); // the global seed the tests set must not reach later tests
  }

  // Read from a field, so no compiler folds the arithmetic on it.
  private static volatile float smallNormal = 1.0e-38f;

  @Test
  void theLinuxTestMachineSupportsIt() {
    // Guards the tests below: on an unsupported platform they would compare two pool sessions.
    assertThat(FlushDenormals.unavailableReason()).isNull();
  }

  private static Sequential model(boolean callerThread, int features, String kernelInit) {
    ModelGraph.overrideCallerThread(callerThread);
    RngUtils.setRandomSeed(11L);
    Sequential m = new Sequential();
    m.add(Dense.builder(16).activation("relu").inputShape(features).build());
    m.add(Dense.builder(3).activation("softmax").kernelInitializer(kernelInit).build());
    m.compile(
        CompileOptions.builder()
            .optimizer("adam")
            .loss("sparse_categorical_crossentropy")
            .metrics(List.of("accuracy"))
            .stepsPerExecution(4)
            .build());
    assertThat(graphOf(m).callerThread()).isEqualTo(callerThread);
    return m;
  }

  private static ModelGraph graphOf(Model m) {
    try {
      java.lang.reflect.Field f = Model.class.getDeclaredField("graph");
      f.setAccessible(true);
      return (ModelGraph) f.get(m);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  private static NDArray features(int n, int features, float scale, long seed) {
    Random r = new Random(seed);
    float[] x = new float[n * features];
    for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian() * scale;
    return NDArray.of(x, n, features);
  }

  private static NDArray labels(int n, long seed) {
    Random r = new Random(seed);
    int[] y = new int[n];
    for (int i = 0; i < n; i++) y[i] = r.nextInt(3);
    return NDArray.of(y);
  }

  /** trainOnBatch, fit with chained steps, evaluate and predict; then every weight, exactly. */
  private static List<String> train(boolean callerThread, float scale, String kernelInit) {
    try (Sequential m = model(callerThread, 12, kernelInit)) {
      List<String> out = new ArrayList<>();
      NDArray x = features(64, 12, scale, 1);
      NDArray y = labels(64, 2);
      for (int s = 0; s < 5; s++) {
        out.add(m.trainOnBatch(features(16, 12, scale, 10 + s), labels(16, 20 + s)).toString());
      }
      m.fit(x, y, FitOptions.builder().epochs(3).batchSize(8).shuffle(false).verbose(0).build());
      out.add(m.evaluate(x, y, EvaluateOptions.builder().verbose(0).build()).toString());
      out.add(Arrays.toString(m.predict(x).toFloatArray()));
      for (NDArray w : m.getWeights()) out.add(Arrays.toString(w.toFloatArray()));
      return out;
    }
  }

  @Test
  void aModelWithOneInterOpThreadRunsOnTheCallersThreadWhenTheSettingIsOn() {
    RngUtils.setRandomSeed(1L);
    try (Sequential m = new Sequential()) {
      m.add(Dense.builder(2).inputShape(3).build());
      m.compile("sgd", "mse");
      // The process' first session fixed the threads; this model gets the same.
      boolean expected = SessionThreads.interOp() == 1 && Threading.isCallerThreadExecution();
      assertThat(graphOf(m).callerThread()).isEqualTo(expected);
      if (expected) assertThat(Threading.isCallerThreadExecutionActive()).isTrue();
    }
  }

  @Test
  void trainsToTheSameWeightsAsTensorFlowsThreadBitForBit() {
    List<String> pool = train(false, 1f, "glorot_uniform");
    List<String> caller = train(true, 1f, "glorot_uniform");
    assertThat(caller).isEqualTo(pool);
  }

  /**
   * Inputs of 1e-39 (subnormal) scaled by weights: TensorFlow's threads flush every product to
   * zero, a Java thread without the guard keeps them, and the weights differ.
   */
  @Test
  void subnormalInputsGiveTensorFlowsZerosOnlyWithTheGuard() {
    float scale = 1.0e-39f;
    List<String> pool = train(false, scale, "zeros");
    List<String> guarded = train(true, scale, "zeros");
    FlushDenormals.setGuardEnabled(false);
    List<String> unguarded = train(true, scale, "zeros");
    FlushDenormals.setGuardEnabled(true);
    assertThat(guarded).isEqualTo(pool);
    // Proof that the case needs the guard: without it the caller's thread computes subnormals.
    assertThat(unguarded).isNotEqualTo(pool);
  }

  @Test
  void theThreadsFloatingPointModesAreRestoredAfterEachRun() {
    int before = FlushDenormals.currentControlWord();
    assertThat(before & FlushDenormals.flushBits()).isZero();
    try (Sequential m = model(true, 12, "glorot_uniform")) {
      NDArray x = features(16, 12, 1f, 3);
      m.trainOnBatch(x, labels(16, 4));
      m.predict(x);
      assertThat(FlushDenormals.currentControlWord()).isEqualTo(before);
      // Java's own arithmetic on this thread still yields subnormals.
      float sub = smallNormal / 1024f;
      assertThat(sub).isNotZero().isLessThan(Float.MIN_NORMAL);
      // Also after a run TensorFlow fails (a label out of range).
      int[] bad = new int[16];
      bad[3] = 7;
      assertThatThrownBy(() -> m.trainOnBatch(x, NDArray.of(bad)))
          .hasMessageContaining("Received a label value of 7");
      assertThat(FlushDenormals.currentControlWord()).isEqualTo(before);
      assertThat(smallNormal / 1024f).isNotZero().isLessThan(Float.MIN_NORMAL);
    }
  }
}
