package jkeras.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import jkeras.data.NDArray;
import jkeras.preprocessing.image.FlowOptions;
import jkeras.preprocessing.image.ImageDataGenerator;
import jkeras.preprocessing.image.NumpyArrayIterator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Augmentation throughput, images/s: one epoch of {@code ImageDataGenerator.flow(batch_size=32)}
 * over the same 32x32x3 images, in jkeras (one thread; two threads computing alternate batches) and
 * in keras_preprocessing 1.1.2 (one process; a pool of two), rounds alternating, medians with
 * ranges. Settings: cifar10_cnn.py's (shifts 0.1, horizontal flip) and a full one (rotation 20,
 * shifts 0.1, shear 10, zoom 0.2, flip). Python runs compat-tests/bench/augment_bench.py in
 * .venv-keras231.
 */
@Command(
    name = "augment",
    mixinStandardHelpOptions = true,
    description = "ImageDataGenerator throughput: jkeras against keras_preprocessing, images/s.")
final class AugmentBench implements Callable<Integer> {
  @Option(
      names = "--images",
      defaultValue = "2000",
      description = "Images (default: ${DEFAULT-VALUE}).")
  int images;

  @Option(
      names = "--size",
      defaultValue = "32",
      description = "Image side (default: ${DEFAULT-VALUE}).")
  int size;

  @Option(
      names = "--rounds",
      defaultValue = "3",
      description = "Rounds (default: ${DEFAULT-VALUE}).")
  int rounds;

  PrintStream out = System.out;

  static final Map<String, Map<String, Object>> SETTINGS = new LinkedHashMap<>();

  static {
    SETTINGS.put(
        "cifar10_cnn",
        Map.of("width_shift_range", 0.1, "height_shift_range", 0.1, "horizontal_flip", true));
    SETTINGS.put(
        "full",
        Map.of(
            "rotation_range",
            20,
            "width_shift_range",
            0.1,
            "height_shift_range",
            0.1,
            "shear_range",
            10,
            "zoom_range",
            0.2,
            "horizontal_flip",
            true));
  }

  @Override
  public Integer call() throws Exception {
    Path root = Path.of(System.getProperty("jkeras.root", "."));
    Path python = root.resolve(".venv-keras231/bin/python");
    SplittableRandom r = new SplittableRandom(0);
    float[] d = new float[images * size * size * 3];
    for (int i = 0; i < d.length; i++) d[i] = (float) (r.nextDouble() * 255);
    NDArray x = NDArray.of(d, images, size, size, 3);
    Map<String, List<Double>> results = new LinkedHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < rounds; round++) {
        for (String s : SETTINGS.keySet()) {
          ImageDataGenerator g = ImageDataGenerator.fromConfig(SETTINGS.get(s));
          epoch(g, x.slice(0, Math.min(images, 256)), 1, pool); // warm-up
          results
              .computeIfAbsent("jkeras " + s + " 1", k -> new ArrayList<>())
              .add(epoch(g, x, 1, pool));
          results
              .computeIfAbsent("jkeras " + s + " 2", k -> new ArrayList<>())
              .add(epoch(g, x, 2, pool));
        }
        Process p =
            new ProcessBuilder(
                    python.toString(),
                    root.resolve("compat-tests/bench/augment_bench.py").toString(),
                    String.valueOf(images),
                    String.valueOf(size))
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String json = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(600, TimeUnit.SECONDS) || p.exitValue() != 0) {
          p.destroyForcibly();
          throw new IllegalStateException("augment_bench.py failed: " + json);
        }
        JsonNode n = new ObjectMapper().readTree(json.lines().reduce((a, b) -> b).orElse("{}"));
        for (String s : SETTINGS.keySet())
          for (String w : List.of("1", "2"))
            results
                .computeIfAbsent("keras_preprocessing " + s + " " + w, k -> new ArrayList<>())
                .add(n.get(s).get(w).asDouble());
      }
    } finally {
      pool.shutdownNow();
    }
    out.printf(
        Locale.ROOT,
        "augmentation throughput, %d images %dx%dx3, batch 32, %d alternating rounds: images/s median [min..max]%n",
        images,
        size,
        size,
        rounds);
    out.printf(
        Locale.ROOT,
        "%-12s %-8s %-28s %-28s %s%n",
        "setting",
        "workers",
        "jkeras",
        "keras_preprocessing",
        "ratio");
    for (String s : SETTINGS.keySet())
      for (String w : List.of("1", "2")) {
        List<Double> j = results.get("jkeras " + s + " " + w);
        List<Double> k = results.get("keras_preprocessing " + s + " " + w);
        out.printf(
            Locale.ROOT,
            "%-12s %-8s %-28s %-28s %.1fx%n",
            s,
            w,
            fmt(j),
            fmt(k),
            median(j) / median(k));
      }
    return 0;
  }

  /** One epoch of batches on {@code threads} threads (alternate batches), images/s. */
  private static double epoch(ImageDataGenerator g, NDArray x, int threads, ExecutorService pool)
      throws Exception {
    NumpyArrayIterator it = g.flow(x, null, FlowOptions.builder().batchSize(32).seed(1L).build());
    long t = System.nanoTime();
    List<Future<?>> fs = new ArrayList<>();
    for (int w = 0; w < threads; w++) {
      int start = w;
      fs.add(
          pool.submit(
              () -> {
                for (int i = start; i < it.size(); i += threads) it.get(i);
              }));
    }
    for (Future<?> f : fs) f.get();
    return x.dim(0) / ((System.nanoTime() - t) / 1e9);
  }

  private static double median(List<Double> v) {
    double[] a = v.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(a);
    return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
  }

  private static String fmt(List<Double> v) {
    return String.format(
        Locale.ROOT,
        "%.0f [%.0f..%.0f]",
        median(v),
        v.stream().mapToDouble(Double::doubleValue).min().orElse(0),
        v.stream().mapToDouble(Double::doubleValue).max().orElse(0));
  }
}
