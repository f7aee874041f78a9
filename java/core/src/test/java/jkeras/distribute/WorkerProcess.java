package jkeras.distribute;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import jkeras.callbacks.Callback;
import jkeras.callbacks.History;
import jkeras.callbacks.Logs;
import jkeras.data.NDArray;
import jkeras.layers.Dense;
import jkeras.models.Sequential;
import jkeras.optimizers.SGD;
import jkeras.trainers.CompileOptions;
import jkeras.trainers.FitOptions;
import jkeras.utils.RngUtils;

/**
 * One worker of the multi-worker tests, run in a JVM of its own with {@code TF_CONFIG} set (or,
 * with no {@code TF_CONFIG}, the single-process reference): builds a small model from a seed,
 * trains it and writes its final weights (as float bits) and History to a file.
 *
 * <p>Arguments: {@code mode out seed [backupDir|-] [killAfterStep|-1] [hangAfterStep|-1]
 * [timeoutSeconds]}; modes: {@code fit}, {@code trainOnBatch}, {@code sequence}. With {@code
 * killAfterStep} the process dies after that many train steps.
 */
public final class WorkerProcess {
  static final int SAMPLES = 64;
  static final int GLOBAL_BATCH = 16;
  static final int EPOCHS = 3;

  public static void main(String[] args) throws Exception {
    int code = 0;
    try {
      run(args);
    } catch (Throwable t) {
      t.printStackTrace();
      code = 3;
    }
    // TensorFlow's server cannot be stopped: end the process here.
    System.out.flush();
    System.err.flush();
    Runtime.getRuntime().halt(code);
  }

  static NDArray[] data() {
    Random r = new Random(5);
    float[] x = new float[SAMPLES * 5];
    int[] y = new int[SAMPLES];
    for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
    for (int i = 0; i < y.length; i++) y[i] = r.nextInt(3);
    return new NDArray[] {NDArray.of(x, SAMPLES, 5), NDArray.ofInts(y, SAMPLES)};
  }

  static Sequential model(long seed) {
    return model(seed, 1);
  }

  static Sequential model(long seed, int stepsPerExecution) {
    RngUtils.setRandomSeed(seed);
    Sequential m = new Sequential();
    m.add(Dense.builder(16).activation("relu").inputShape(5).build());
    m.add(Dense.builder(3).activation("softmax").build());
    m.compile(
        CompileOptions.builder()
            .optimizer(SGD.builder().learningRate(0.1).momentum(0.9).build())
            .loss("sparse_categorical_crossentropy")
            .metrics(List.of("accuracy"))
            .stepsPerExecution(stepsPerExecution)
            .build());
    return m;
  }

  static void run(String[] args) throws IOException {
    String mode = args[0];
    Path out = Path.of(args[1]);
    long seed = Long.parseLong(args[2]);
    String backupDir = args.length > 3 && !args[3].equals("-") ? args[3] : null;
    int killAfter = args.length > 4 ? Integer.parseInt(args[4]) : -1;
    int hangAfter = args.length > 5 ? Integer.parseInt(args[5]) : -1;
    int timeout = args.length > 6 ? Integer.parseInt(args[6]) : 20;
    boolean distributed = System.getenv(ClusterSpec.TF_CONFIG) != null;
    // fit-spe2: fit with steps_per_execution=2 (two chained steps, each with its all-reduce).
    int spe = mode.equals("fit-spe2") ? 2 : 1;
    if (spe > 1) mode = "fit";
    Sequential model;
    MultiWorkerMirroredStrategy strategy = null;
    if (distributed) {
      strategy = new MultiWorkerMirroredStrategy(ClusterSpec.fromEnvironment(), timeout);
      try (var scope = strategy.scope()) {
        model = model(seed, spe);
      }
    } else {
      model = model(seed, spe);
    }
    NDArray[] d = data();
    List<String> lines = new ArrayList<>();
    if (mode.equals("fit")) {
      List<Callback> callbacks = new ArrayList<>();
      if (backupDir != null) callbacks.add(new jkeras.callbacks.BackupAndRestore(backupDir));
      // Chief-only duties: each worker points its checkpoint and TensorBoard at a directory of
      // its own; only the chief's gets files.
      Path files = Path.of(out + ".files");
      callbacks.add(
          jkeras.callbacks.ModelCheckpoint.builder(files.resolve("ckpt.h5").toString())
              .saveWeightsOnly(true)
              .build());
      callbacks.add(jkeras.callbacks.TensorBoard.builder(files.resolve("tb")).build());
      if (killAfter >= 0 || hangAfter >= 0) {
        callbacks.add(
            new Callback() {
              int steps;

              @Override
              public void onTrainBatchEnd(int batch, Logs logs) {
                // A crash mid-epoch: the process dies at once, as with SIGKILL.
                if (++steps == killAfter) Runtime.getRuntime().halt(137);
                // A hung peer: alive, its server answering, but never joining the next step.
                if (steps == hangAfter) {
                  try {
                    Thread.sleep(Long.MAX_VALUE);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                }
              }
            });
      }
      History h =
          model.fit(
              d[0],
              d[1],
              FitOptions.builder()
                  .batchSize(GLOBAL_BATCH)
                  .epochs(EPOCHS)
                  .shuffle(false)
                  .verbose(distributed ? 2 : 0) // the chief prints, the others stay quiet
                  .callbacks(callbacks)
                  .build());
      for (Map.Entry<String, List<Double>> e : h.history().entrySet())
        lines.add("history " + e.getKey() + " " + e.getValue());
    } else if (mode.equals("sequence")) {
      // 5 batches of 13 (the last 12) for the workers; one process trains on the union of each
      // step's shards: batches of 26.
      int size = distributed ? 13 : 13 * 2;
      jkeras.utils.Sequence seq =
          new jkeras.utils.Sequence() {
            @Override
            public int size() {
              return (SAMPLES + size - 1) / size;
            }

            @Override
            public jkeras.data.Batch get(int index) {
              long to = Math.min(SAMPLES, (long) (index + 1) * size);
              return jkeras.data.Batch.of(
                  d[0].slice((long) index * size, to), d[1].slice((long) index * size, to));
            }
          };
      History h =
          model.fitGenerator(
              seq, FitOptions.builder().epochs(EPOCHS).shuffle(false).verbose(0).build());
      for (Map.Entry<String, List<Double>> e : h.history().entrySet())
        lines.add("history " + e.getKey() + " " + e.getValue());
    } else {
      // Each worker's own half of every global batch, as fit shards arrays.
      int k = strategy == null ? 1 : strategy.numReplicasInSync();
      int id = strategy == null ? 0 : strategy.replicaId();
      for (int epoch = 0; epoch < EPOCHS; epoch++) {
        for (int b = 0; b < SAMPLES / GLOBAL_BATCH; b++) {
          long from = (long) b * GLOBAL_BATCH + (long) GLOBAL_BATCH * id / k;
          long to = (long) b * GLOBAL_BATCH + (long) GLOBAL_BATCH * (id + 1) / k;
          var s = model.trainOnBatch(d[0].slice(from, to), d[1].slice(from, to));
          lines.add("scores " + s);
        }
      }
    }
    for (NDArray w : model.getWeights()) {
      StringBuilder sb = new StringBuilder("weight");
      for (float f : w.toFloatArray())
        sb.append(' ').append(Integer.toHexString(Float.floatToRawIntBits(f)));
      lines.add(sb.toString());
    }
    Files.write(out, lines);
  }
}
