package jkeras.layers;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import jkeras.data.ArrayData;
import jkeras.data.NDArray;
import jkeras.models.Sequential;

/**
 * Not a test: the train_on_batch step time of a small CNN (28x28x1, Conv2D 32 3x3 relu,
 * MaxPooling2D 2, Flatten, Dense 10 softmax; batch 64, Adam, sparse_categorical_crossentropy and
 * accuracy), for comparison with tf-keras' {@code train_on_batch} on the same machine. Run from
 * java/core after {@code mvn test-compile}: {@code java -cp
 * target/classes:target/test-classes:$(cat cp.txt) jkeras.layers.CnnStepTime [steps]} (cp.txt from
 * {@code mvn dependency:build-classpath}).
 */
public final class CnnStepTime {
  private CnnStepTime() {}

  public static void main(String[] args) {
    int steps = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    Random r = new Random(0);
    float[] xs = new float[64 * 28 * 28];
    for (int i = 0; i < xs.length; i++) xs[i] = (float) r.nextGaussian();
    int[] ys = new int[64];
    for (int i = 0; i < ys.length; i++) ys[i] = r.nextInt(10);
    ArrayData x = ArrayData.of(NDArray.of(xs, 64, 28, 28, 1));
    ArrayData y = ArrayData.of(NDArray.ofInts(ys, 64));
    try (Sequential m =
        new Sequential(
            List.of(
                Conv2D.builder(32, 3).activation("relu").inputShape(28, 28, 1).build(),
                new MaxPooling2D(2),
                new Flatten(),
                Dense.builder(10).activation("softmax").build()))) {
      m.compile("adam", "sparse_categorical_crossentropy", List.of("accuracy"));
      for (int i = 0; i < 30; i++) m.trainOnBatch(x, y);
      double[] reps = new double[5];
      for (int k = 0; k < reps.length; k++) {
        long t = System.nanoTime();
        for (int i = 0; i < steps; i++) m.trainOnBatch(x, y);
        reps[k] = (System.nanoTime() - t) / 1e6 / steps;
      }
      double[] sorted = reps.clone();
      Arrays.sort(sorted);
      StringBuilder b = new StringBuilder("jkeras ms/step per repetition:");
      for (double v : reps) b.append(String.format(" %.2f", v));
      System.out.println(b.append(String.format(" median %.2f", sorted[2])));
    }
  }
}
