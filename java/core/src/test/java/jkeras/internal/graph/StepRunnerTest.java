package jkeras.internal.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import jkeras.data.ArrayData;
import jkeras.data.DType;
import jkeras.data.NDArray;
import jkeras.layers.Concatenate;
import jkeras.layers.Dense;
import jkeras.layers.Embedding;
import jkeras.layers.Flatten;
import jkeras.layers.Input;
import jkeras.layers.KerasTensor;
import jkeras.models.Model;
import jkeras.trainers.CompileOptions;
import jkeras.trainers.FitOptions;
import jkeras.utils.RngUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Steps through the C API ({@link StepRunner}) give exactly what {@code Session.Runner} gives: the
 * same scores and weights bit for bit, for a float and an int32 input, changing batch sizes, sample
 * weights fed on some steps only, a direct array, test steps in between and chained steps; errors
 * keep TensorFlow's exception and message.
 */
@Tag("native")
class StepRunnerTest {
  @AfterEach
  void restore() {
    StepRunner.setEnabled(true);
  }

  /** Two inputs (float32 features, int32 word ids), two outputs, Adam. */
  private static Model model(int stepsPerExecution) {
    RngUtils.setRandomSeed(5L);
    KerasTensor x = Input.create(new long[] {6}, "x");
    KerasTensor ids = Input.builder().shape(3).name("ids").dtype("int32").build();
    KerasTensor e = new Flatten().apply(Embedding.builder(20, 4).build().apply(ids));
    KerasTensor h =
        Dense.builder(8).activation("relu").build().apply(new Concatenate().apply(List.of(x, e)));
    KerasTensor a = Dense.builder(3).activation("softmax").name("a").build().apply(h);
    KerasTensor b = Dense.builder(1).name("b").build().apply(h);
    Model m = new Model(List.of(x, ids), List.of(a, b));
    m.compile(
        CompileOptions.builder()
            .optimizer("adam")
            .loss(List.of("sparse_categorical_crossentropy", "mse"))
            .metrics(List.of("accuracy"))
            .stepsPerExecution(stepsPerExecution)
            .build());
    return m;
  }

  private static NDArray[] batch(int n, long seed) {
    Random r = new Random(seed);
    float[] x = new float[n * 6];
    for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
    int[] ids = new int[n * 3];
    for (int i = 0; i < ids.length; i++) ids[i] = r.nextInt(20);
    int[] ya = new int[n];
    float[] yb = new float[n];
    float[] w = new float[n];
    for (int i = 0; i < n; i++) {
      ya[i] = r.nextInt(3);
      yb[i] = (float) r.nextGaussian();
      w[i] = 0.5f + r.nextFloat();
    }
    return new NDArray[] {
      NDArray.of(x, n, 6), NDArray.ofInts(ids, n, 3), NDArray.of(ya), NDArray.of(yb), NDArray.of(w)
    };
  }

  /** Every weight's values, exactly (float to string round-trips). */
  private static List<String> weights(Model m) {
    return m.getWeights().stream().map(w -> Arrays.toString(w.toFloatArray())).toList();
  }

  private static NDArray direct(NDArray a) {
    float[] v = a.toFloatArray();
    ByteBuffer b = ByteBuffer.allocateDirect(v.length * 4).order(ByteOrder.nativeOrder());
    b.asFloatBuffer().put(v);
    return NDArray.wrapDirect(b, DType.FLOAT32, a.shape());
  }

  /** Scores of a mixed sequence of steps, then every weight; run with the runner on or off. */
  private static List<Object> run(boolean runner, Function<Model, List<Object>> steps) {
    StepRunner.setEnabled(runner);
    try (Model m = model(1)) {
      List<Object> out = steps.apply(m);
      out.addAll(weights(m));
      return out;
    }
  }

  private static List<Object> mixedSteps(Model m) {
    List<Object> out = new ArrayList<>();
    int[] sizes = {8, 8, 5, 8, 1};
    for (int s = 0; s < sizes.length; s++) {
      NDArray[] d = batch(sizes[s], s);
      NDArray x = s == 3 ? direct(d[0]) : d[0];
      ArrayData xs = ArrayData.of(x, d[1]);
      ArrayData ys = ArrayData.of(d[2], d[3]);
      out.add(
          s % 2 == 1
              ? m.trainOnBatch(xs, ys, d[4], null).toString()
              : m.trainOnBatch(xs, ys).toString());
      out.add(m.testOnBatch(xs, ys).toString());
    }
    return out;
  }

  @Test
  void trainAndTestStepsEqualSessionRunnerBitForBit() {
    List<Object> reference = run(false, StepRunnerTest::mixedSteps);
    List<Object> viaCApi = run(true, StepRunnerTest::mixedSteps);
    assertThat(viaCApi).isEqualTo(reference);
  }

  @Test
  void stepsGoThroughTheCApiAndItsRunnersCloseWithTheModel() {
    StepRunner.setEnabled(true);
    int before = StepRunner.live();
    try (Model m = model(1)) {
      NDArray[] d = batch(4, 1);
      m.trainOnBatch(ArrayData.of(d[0], d[1]), ArrayData.of(d[2], d[3]));
      // The train and the test step's runners (TF Java's session reached: not the fallback).
      assertThat(StepRunner.live()).isEqualTo(before + 2);
    }
    assertThat(StepRunner.live()).isEqualTo(before);
  }

  @Test
  void chainedStepsEqualSessionRunnerBitForBit() {
    Function<Boolean, List<Object>> fit =
        on -> {
          StepRunner.setEnabled(on);
          try (Model m = model(3)) {
            NDArray[] d = batch(56, 9); // 7 batches of 8: groups of 3, 3 and 1
            List<Object> out = new ArrayList<>();
            out.add(
                m.fit(
                        ArrayData.of(d[0], d[1]),
                        ArrayData.of(d[2], d[3]),
                        FitOptions.builder()
                            .batchSize(8)
                            .epochs(2)
                            .shuffle(false)
                            .verbose(0)
                            .build())
                    .history()
                    .toString());
            out.addAll(weights(m));
            return out;
          }
        };
    assertThat(fit.apply(true)).isEqualTo(fit.apply(false));
  }

  @Test
  void aKernelErrorKeepsTensorFlowsExceptionAndMessage() {
    List<Throwable> errors = new ArrayList<>();
    for (boolean on : new boolean[] {false, true}) {
      StepRunner.setEnabled(on);
      try (Model m = model(1)) {
        NDArray[] d = batch(4, 2);
        NDArray badIds = NDArray.ofInts(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 99}, 4, 3);
        assertThatThrownBy(
                () -> m.trainOnBatch(ArrayData.of(d[0], badIds), ArrayData.of(d[2], d[3])))
            .satisfies(errors::add);
      }
    }
    assertThat(errors.get(1)).hasSameClassAs(errors.get(0));
    // The same words; only the layer's name differs (each model numbers its layers anew).
    assertThat(errors.get(1).getMessage().replaceAll("embedding_\\d+", "embedding"))
        .isEqualTo(errors.get(0).getMessage().replaceAll("embedding_\\d+", "embedding"))
        .contains("indices[3,2] = 99 is not in [0, 20)");
  }
}
