package jkeras.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import jkeras.backend.CallContext;
import jkeras.backend.Weight;
import jkeras.data.ArrayData;
import jkeras.data.NDArray;
import jkeras.initializers.Zeros;
import jkeras.models.Model;
import jkeras.optimizers.SGD;
import jkeras.trainers.FitOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/**
 * What the engine offers layers beyond one output of one input: several outputs per call, masks
 * (Keras' {@code compute_mask}), training-only updates ({@code add_update}) and added losses
 * ({@code add_loss}), exercised with small custom layers through the public API.
 */
@Tag("native")
class LayerProtocolTest {
  static final class B extends Layer.Builder<B> {}

  /** Splits (n, 4) into its first and last two columns: two outputs of one call. */
  static final class Halves extends Layer {
    Halves() {
      super(new B().name("halves"));
    }

    @Override
    public long[] computeOutputShape(List<long[]> s) {
      return computeOutputShapes(s).get(0);
    }

    @Override
    public List<long[]> computeOutputShapes(List<long[]> s) {
      return List.of(new long[] {-1, 2}, new long[] {-1, 2});
    }

    @Override
    public Operand<TFloat32> call(CallContext ctx, List<Operand<TFloat32>> in) {
      return callOutputs(ctx, in).get(0);
    }

    @Override
    public List<Operand<TFloat32>> callOutputs(CallContext ctx, List<Operand<TFloat32>> in) {
      Ops tf = ctx.tf();
      var x = in.get(0);
      return List.of(
          tf.slice(x, tf.constant(new int[] {0, 0}), tf.constant(new int[] {-1, 2})),
          tf.slice(x, tf.constant(new int[] {0, 2}), tf.constant(new int[] {-1, 2})));
    }
  }

  /** Keras' Masking(0): a step is masked where all its features are 0. */
  static final class ZeroMask extends Layer {
    ZeroMask() {
      super(new B());
    }

    @Override
    public long[] computeOutputShape(List<long[]> s) {
      return s.get(0);
    }

    @Override
    public Operand<TFloat32> call(CallContext ctx, List<Operand<TFloat32>> in) {
      return in.get(0);
    }

    @Override
    public List<Operand<TBool>> computeMasks(
        CallContext ctx, List<Operand<TFloat32>> in, int outputs) {
      Ops tf = ctx.tf();
      return List.of(tf.reduceAny(tf.math.notEqual(in.get(0), tf.constant(0f)), tf.constant(-1)));
    }
  }

  /** Outputs its input's mask as 0/1 floats. */
  static final class ShowMask extends Layer {
    ShowMask() {
      super(new B());
    }

    @Override
    public long[] computeOutputShape(List<long[]> s) {
      return s.get(0);
    }

    @Override
    public boolean supportsMasking() {
      return true;
    }

    @Override
    public Operand<TFloat32> call(CallContext ctx, List<Operand<TFloat32>> in) {
      return ctx.tf().dtypes.cast(ctx.inputMask(0), TFloat32.class);
    }
  }

  /**
   * Counts training steps in a non-trainable weight (add_update) and adds a constant loss
   * (add_loss).
   */
  static final class StepCounter extends Layer {
    Weight count;

    StepCounter() {
      super(new B().name("counter"));
    }

    @Override
    public void build(List<long[]> s) {
      count = addWeight("count", new long[0], new Zeros(), null, false);
    }

    @Override
    public long[] computeOutputShape(List<long[]> s) {
      return s.get(0);
    }

    @Override
    public Operand<TFloat32> call(CallContext ctx, List<Operand<TFloat32>> in) {
      Ops tf = ctx.tf();
      ctx.addUpdate(
          count.variable().assign(tf, tf.math.add(count.variable().value(), tf.constant(1f))));
      ctx.addLoss(tf.constant(0.5f));
      return in.get(0);
    }
  }

  @Test
  void aCallWithSeveralOutputsFeedsEachOutputToItsOwnConsumerAndTheSummaryListsBothShapes() {
    KerasTensor in = Input.create(new long[] {4}, "x");
    List<KerasTensor> halves = new Halves().applyOutputs(List.of(in));
    assertThat(halves).extracting(KerasTensor::outputIndex).containsExactly(0, 1);
    assertThat(halves.get(0).node()).isSameAs(halves.get(1).node());
    KerasTensor sum = new Add().apply(halves);
    try (Model m = new Model(List.of(in), List.of(sum, halves.get(1)))) {
      List<NDArray> out = m.predictOnBatchOutputs(NDArray.of(new float[][] {{1, 2, 3, 4}}));
      assertThat(out.get(0).toFloatArray()).containsExactly(4f, 6f);
      assertThat(out.get(1).toFloatArray()).containsExactly(3f, 4f);
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      m.summary(new PrintStream(b, true, StandardCharsets.UTF_8));
      assertThat(b.toString(StandardCharsets.UTF_8))
          .contains("halves (Halves)                 [(None, 2), (None, 2 0")
          .contains("halves[0][0]")
          .contains("halves[0][1]");
    }
  }

  @Test
  void masksFlowThroughLayersThatSupportMaskingAndStopAnyOtherWithKerasError() {
    KerasTensor in = Input.create(new long[] {3, 1}, "x");
    KerasTensor masked = new ZeroMask().apply(in);
    KerasTensor shown = new ShowMask().apply(Activation.builder("linear").build().apply(masked));
    try (Model m = new Model(List.of(in), List.of(shown))) {
      NDArray out = m.predictOnBatch(NDArray.of(new float[] {0, 5, 0}).reshape(1, 3, 1));
      assertThat(out.toFloatArray()).containsExactly(0f, 1f, 0f);
    }
    KerasTensor in2 = Input.create(new long[] {3, 1}, "x2");
    KerasTensor reshaped =
        Reshape.builder(new long[] {3}).name("reshape_m").build().apply(new ZeroMask().apply(in2));
    assertThatThrownBy(() -> new Model(List.of(in2), List.of(reshaped)).close())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "Layer reshape_m does not support masking, but was passed an input_mask: ");
  }

  @Test
  void updatesRunInTrainingStepsOnlyAndAddedLossesCountInTrainAndTest() {
    KerasTensor in = Input.create(new long[] {2}, "x");
    StepCounter counter = new StepCounter();
    KerasTensor out = Dense.builder(1).kernelInitializer("zeros").build().apply(counter.apply(in));
    NDArray x = NDArray.of(new float[][] {{1, 2}, {3, 4}});
    NDArray y = NDArray.of(new float[][] {{0}, {0}});
    try (Model m = new Model(List.of(in), List.of(out))) {
      m.compile(new SGD(0.0), "mse");
      assertThat(m.testOnBatch(x, y).scalar()).isCloseTo(0.5, within(1e-6));
      m.fit(x, y, FitOptions.builder().epochs(3).batchSize(2).verbose(0).build());
      m.evaluate(
          ArrayData.of(x),
          ArrayData.of(y),
          jkeras.trainers.EvaluateOptions.builder().verbose(0).build());
      m.predict(x);
      assertThat(counter.getWeights().get(0).toFloatArray()[0]).isEqualTo(3f);
      assertThat(m.trainOnBatch(x, y).scalar()).isCloseTo(0.5, within(1e-6));
      assertThat(counter.getWeights().get(0).toFloatArray()[0]).isEqualTo(4f);
    }
  }

  @Test
  void anOutputMaskWeighsTheLossAsKerasDoes() {
    // Keras 2.3.1 multiplies an output's sample weights by its mask; the mean still divides by
    // every element (SUM_OVER_BATCH_SIZE).
    KerasTensor in = Input.create(new long[] {3, 1}, "x");
    KerasTensor out = new ZeroMask().apply(in);
    try (Model m = new Model(List.of(in), List.of(out))) {
      m.compile(new SGD(0.0), "mae");
      NDArray x = NDArray.of(new float[] {0, 2, 4}).reshape(1, 3, 1);
      NDArray y = NDArray.of(new float[] {9, 0, 0}).reshape(1, 3, 1);
      // Per-step errors 9, 2, 4; the first step is masked; the mean divides by all three steps.
      assertThat(m.testOnBatch(x, y).scalar()).isCloseTo((2 + 4) / 3.0, within(1e-5));
    }
  }

  @Test
  void denseOnASequenceKeepsItsStaticShapeSoAFlattenCanFollow() {
    KerasTensor in = Input.create(new long[] {3, 4}, "seq");
    KerasTensor d = Dense.builder(2).build().apply(in);
    assertThat(d.shape()).containsExactly(-1, 3, 2);
    KerasTensor flat = new Flatten().apply(d);
    try (Model m = new Model(List.of(in), List.of(flat))) {
      NDArray out = m.predictOnBatch(NDArray.zeros(5, 3, 4));
      assertThat(out.shape()).containsExactly(5, 6);
    }
  }
}
