package jkeras.layers;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import jkeras.data.ArrayData;
import jkeras.data.NDArray;
import jkeras.models.Model;
import jkeras.optimizers.SGD;

/**
 * Runs layers in small models for the layer tests: the output of a predict step (inference) and the
 * loss of train steps (training), from arrays.
 */
final class Run {
  private Run() {}

  /** The inference output of {@code layer} on {@code x} (shape without batch {@code in}). */
  static NDArray predict(Layer layer, NDArray x) {
    KerasTensor in = Input.create(withoutBatch(x.shape()));
    try (Model m = new Model(in, layer.apply(in))) {
      return m.predictOnBatch(x);
    }
  }

  /** The inference output of a layer called on several inputs. */
  static NDArray predict(Layer layer, List<NDArray> xs) {
    return predict(ins -> layer.apply(ins), xs);
  }

  /** The inference output of the graph {@code build} makes from inputs shaped as {@code xs}. */
  static NDArray predict(Function<List<KerasTensor>, KerasTensor> build, List<NDArray> xs) {
    List<KerasTensor> ins = new ArrayList<>();
    for (int i = 0; i < xs.size(); i++) {
      ins.add(
          Input.create(withoutBatch(xs.get(i).shape()), "in_" + i + "_" + Layer.uniqueName("x")));
    }
    try (Model m = new Model(ins, List.of(build.apply(ins)))) {
      return m.predictOnBatch(ArrayData.of(xs));
    }
  }

  /**
   * The mean of the squared training-mode output of {@code layer} on {@code x}, over {@code steps}
   * train steps (mse against zeros with a learning rate of 0: the weights never move).
   */
  static double[] trainingMeanSquares(Layer layer, NDArray x, int steps) {
    KerasTensor in = Input.create(withoutBatch(x.shape()));
    try (Model m = new Model(in, layer.apply(in))) {
      m.compile(new SGD(0.0), "mse");
      NDArray zeros = NDArray.zeros(x.shape());
      double[] out = new double[steps];
      for (int i = 0; i < steps; i++) out[i] = m.trainOnBatch(x, zeros).scalar();
      return out;
    }
  }

  static long[] withoutBatch(long[] shape) {
    return java.util.Arrays.copyOfRange(shape, 1, shape.length);
  }

  /** {@code n} floats {@code start, start + step, ...}. */
  static float[] range(int n, float start, float step) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) v[i] = start + i * step;
    return v;
  }
}
