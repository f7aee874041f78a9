package jkeras.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import jkeras.data.NDArray;
import jkeras.distribute.ClusterSpec;
import jkeras.distribute.MultiWorkerMirroredStrategy;
import jkeras.layers.Dense;
import jkeras.models.Sequential;
import jkeras.utils.RngUtils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Multi-worker training's per-step overhead (issue 15): each row's train step timed in one worker
 * JVM alone and in each of 2 worker JVMs of a cluster on 127.0.0.1 (the same per-worker batch, so
 * the global batch doubles), alternating, rounds of fresh JVMs. The Dense rows (batch 1, arithmetic
 * negligible) give the all-reduce's cost against model size; the MLP, CNN and LSTM rows give its
 * share of a real step. From these, an estimate of N-worker throughput on a network of the stated
 * bandwidth. Two cores cannot show a speed-up (two workers share them): the table shows overhead.
 */
@Command(
    name = "multi-worker",
    mixinStandardHelpOptions = true,
    description = "Per-step cost of multi-worker training's all-reduce (2 local workers).")
final class MultiWorkerBench implements Callable<Integer> {
  @Option(
      names = "--rounds",
      defaultValue = "3",
      description = "Rounds of fresh JVMs (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(
      names = "--only",
      defaultValue = "dense_100k,dense_1m,dense_10m,mlp,cnn,lstm",
      split = ",",
      description = "Rows (default: ${DEFAULT-VALUE}).")
  List<String> only;

  @Option(
      names = "--bandwidth-gbit",
      defaultValue = "10",
      description = "Network bandwidth for the estimate, Gbit/s (default: ${DEFAULT-VALUE}).")
  double bandwidthGbit;

  @Override
  public Integer call() throws Exception {
    Map<String, List<Double>> single = new LinkedHashMap<>();
    Map<String, List<Double>> pair = new LinkedHashMap<>();
    for (String row : only) {
      single.put(row, new ArrayList<>());
      pair.put(row, new ArrayList<>());
    }
    Path dir = Files.createTempDirectory("jkeras-mw-bench");
    for (int r = 0; r < rounds; r++) {
      for (String row : only) {
        single.get(row).add(run(row, 1, dir));
        pair.get(row).add(run(row, 2, dir));
        System.out.printf(
            Locale.ROOT,
            "round %d %-10s 1 worker %8.3f ms/step, 2 workers %8.3f ms/step%n",
            r + 1,
            row,
            last(single.get(row)),
            last(pair.get(row)));
      }
    }
    double bytesPerSecond = bandwidthGbit * 1e9 / 8;
    System.out.printf(
        Locale.ROOT,
        "%nmulti-worker training, per step: medians of %d rounds [min..max], ms%n",
        rounds);
    System.out.printf(
        Locale.ROOT,
        "| row | parameters | 1 worker | 2 workers (loopback, 2 shared cores) | overhead | share"
            + " of the 2-worker step | est. efficiency at %.0f Gbit/s: 2 / 4 / 8 workers |%n",
        bandwidthGbit);
    System.out.println("|---|---|---|---|---|---|---|");
    for (String row : only) {
      long params = params(row);
      double t1 = median(single.get(row));
      double t2 = median(pair.get(row));
      double over = t2 - t1;
      StringBuilder eff = new StringBuilder();
      for (int n : new int[] {2, 4, 8}) {
        // Ring all-reduce: each worker sends and receives 2 (n-1)/n of the packed gradient, plus
        // the fixed cost of one collective (about 1 ms measured on loopback).
        double net = 2.0 * (n - 1) / n * 4.0 * params / bytesPerSecond * 1e3 + 1.0;
        if (eff.length() > 0) eff.append(" / ");
        eff.append(String.format(Locale.ROOT, "%.2f", t1 / (t1 + net)));
      }
      System.out.printf(
          Locale.ROOT,
          "| %s | %,d | %.2f %s | %.2f %s | %.2f | %.0f%% | %s |%n",
          row,
          params,
          t1,
          range(single.get(row)),
          t2,
          range(pair.get(row)),
          over,
          100 * over / t2,
          eff);
    }
    return 0;
  }

  private static double last(List<Double> v) {
    return v.get(v.size() - 1);
  }

  private static double median(List<Double> v) {
    double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
  }

  private static String range(List<Double> v) {
    double lo = v.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    double hi = v.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    return String.format(Locale.ROOT, "[%.2f..%.2f]", lo, hi);
  }

  /** Parameters of a row's model. */
  static long params(String row) {
    return switch (row) {
      case "dense_100k" -> 1000L * 100 + 100;
      case "dense_1m" -> 1000L * 1000 + 1000;
      case "dense_10m" -> 10_000L * 1000 + 1000;
      default -> {
        Sequential m = model(row);
        try {
          yield m.countParams();
        } finally {
          m.close();
        }
      }
    };
  }

  static Sequential model(String row) {
    RngUtils.setRandomSeed(7L);
    return switch (row) {
      case "dense_100k" -> dense(1000, 100);
      case "dense_1m" -> dense(1000, 1000);
      case "dense_10m" -> dense(10_000, 1000);
      case "mlp" -> BenchData.mlp(784, 128, 10, 7);
      default -> BenchData.rowModel(row, 7);
    };
  }

  private static Sequential dense(int in, int out) {
    Sequential m = new Sequential();
    m.add(Dense.builder(out).inputShape(in).build());
    m.compile("sgd", "mse");
    return m;
  }

  static NDArray[] data(String row) {
    return switch (row) {
      case "dense_100k" ->
          new NDArray[] {
            NDArray.of(BenchData.uniform(1000, 1, 0), 1, 1000),
            NDArray.of(BenchData.uniform(100, 2, 0), 1, 100)
          };
      case "dense_1m" ->
          new NDArray[] {
            NDArray.of(BenchData.uniform(1000, 1, 0), 1, 1000),
            NDArray.of(BenchData.uniform(1000, 2, 0), 1, 1000)
          };
      case "dense_10m" ->
          new NDArray[] {
            NDArray.of(BenchData.uniform(10_000, 1, 0), 1, 10_000),
            NDArray.of(BenchData.uniform(1000, 2, 0), 1, 1000)
          };
      case "mlp" -> BenchData.mlpData(32, 784, 10, 7, 0);
      default -> BenchData.rowData(row, 1, 7);
    };
  }

  static int steps(String row) {
    return switch (row) {
      case "mlp" -> 300;
      case "lstm" -> 15;
      case "cnn" -> 40;
      default -> 40;
    };
  }

  /** One measurement: {@code workers} JVMs (1: no cluster); the chief's median step, ms. */
  private double run(String row, int workers, Path dir) throws Exception {
    List<String> addresses = new ArrayList<>();
    for (int i = 0; i < workers; i++) addresses.add("127.0.0.1:" + freePort());
    List<Process> procs = new ArrayList<>();
    List<Path> outs = new ArrayList<>();
    try {
      for (int i = 0; i < workers; i++) {
        Path out = dir.resolve(row + "-" + workers + "-" + i + ".txt");
        Files.deleteIfExists(out);
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String cache = System.getProperty("org.bytedeco.javacpp.cachedir");
        if (cache != null) cmd.add("-Dorg.bytedeco.javacpp.cachedir=" + cache);
        cmd.addAll(
            List.of(
                "-cp",
                System.getProperty("java.class.path"),
                BenchMain.class.getName(),
                "multi-worker-child",
                row,
                out.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        if (workers > 1)
          pb.environment()
              .put(
                  ClusterSpec.TF_CONFIG,
                  ClusterSpec.ofWorkers(addresses, 0).toTfConfig("worker", i));
        procs.add(pb.start());
        outs.add(out);
      }
      for (Process p : procs) {
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0)
          throw new IllegalStateException("a benchmark worker of row " + row + " failed");
      }
      return Double.parseDouble(Files.readString(outs.get(0)).trim());
    } finally {
      procs.forEach(Process::destroyForcibly);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** One worker of a measurement (internal). */
  @Command(name = "multi-worker-child", hidden = true)
  static final class Child implements Callable<Integer> {
    @Parameters(index = "0")
    String row;

    @Parameters(index = "1")
    Path out;

    @Override
    public Integer call() throws Exception {
      int code = 0;
      try {
        measure();
      } catch (Throwable t) {
        t.printStackTrace();
        code = 1;
      }
      // A worker's TensorFlow server cannot be stopped: end the process.
      Runtime.getRuntime().halt(code);
      return code;
    }

    private void measure() throws IOException {
      String tfConfig = System.getenv(ClusterSpec.TF_CONFIG);
      Sequential model;
      if (tfConfig != null) {
        MultiWorkerMirroredStrategy s =
            new MultiWorkerMirroredStrategy(ClusterSpec.parse(tfConfig));
        try (var scope = s.scope()) {
          model = model(row);
        }
      } else {
        model = model(row);
      }
      NDArray[] d = data(row);
      int steps = steps(row);
      for (int i = 0; i < Math.max(5, steps / 10); i++) model.trainOnBatch(d[0], d[1]);
      double[] t = new double[steps];
      for (int i = 0; i < steps; i++) {
        long t0 = System.nanoTime();
        model.trainOnBatch(d[0], d[1]);
        t[i] = (System.nanoTime() - t0) / 1e6;
      }
      Arrays.sort(t);
      Files.writeString(out, Double.toString(t[steps / 2]));
    }
  }
}
