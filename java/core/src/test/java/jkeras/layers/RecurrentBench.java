package jkeras.layers;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Random;
import jkeras.data.NDArray;
import jkeras.internal.graph.ModelGraph;
import jkeras.models.Model;
import jkeras.optimizers.Adam;
import org.tensorflow.GraphOperation;

/**
 * A throwaway measurement, not a test: graph size, build time, train-step time and memory of an
 * LSTM(64) over float sequences of 128 features, batch 32, for sequence lengths 10, 80 and 200, on
 * the fused path and the unrolled path. Each configuration runs in a fresh JVM so the RSS figures
 * are its own:
 *
 * <pre>
 * mvn -o -q -pl java/core test-compile
 * mvn -o -q -pl java/core dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * for t in 10 80 200; do for p in true false; do
 *   java -cp java/core/target/classes:java/core/target/test-classes:$(cat /tmp/cp.txt) \
 *     -Djkeras.rnn.fused=$p jkeras.layers.RecurrentBench $t; done; done
 * # a second argument: the number of timed steps (default 30); a third, "text": the input is
 * # int ids through Embedding(10000, 128), the benchmark's text classifier
 * </pre>
 */
public final class RecurrentBench {
  private RecurrentBench() {}

  public static void main(String[] args) throws Exception {
    int steps = Integer.parseInt(args[0]);
    int batch = 32;
    int features = 128;
    int units = 64;
    int warmup = 5;
    int timed = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    // "text": the benchmark's text classifier, Embedding(10000, 128) over int ids, then LSTM(64).
    boolean text = args.length > 2 && args[2].equals("text");
    Random r = new Random(1);
    float[] xs = new float[batch * steps * features];
    for (int i = 0; i < xs.length; i++) xs[i] = (float) r.nextGaussian();
    float[] ys = new float[batch];
    for (int i = 0; i < ys.length; i++) ys[i] = r.nextInt(2);
    int[] ids = new int[batch * steps];
    for (int i = 0; i < ids.length; i++) ids[i] = 1 + r.nextInt(9999);
    NDArray x = text ? NDArray.ofInts(ids, batch, steps) : NDArray.of(xs, batch, steps, features);
    NDArray y = NDArray.of(ys, batch, 1);

    // TensorFlow's native start-up (a few seconds, once per JVM) is not the graph's build time.
    KerasTensor tin = Input.create(new long[] {2, 2}, "warm");
    try (Model warm = new Model(tin, new Dense(1).apply(new Flatten().apply(tin)))) {
      warm.compile(new Adam(), "mse");
      warm.trainOnBatch(NDArray.zeros(1, 2, 2), NDArray.zeros(1, 1));
    }
    long rss0 = rssMb();
    int kernels = FusedRnn.BUILT.get();
    long t0 = System.nanoTime();
    KerasTensor in =
        text
            ? Input.builder().shape(steps).name("ids").dtype("int32").build()
            : Input.create(new long[] {steps, features}, "x");
    KerasTensor seq = text ? new Embedding(10000, features).apply(in) : in;
    KerasTensor h = new LSTM(units).apply(seq);
    KerasTensor out = Dense.builder(1).activation("sigmoid").build().apply(h);
    try (Model m = new Model(in, out)) {
      m.compile(new Adam(), "binary_crossentropy");
      m.trainOnBatch(x, y); // builds the model and training graphs, then one step
      long firstStep = System.nanoTime() - t0;
      int ops = countOps(m);
      for (int i = 0; i < warmup; i++) m.trainOnBatch(x, y);
      long[] times = new long[timed];
      for (int i = 0; i < timed; i++) {
        long s = System.nanoTime();
        m.trainOnBatch(x, y);
        times[i] = System.nanoTime() - s;
      }
      java.util.Arrays.sort(times);
      double median = times[timed / 2] / 1e6;
      long rss = rssMb();
      System.out.printf(
          "%sLSTM(%d) T=%d batch=%d features=%d path=%s: graph ops=%d, build+first step=%.0f ms"
              + " (build ~%.0f ms), train step median=%.2f ms (min %.2f), RSS +%d MB (%d MB)%n",
          text ? "Embedding(10000, 128) -> " : "",
          units,
          steps,
          batch,
          features,
          FusedRnn.BUILT.get() > kernels ? "fused" : "unrolled",
          ops,
          firstStep / 1e6,
          firstStep / 1e6 - median,
          median,
          times[0] / 1e6,
          rss - rss0,
          rss);
    }
  }

  private static int countOps(Model m) throws ReflectiveOperationException {
    Field f = Model.class.getDeclaredField("graph");
    f.setAccessible(true);
    ModelGraph g = (ModelGraph) f.get(m);
    int n = 0;
    for (Iterator<GraphOperation> it = g.graph().operations(); it.hasNext(); it.next()) n++;
    return n;
  }

  private static long rssMb() throws java.io.IOException {
    for (String l : Files.readAllLines(Path.of("/proc/self/status")))
      if (l.startsWith("VmRSS")) return Long.parseLong(l.replaceAll("\\D", "")) / 1024;
    return -1;
  }
}
