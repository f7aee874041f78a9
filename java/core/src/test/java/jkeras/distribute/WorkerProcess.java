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
 * killAfterStep} the process dies after that many train steps. Mode {@code bn} trains a model with
 * BatchNormalization: with {@code TF_CONFIG} by {@code fit}, without it as the reference that
 * applies the mean of {@link #BN_REPLICAS} replicas' updates (see {@link #bnReference}).
 */
public final class WorkerProcess {
  static final int SAMPLES = 64;
  static final int GLOBAL_BATCH = 16;
  static final int EPOCHS = 3;
  static final int BN_REPLICAS = 2;
  static final int BN_EPOCHS = 2;

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

  /**
   * Dense, BatchNormalization (momentum 0.9, so the moving statistics move visibly), ReLU, Dense;
   * SGD without momentum: the optimizer keeps no state, so a step applied with the mean gradient
   * equals the mean of the replicas' steps (the reference can average weights). The workers chain 2
   * steps per execution, so both the train step and a chained step average their updates.
   */
  static Sequential bnModel(long seed, int stepsPerExecution) {
    RngUtils.setRandomSeed(seed);
    Sequential m = new Sequential();
    m.add(Dense.builder(8).inputShape(5).build());
    m.add(jkeras.layers.BatchNormalization.builder().momentum(0.9).build());
    m.add(new jkeras.layers.Activation("relu"));
    m.add(Dense.builder(3).activation("softmax").build());
    m.compile(
        CompileOptions.builder()
            .optimizer(SGD.builder().learningRate(0.1).build())
            .loss("sparse_categorical_crossentropy")
            .stepsPerExecution(stepsPerExecution)
            .build());
    return m;
  }

  /**
   * The reference for BatchNormalization under the strategy, in one process: at each step every
   * replica's {@code trainOnBatch} on its part of the global batch (its own batch statistics), each
   * from the same weights, then every weight set to the replicas' mean. That is tf.keras' semantics
   * (gradients and the moving statistics' updates aggregated with MEAN; the parts are equal, so the
   * sample-weighted gradient is the mean); one process on the whole global batch would normalize
   * with the union's statistics instead, a different computation.
   */
  static void bnReference(Sequential model, NDArray[] d) {
    for (int epoch = 0; epoch < BN_EPOCHS; epoch++) {
      for (int b = 0; b < SAMPLES / GLOBAL_BATCH; b++) {
        List<NDArray> start = model.getWeights();
        double[][] sum = new double[start.size()][];
        for (int r = 0; r < BN_REPLICAS; r++) {
          long from = (long) b * GLOBAL_BATCH + (long) GLOBAL_BATCH * r / BN_REPLICAS;
          long to = (long) b * GLOBAL_BATCH + (long) GLOBAL_BATCH * (r + 1) / BN_REPLICAS;
          model.setWeights(start);
          model.trainOnBatch(d[0].slice(from, to), d[1].slice(from, to));
          List<NDArray> after = model.getWeights();
          for (int i = 0; i < sum.length; i++) {
            float[] v = after.get(i).toFloatArray();
            if (sum[i] == null) sum[i] = new double[v.length];
            for (int j = 0; j < v.length; j++) sum[i][j] += v[j];
          }
        }
        List<NDArray> mean = new ArrayList<>();
        for (int i = 0; i < sum.length; i++) {
          float[] v = new float[sum[i].length];
          for (int j = 0; j < v.length; j++) v[j] = (float) (sum[i][j] / BN_REPLICAS);
          mean.add(NDArray.of(v, start.get(i).shape()));
        }
        model.setWeights(mean);
      }
    }
  }

  /** Validation samples: uneven shards of every global batch size the mode uses. */
  static final int VALIDATION_SAMPLES = 37;

  /** {@code n} samples of the task's shapes from {@code seed}. */
  static NDArray[] data(int n, long seed) {
    Random r = new Random(seed);
    float[] x = new float[n * 5];
    int[] y = new int[n];
    for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
    for (int i = 0; i < y.length; i++) y[i] = r.nextInt(3);
    return new NDArray[] {NDArray.of(x, n, 5), NDArray.ofInts(y, n)};
  }

  /** A Sequence of {@code v}'s samples in batches of {@code size} (the last one shorter). */
  static jkeras.utils.Sequence batches(NDArray[] v, int size) {
    return batches(v, size, new ArrayList<>());
  }

  /** The same, recording each index it is asked for in {@code fetched}. */
  static jkeras.utils.Sequence batches(NDArray[] v, int size, List<Integer> fetched) {
    long n = v[0].length();
    return new jkeras.utils.Sequence() {
      @Override
      public int size() {
        return (int) ((n + size - 1) / size);
      }

      @Override
      public jkeras.data.Batch get(int index) {
        synchronized (fetched) {
          fetched.add(index);
        }
        long to = Math.min(n, (long) (index + 1) * size);
        return jkeras.data.Batch.of(
            v[0].slice((long) index * size, to), v[1].slice((long) index * size, to));
      }
    };
  }

  /**
   * Sharded evaluation: {@code fit} with validation arrays (37 samples in global batches of 16:
   * parts of 8, 8 and 2/3 samples), {@code evaluate} on arrays (batches of 10: the last split 3/4),
   * {@code evaluate} on a Sequence of 5 batches (one worker's last step empty), a validation
   * Sequence in {@code fit_generator}. In one process (no {@code TF_CONFIG}) the same calls give
   * the reference; the Sequence's batches are then the union of each step's shards.
   */
  static void evaluateMode(Sequential model, NDArray[] d, List<String> lines) {
    boolean distributed = System.getenv(ClusterSpec.TF_CONFIG) != null;
    NDArray[] v = data(VALIDATION_SAMPLES, 9);
    History h =
        model.fit(
            d[0],
            d[1],
            FitOptions.builder()
                .batchSize(GLOBAL_BATCH)
                .epochs(2)
                .shuffle(false)
                .verbose(0)
                .validationData(v[0], v[1])
                .build());
    for (Map.Entry<String, List<Double>> e : h.history().entrySet())
      lines.add("history " + e.getKey() + " " + e.getValue());
    lines.add(
        "evaluate "
            + model.evaluate(
                v[0],
                v[1],
                jkeras.trainers.EvaluateOptions.builder().batchSize(10).verbose(0).build()));
    // 37 samples in 5 batches of 8 (the last 5) for 2 workers; one process: batches of 16.
    int size = distributed ? 8 : 16;
    List<Integer> fetched = new ArrayList<>();
    lines.add(
        "evaluate-sequence "
            + model.evaluate(
                batches(v, size, fetched),
                jkeras.trainers.EvaluateOptions.builder().verbose(0).build()));
    // Which of the Sequence's batches this worker evaluated.
    lines.add("fetched " + fetched);
    History g =
        model.fitGenerator(
            batches(d, distributed ? 13 : 26),
            FitOptions.builder()
                .epochs(1)
                .shuffle(false)
                .verbose(0)
                .validationData(batches(v, size))
                .build());
    lines.add("generator val_loss " + g.history().get("val_loss"));
    lines.add("generator val_accuracy " + g.history().get("val_accuracy"));
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
    boolean bn = mode.equals("bn");
    Sequential model;
    MultiWorkerMirroredStrategy strategy = null;
    if (distributed) {
      strategy = new MultiWorkerMirroredStrategy(ClusterSpec.fromEnvironment(), timeout);
      try (var scope = strategy.scope()) {
        model = bn ? bnModel(seed, 2) : model(seed, spe);
      }
    } else {
      model = bn ? bnModel(seed, 1) : model(seed, spe);
    }
    NDArray[] d = data();
    List<String> lines = new ArrayList<>();
    if (bn && distributed) {
      History h =
          model.fit(
              d[0],
              d[1],
              FitOptions.builder()
                  .batchSize(GLOBAL_BATCH)
                  .epochs(BN_EPOCHS)
                  .shuffle(false)
                  .verbose(0)
                  .build());
      lines.add("history loss " + h.history().get("loss"));
    } else if (bn) {
      bnReference(model, d);
    } else if (mode.equals("fit")) {
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
    } else if (mode.equals("evaluate")) {
      evaluateMode(model, d, lines);
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
