package jkeras.optimizers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import jkeras.backend.KerasVariable;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

/**
 * Runs each optimizer for a few steps on {@code loss = sum((w * x + b - y)^2)} and compares the
 * weights after every step with Keras 2.3.1's formulas evaluated in double precision.
 */
@Tag("native")
class OptimizerTest {
  private static final float[] X = {1f, -2f, 0.5f};
  private static final float[] Y = {0.5f, 1f, -1f};
  private static final float[] W0 = {0.3f, -0.2f, 0.1f};
  private static final float B0 = 0.05f;
  private static final int STEPS = 5;
  private static final double RELATIVE_TOLERANCE = 1e-5;

  /** The weights after each step ({@code [step][w0, w1, w2, b]}) and the final counter. */
  record Trajectory(float[][] weights, float iterations, boolean learningRateBuilt) {}

  static Stream<Arguments> optimizers() {
    return Stream.of(
        of("SGD", () -> new SGD(0.05), KerasReference.sgd(0.05, 0, false)),
        of("SGD defaults", SGD::new, KerasReference.sgd(0.01, 0, false)),
        of(
            "SGD momentum",
            () -> SGD.builder().learningRate(0.05).momentum(0.9).build(),
            KerasReference.sgd(0.05, 0.9, false)),
        of(
            "SGD nesterov",
            () -> SGD.builder().learningRate(0.05).momentum(0.9).nesterov(true).build(),
            KerasReference.sgd(0.05, 0.9, true)),
        of(
            "SGD decay",
            () -> SGD.builder().learningRate(0.05).momentum(0.5).decay(0.3).build(),
            KerasReference.sgd(0.05, 0.5, false).decay(0.3)),
        of(
            "SGD clipnorm",
            () -> SGD.builder().learningRate(0.05).clipnorm(1.0).build(),
            KerasReference.sgd(0.05, 0, false).clipnorm(1.0)),
        of(
            "SGD clipvalue",
            () -> SGD.builder().learningRate(0.05).clipvalue(0.5).build(),
            KerasReference.sgd(0.05, 0, false).clipvalue(0.5)),
        of(
            "SGD clipnorm then clipvalue",
            () -> SGD.builder().learningRate(0.05).clipnorm(2.0).clipvalue(0.5).build(),
            KerasReference.sgd(0.05, 0, false).clipnorm(2.0).clipvalue(0.5)),
        of("RMSprop defaults", RMSprop::new, KerasReference.rmsprop(0.001, 0.9, 1e-7)),
        of(
            "RMSprop epsilon outside sqrt",
            () -> RMSprop.builder().learningRate(0.05).rho(0.8).epsilon(0.5).build(),
            KerasReference.rmsprop(0.05, 0.8, 0.5)),
        of(
            "RMSprop decay",
            () -> RMSprop.builder().learningRate(0.05).decay(0.5).build(),
            KerasReference.rmsprop(0.05, 0.9, 1e-7).decay(0.5)),
        of("Adagrad defaults", Adagrad::new, KerasReference.adagrad(0.01, 1e-7)),
        of(
            "Adagrad epsilon outside sqrt",
            () -> Adagrad.builder().learningRate(0.1).epsilon(0.5).build(),
            KerasReference.adagrad(0.1, 0.5)),
        of(
            "Adagrad decay clipnorm",
            () -> Adagrad.builder().learningRate(0.1).decay(0.2).clipnorm(1.0).build(),
            KerasReference.adagrad(0.1, 1e-7).decay(0.2).clipnorm(1.0)),
        of("Adadelta defaults", Adadelta::new, KerasReference.adadelta(1.0, 0.95, 1e-7)),
        of(
            "Adadelta epsilon",
            () -> Adadelta.builder().rho(0.9).epsilon(1e-2).build(),
            KerasReference.adadelta(1.0, 0.9, 1e-2)),
        of(
            "Adadelta decay",
            () -> Adadelta.builder().learningRate(2.0).epsilon(1e-3).decay(0.5).build(),
            KerasReference.adadelta(2.0, 0.95, 1e-3).decay(0.5)),
        of("Adam defaults", Adam::new, KerasReference.adam(0.001, 0.9, 0.999, 1e-7, false)),
        of("Adam", () -> new Adam(0.05), KerasReference.adam(0.05, 0.9, 0.999, 1e-7, false)),
        of(
            "Adam amsgrad",
            () -> Adam.builder().learningRate(0.1).beta2(0.5).amsgrad(true).build(),
            KerasReference.adam(0.1, 0.9, 0.5, 1e-7, true)),
        of(
            "Adam epsilon decay",
            () -> Adam.builder().learningRate(0.05).epsilon(0.1).decay(0.5).build(),
            KerasReference.adam(0.05, 0.9, 0.999, 0.1, false).decay(0.5)),
        of(
            "Adam clipnorm clipvalue",
            () -> Adam.builder().learningRate(0.05).clipnorm(1.0).clipvalue(0.3).build(),
            KerasReference.adam(0.05, 0.9, 0.999, 1e-7, false).clipnorm(1.0).clipvalue(0.3)),
        of("Adamax defaults", Adamax::new, KerasReference.adamax(0.002, 0.9, 0.999, 1e-7)),
        of(
            "Adamax",
            () -> Adamax.builder().learningRate(0.05).beta2(0.5).epsilon(0.1).decay(0.1).build(),
            KerasReference.adamax(0.05, 0.9, 0.5, 0.1).decay(0.1)),
        of("Nadam defaults", Nadam::new, KerasReference.nadam(0.002, 0.9, 0.999, 1e-7, 0.004)),
        of(
            "Nadam fast schedule",
            () -> Nadam.builder().learningRate(0.05).scheduleDecay(0.5).epsilon(0.1).build(),
            KerasReference.nadam(0.05, 0.9, 0.999, 0.1, 0.5)),
        of(
            "Nadam clipvalue",
            () -> Nadam.builder().learningRate(0.05).clipvalue(0.5).build(),
            KerasReference.nadam(0.05, 0.9, 0.999, 1e-7, 0.004).clipvalue(0.5)));
  }

  private static Arguments of(String name, Supplier<Optimizer> optimizer, KerasReference ref) {
    return Arguments.of(name, optimizer, ref);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("optimizers")
  void matchesKeras231FormulasStepByStep(
      String name, Supplier<Optimizer> optimizer, KerasReference reference) {
    Trajectory actual = train(optimizer.get(), 0);
    double[][] expected = simulate(reference, 0);
    assertClose(actual, expected);
    assertThat(actual.iterations()).isEqualTo((float) STEPS);
    assertThat(actual.learningRateBuilt()).isTrue();
  }

  @Test
  void adamBiasCorrectionUsesTheCounterBeforeItsIncrement() {
    // Starting at iterations = 7, Keras uses t = 8, 9, ... for the bias correction.
    Trajectory actual = train(new Adam(0.05), 7);
    assertClose(actual, simulate(KerasReference.adam(0.05, 0.9, 0.999, 1e-7, false), 7));
    assertThat(actual.iterations()).isEqualTo(7f + STEPS);
  }

  @Test
  void decayUsesTheCounterBeforeItsIncrement() {
    Trajectory actual = train(SGD.builder().learningRate(0.05).decay(0.5).build(), 3);
    assertClose(actual, simulate(KerasReference.sgd(0.05, 0, false).decay(0.5), 3));
  }

  @Test
  void amsgradTestCaseReallyDiffersFromAdam() {
    // Guards the amsgrad case above: with beta_2 = 0.5 the second moment shrinks within 5 steps.
    double[][] adam = simulate(KerasReference.adam(0.1, 0.9, 0.5, 1e-7, false), 0);
    double[][] ams = simulate(KerasReference.adam(0.1, 0.9, 0.5, 1e-7, true), 0);
    assertThat(Math.abs(adam[STEPS - 1][1] - ams[STEPS - 1][1])).isGreaterThan(1e-3);
  }

  @Test
  void twoIdenticalRunsGiveBitwiseIdenticalWeights() {
    Supplier<Optimizer> nadam = () -> Nadam.builder().learningRate(0.05).clipnorm(1.0).build();
    Supplier<Optimizer> adam = () -> Adam.builder().learningRate(0.05).amsgrad(true).build();
    for (Supplier<Optimizer> s : List.of(nadam, adam)) {
      Trajectory first = train(s.get(), 0);
      Trajectory second = train(s.get(), 0);
      for (int step = 0; step < STEPS; step++) {
        for (int i = 0; i < 4; i++) {
          assertThat(Float.floatToRawIntBits(second.weights()[step][i]))
              .isEqualTo(Float.floatToRawIntBits(first.weights()[step][i]));
        }
      }
    }
  }

  @Test
  void slotsAreNamedAfterTheirParameter() {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      TestVariableFactory vars = new TestVariableFactory(tf);
      KerasVariable w = vars.create("dense/kernel", new long[] {3}, tf.constant(W0), true);
      KerasVariable it = vars.create("iterations", new long[0], tf.constant(0f), false);
      Adam adam = Adam.builder().amsgrad(true).build();
      adam.getUpdates(vars, List.of(w), List.of(tf.constant(X)), it);
      assertThat(vars.createdNames())
          .containsExactly(
              "dense/kernel",
              "iterations",
              "learning_rate",
              "dense/kernel/m",
              "dense/kernel/v",
              "dense/kernel/vhat");
      assertThat(adam.learningRateVariable().name()).isEqualTo("learning_rate:0");
    }
  }

  // ---------------------------------------------------------------------------------------------

  private static void assertClose(Trajectory actual, double[][] expected) {
    for (int step = 0; step < STEPS; step++) {
      for (int i = 0; i < 4; i++) {
        double e = expected[step][i];
        assertThat((double) actual.weights()[step][i])
            .as("step %d, weight %d", step + 1, i)
            .isCloseTo(e, within(RELATIVE_TOLERANCE * Math.max(1.0, Math.abs(e))));
      }
    }
  }

  /** The Keras 2.3.1 trajectory in double precision, gradients computed by hand. */
  private static double[][] simulate(KerasReference ref, int initialIterations) {
    ref.iterations = initialIterations;
    double[] w = new double[3];
    for (int i = 0; i < 3; i++) w[i] = W0[i];
    double[] b = {B0};
    double[][] out = new double[STEPS][];
    for (int step = 0; step < STEPS; step++) {
      double[] gw = new double[3];
      double[] gb = new double[1];
      for (int i = 0; i < 3; i++) {
        double r = w[i] * X[i] + b[0] - Y[i];
        gw[i] = 2 * r * X[i];
        gb[0] += 2 * r;
      }
      ref.step(List.of(w, b), List.of(gw, gb));
      out[step] = new double[] {w[0], w[1], w[2], b[0]};
    }
    return out;
  }

  /** Trains through {@link Optimizer#getUpdates} in a TF graph, one session run per step. */
  static Trajectory train(Optimizer optimizer, int initialIterations) {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      TestVariableFactory vars = new TestVariableFactory(tf);
      KerasVariable w = vars.create("dense/kernel", new long[] {3}, tf.constant(W0), true);
      KerasVariable b = vars.create("dense/bias", new long[0], tf.constant(B0), true);
      KerasVariable iterations =
          vars.create("iterations", new long[0], tf.constant((float) initialIterations), false);
      Operand<TFloat32> prediction = tf.math.add(tf.math.mul(w.value(), tf.constant(X)), b.value());
      Operand<TFloat32> loss =
          tf.reduceSum(tf.math.square(tf.math.sub(prediction, tf.constant(Y))), tf.constant(0));
      Output<?>[] gradients =
          g.addGradients(
              loss.asOutput(), new Output<?>[] {w.value().asOutput(), b.value().asOutput()});
      List<Operand<TFloat32>> grads = new ArrayList<>();
      for (Output<?> o : gradients) grads.add(o.expect(TFloat32.class));
      List<Op> gates = new ArrayList<>(grads);
      gates.add(loss);
      vars.gateOn(gates);
      List<Op> updates = optimizer.getUpdates(vars, List.of(w, b), grads, iterations);
      boolean lrBuilt = optimizer.learningRateVariable() != null;

      ConfigProto config =
          ConfigProto.newBuilder()
              .setIntraOpParallelismThreads(1)
              .setInterOpParallelismThreads(1)
              .build();
      try (Session s = new Session(g, config)) {
        Session.Runner init = s.runner();
        vars.initializers().forEach(init::addTarget);
        try (Result r = init.run()) {
          // initialized
        }
        float[][] weights = new float[STEPS][];
        for (int step = 0; step < STEPS; step++) {
          Session.Runner run = s.runner();
          updates.forEach(run::addTarget);
          try (Result r = run.run()) {
            // one training step
          }
          try (Result r = s.runner().fetch(w.value()).fetch(b.value()).run()) {
            TFloat32 wt = (TFloat32) r.get(0);
            TFloat32 bt = (TFloat32) r.get(1);
            weights[step] =
                new float[] {wt.getFloat(0), wt.getFloat(1), wt.getFloat(2), bt.getFloat()};
          }
        }
        float it;
        try (Result r = s.runner().fetch(iterations.value()).run()) {
          it = ((TFloat32) r.get(0)).getFloat();
        }
        return new Trajectory(weights, it, lrBuilt);
      }
    }
  }
}
