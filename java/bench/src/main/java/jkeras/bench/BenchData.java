package jkeras.bench;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.IntFunction;
import jkeras.data.Batch;
import jkeras.data.NDArray;
import jkeras.layers.Dense;
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
    Sequential model = new Sequential();
    try {
      addMlp(model, features, hidden, classes);
      model.setWeights(mlpWeights(features, hidden, classes, seed));
      return model;
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  /** Adds the benchmark MLP's layers to {@code model} and compiles it, as {@link #mlp} does. */
  static void addMlp(Sequential model, int features, int hidden, int classes) {
    model.add(Dense.builder(hidden).activation("relu").inputShape(features).build());
    model.add(Dense.builder(classes).activation("softmax").build());
    model.compile(
        CompileOptions.builder()
            .optimizer("adam")
            .loss("sparse_categorical_crossentropy")
            .metrics(List.of("accuracy"))
            .build());
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
