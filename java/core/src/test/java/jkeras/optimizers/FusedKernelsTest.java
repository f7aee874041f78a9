package jkeras.optimizers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;
import jkeras.backend.KerasVariable;
import jkeras.constraints.MaxNorm;
import jkeras.data.NDArray;
import jkeras.layers.Dense;
import jkeras.models.Sequential;
import jkeras.utils.RngUtils;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The fused TensorFlow kernels against Keras 2.3.1's elementwise updates: the same model trained
 * 100 steps from the same weights on the same batches each way ends with the same weights, to
 * float32 rounding (the kernels rearrange the formulas, e.g. {@code m += (g - m) * (1 - beta_1)}).
 */
@Tag("native")
class FusedKernelsTest {
  private static final int STEPS = 100;

  /** Largest weight difference allowed after 100 steps, relative to the largest weight. */
  private static final double TOLERANCE = 2e-5;

  static Stream<Arguments> optimizers() {
    return Stream.of(
        of("SGD", () -> new SGD(0.05)),
        of("SGD momentum", () -> SGD.builder().learningRate(0.05).momentum(0.9).build()),
        of(
            "SGD nesterov decay",
            () ->
                SGD.builder().learningRate(0.05).momentum(0.9).nesterov(true).decay(0.01).build()),
        of("Adam", Adam::new),
        of("Adam amsgrad", () -> Adam.builder().amsgrad(true).build()),
        of(
            "Adam decay clipnorm clipvalue",
            () ->
                Adam.builder().learningRate(0.01).decay(0.05).clipnorm(0.5).clipvalue(0.1).build()),
        of("Adamax", Adamax::new),
        of("Adagrad", () -> new Adagrad(0.05)),
        of("Adadelta", Adadelta::new),
        of("Adadelta rho", () -> Adadelta.builder().rho(0.8).epsilon(1e-4).build()));
  }

  private static Arguments of(String name, Supplier<Optimizer> optimizer) {
    return Arguments.of(name, optimizer);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("optimizers")
  void fusedKernelAgreesWithKerasElementwiseUpdate(String name, Supplier<Optimizer> optimizer) {
    List<NDArray> fused = train(optimizer.get(), true, false);
    List<NDArray> elementwise = train(optimizer.get(), false, false);
    double diff = maxDifference(fused, elementwise);
    double scale = maxAbs(elementwise);
    System.out.printf(
        Locale.ROOT,
        "[fused vs elementwise, %d steps] %-30s max |diff| %.2e (largest weight %.2f)%n",
        STEPS,
        name,
        diff,
        scale);
    assertThat(diff).isLessThanOrEqualTo(TOLERANCE * scale);
  }

  static Stream<Arguments> someOptimizers() {
    return optimizers()
        .filter(a -> List.of("SGD momentum", "Adam", "Adagrad").contains(a.get()[0]));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("someOptimizers")
  void constrainedWeightsTakeTheElementwiseUpdate(String name, Supplier<Optimizer> optimizer) {
    // The constrained kernel goes through Keras' update-constrain-assign; the bias stays fused.
    List<NDArray> fused = train(optimizer.get(), true, true);
    List<NDArray> elementwise = train(optimizer.get(), false, true);
    assertThat(maxDifference(fused, elementwise))
        .isLessThanOrEqualTo(TOLERANCE * maxAbs(elementwise));
  }

  static Stream<Arguments> kernels() {
    return Stream.of(
        Arguments.of(new SGD(), "ResourceApplyKerasMomentum"),
        Arguments.of(Adam.builder().amsgrad(true).build(), "ResourceApplyAdamWithAmsgrad"),
        Arguments.of(new Adam(), "ResourceApplyAdam"),
        Arguments.of(new Adamax(), "ResourceApplyAdaMax"),
        Arguments.of(new Adagrad(), "ResourceApplyAdagradV2"),
        Arguments.of(new Adadelta(), "ResourceApplyAdadelta"),
        Arguments.of(new RMSprop(), null),
        Arguments.of(new Nadam(), null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kernels")
  void updatesEachParameterWithOneKernelWhereTensorFlowHasKerasFormula(
      Optimizer optimizer, String kernel) {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      TestVariableFactory vars = new TestVariableFactory(tf);
      KerasVariable w = vars.create("w", new long[] {2}, tf.constant(new float[] {1f, 2f}), true);
      KerasVariable it = vars.create("iterations", new long[0], tf.constant(0f), false);
      Operand<TFloat32> grad = tf.constant(new float[] {0.1f, -0.2f});
      List<String> types = new ArrayList<>();
      for (Op op : optimizer.getUpdates(vars, List.of(w), List.of(grad), it)) {
        types.add(op.op().type());
      }
      if (kernel == null) {
        assertThat(types).noneMatch(t -> t.startsWith("ResourceApply"));
      } else {
        // The kernel, then the iteration counter's increment.
        assertThat(types).containsExactly(kernel, "AssignVariableOp");
      }
    }
  }

  /** 100 steps of a 6-16-3 softmax model on fixed random batches; returns the final weights. */
  private static List<NDArray> train(Optimizer optimizer, boolean fusedKernels, boolean constrain) {
    optimizer.useFusedKernels(fusedKernels);
    RngUtils.setRandomSeed(7L);
    Random r = new Random(3);
    try (Sequential model = new Sequential()) {
      Dense.Builder hidden = Dense.builder(16).activation("tanh").inputShape(6);
      if (constrain) hidden.kernelConstraint(new MaxNorm(0.5, 0));
      model.add(hidden.build());
      model.add(Dense.builder(3).activation("softmax").build());
      model.compile(optimizer, "sparse_categorical_crossentropy");
      for (int step = 0; step < STEPS; step++) {
        float[] x = new float[8 * 6];
        int[] y = new int[8];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        for (int i = 0; i < y.length; i++) y[i] = r.nextInt(3);
        model.trainOnBatch(NDArray.of(x, 8, 6), NDArray.ofInts(y, 8));
      }
      return model.getWeights();
    } finally {
      RngUtils.setRandomSeed(null);
    }
  }

  private static double maxDifference(List<NDArray> a, List<NDArray> b) {
    double max = 0;
    for (int k = 0; k < a.size(); k++) {
      float[] x = a.get(k).toFloatArray();
      float[] y = b.get(k).toFloatArray();
      for (int i = 0; i < x.length; i++) max = Math.max(max, Math.abs(x[i] - y[i]));
    }
    return max;
  }

  private static double maxAbs(List<NDArray> a) {
    double max = 0;
    for (NDArray w : a) for (float v : w.toFloatArray()) max = Math.max(max, Math.abs(v));
    return max;
  }
}
