package jkeras.bench;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.IntFunction;
import jkeras.data.Batch;
import jkeras.data.NDArray;
import jkeras.layers.Activation;
import jkeras.layers.BatchNormalization;
import jkeras.layers.Conv2D;
import jkeras.layers.Dense;
import jkeras.layers.Embedding;
import jkeras.layers.Flatten;
import jkeras.layers.LSTM;
import jkeras.layers.MaxPooling2D;
import jkeras.models.Sequential;
import jkeras.trainers.CompileOptions;

/**
 * The data and initial weights of {@code bench all}, bit for bit those of {@code
 * compat-tests/bench/bench_sources.py} (which the tf-keras side uses): a 32-bit integer hash of
 * each element's index whose top 24 bits, divided by 2^24, are an exact float32 in [0, 1).
 */
final class BenchData {
  private BenchData() {}

  private static final long M32 = 0xFFFFFFFFL;

  /** bench_sources.det_bits for one index. */
  static long bits(long index, long seed) {
    long v = (index * 0x9E3779B1L + (((seed + 1) * 0x85EBCA77L) & M32)) & M32;
    v ^= v >>> 15;
    v = (v * 0x2C1B3C6DL) & M32;
    v ^= v >>> 12;
    v = (v * 0x297A2D39L) & M32;
    v ^= v >>> 15;
    return v >>> 8;
  }

  /** bench_sources.det_uniform: n floats in [0, 1) from index {@code offset} on. */
  static float[] uniform(int n, long seed, long offset) {
    float[] out = new float[n];
    for (int i = 0; i < n; i++) out[i] = (float) (bits(offset + i, seed) / 16777216.0);
    return out;
  }

  /** bench_sources.det_labels. */
  static int[] labels(int n, int classes, long seed, long offset) {
    int[] out = new int[n];
    for (int i = 0; i < n; i++) out[i] = (int) (bits(offset + i, seed) % classes);
    return out;
  }

  /**
   * bench_sources.mlp_data: {x (samples x features), y (samples)} from sample {@code offset} on.
   */
  static NDArray[] mlpData(int samples, int features, int classes, long seed, long offset) {
    float[] x = uniform(samples * features, 2 * seed, offset * features);
    int[] y = labels(samples, classes, 2 * seed + 1, offset);
    return new NDArray[] {NDArray.of(x, samples, features), NDArray.of(y)};
  }

  /** bench_sources.mlp_weights: [W1, b1, W2, b2], Glorot's uniform limit, zero biases. */
  static List<NDArray> mlpWeights(int features, int hidden, int classes, long seed) {
    List<NDArray> out = new ArrayList<>();
    int[][] fans = {{features, hidden}, {hidden, classes}};
    for (int i = 0; i < fans.length; i++) {
      int in = fans[i][0];
      int outs = fans[i][1];
      double limit = Math.sqrt(6.0 / (in + outs));
      float[] w = new float[in * outs];
      for (int k = 0; k < w.length; k++) {
        double u = (float) (bits(k, 1000 + 10 * seed + i) / 16777216.0);
        w[k] = (float) ((2.0 * u - 1.0) * limit);
      }
      out.add(NDArray.of(w, in, outs));
      out.add(NDArray.of(new float[outs], outs));
    }
    return out;
  }

  /**
   * The benchmark MLP: Dense(hidden, relu) then Dense(classes, softmax), adam,
   * sparse_categorical_crossentropy, accuracy, starting from {@link #mlpWeights}.
   */
  static Sequential mlp(int features, int hidden, int classes, long seed) {
    return mlp(features, hidden, classes, seed, 1);
  }

  /** {@link #mlp} compiled with {@code steps_per_execution}. */
  static Sequential mlp(int features, int hidden, int classes, long seed, int stepsPerExecution) {
    Sequential model = new Sequential();
    try {
      addMlp(model, features, hidden, classes, stepsPerExecution);
      model.setWeights(mlpWeights(features, hidden, classes, seed));
      return model;
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  /** Adds the benchmark MLP's layers to {@code model} and compiles it, as {@link #mlp} does. */
  static void addMlp(Sequential model, int features, int hidden, int classes) {
    addMlp(model, features, hidden, classes, 1);
  }

  /** {@link #addMlp} compiled with {@code steps_per_execution}. */
  static void addMlp(
      Sequential model, int features, int hidden, int classes, int stepsPerExecution) {
    model.add(Dense.builder(hidden).activation("relu").inputShape(features).build());
    model.add(Dense.builder(classes).activation("softmax").build());
    model.compile(
        CompileOptions.builder()
            .optimizer("adam")
            .loss("sparse_categorical_crossentropy")
            .metrics(List.of("accuracy"))
            .stepsPerExecution(stepsPerExecution)
            .build());
  }

  // ---------------------------------------------------------------------------------------------
  // The model rows (bench_sources.MODEL_ROWS): small CNN, CNN with BatchNormalization, LSTM text
  // classifier. Both sides build the model with their own API; every weight of rank >= 2 is then
  // bench_sources.det_kernel, the others keep their deterministic initializers (zeros, ones, the
  // LSTM's unit forget bias), so both start from the same weights.

  /** Vocabulary of the LSTM row's word ids. */
  static final int VOCABULARY = 10_000;

  /** A model row's batch size. */
  static int rowBatch(String kind) {
    return kind.equals("lstm") ? 32 : 64;
  }

  /** The model of a row, compiled (adam; the loss and accuracy), from the det kernels. */
  static Sequential rowModel(String kind, long seed) {
    return rowModel(kind, seed, 1);
  }

  /** {@link #rowModel} compiled with {@code steps_per_execution}. */
  static Sequential rowModel(String kind, long seed, int stepsPerExecution) {
    Sequential model;
    String loss = "sparse_categorical_crossentropy";
    switch (kind) {
      case "cnn" ->
          model =
              new Sequential(
                  List.of(
                      Conv2D.builder(32, 3).activation("relu").inputShape(28, 28, 1).build(),
                      new MaxPooling2D(2),
                      new Flatten(),
                      Dense.builder(10).activation("softmax").build()));
      case "bn_cnn" ->
          model =
              new Sequential(
                  List.of(
                      Conv2D.builder(32, 3).inputShape(28, 28, 1).build(),
                      new BatchNormalization(),
                      new Activation("relu"),
                      new MaxPooling2D(2),
                      new Flatten(),
                      Dense.builder(10).activation("softmax").build()));
      case "lstm" -> {
        model =
            new Sequential(
                List.of(
                    Embedding.builder(VOCABULARY, 128).inputLength(80).build(),
                    new LSTM(64),
                    Dense.builder(1).activation("sigmoid").build()));
        loss = "binary_crossentropy";
      }
      default -> throw new IllegalArgumentException("unknown model row " + kind);
    }
    try {
      model.compile(
          CompileOptions.builder()
              .optimizer("adam")
              .loss(loss)
              .metrics(List.of("accuracy"))
              .stepsPerExecution(stepsPerExecution)
              .build());
      model.setWeights(detKernels(model.getWeights(), seed));
      return model;
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  /** bench_sources.det_kernels: every weight of rank >= 2 replaced by det_kernel. */
  static List<NDArray> detKernels(List<NDArray> weights, long seed) {
    List<NDArray> out = new ArrayList<>();
    for (int i = 0; i < weights.size(); i++) {
      NDArray w = weights.get(i);
      out.add(w.shape().length >= 2 ? detKernel(w.shape(), 2000 + 10 * seed + i) : w);
    }
    return out;
  }

  /** bench_sources.det_kernel: uniform in +-sqrt(6 / (fan_in + fan_out)), Keras' fans. */
  static NDArray detKernel(long[] shape, long seed) {
    long receptive = 1;
    for (int i = 0; i < shape.length - 2; i++) receptive *= shape[i];
    long fanIn = shape[shape.length - 2] * receptive;
    long fanOut = shape[shape.length - 1] * receptive;
    double limit = Math.sqrt(6.0 / (fanIn + fanOut));
    long n = 1;
    for (long d : shape) n *= d;
    float[] w = new float[(int) n];
    for (int k = 0; k < w.length; k++) {
      double u = (float) (bits(k, seed) / 16777216.0);
      w[k] = (float) ((2.0 * u - 1.0) * limit);
    }
    return NDArray.of(w, shape);
  }

  /** bench_sources.model_data: {x, y} of {@code batches} batches of a row. */
  static NDArray[] rowData(String kind, int batches, long seed) {
    int n = batches * rowBatch(kind);
    if (kind.equals("lstm")) {
      int[] ids = labels(n * 80, VOCABULARY, 2 * seed, 0);
      int[] y = labels(n, 2, 2 * seed + 1, 0);
      float[] yf = new float[n];
      for (int i = 0; i < n; i++) yf[i] = y[i];
      return new NDArray[] {NDArray.ofInts(ids, n, 80), NDArray.of(yf, n, 1)};
    }
    float[] x = uniform(n * 28 * 28, 2 * seed, 0);
    return new NDArray[] {NDArray.of(x, n, 28, 28, 1), NDArray.of(labels(n, 10, 2 * seed + 1, 0))};
  }

  /** An endless generator: the {@code i}-th {@code next()} returns {@code batch(i)}. */
  static Iterator<Batch> endless(IntFunction<Batch> batch) {
    return new Iterator<>() {
      private int i;

      @Override
      public boolean hasNext() {
        return true;
      }

      @Override
      public Batch next() {
        return batch.apply(i++);
      }
    };
  }
}
