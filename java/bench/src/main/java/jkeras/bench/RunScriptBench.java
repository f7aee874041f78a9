package jkeras.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jkeras bench run-script} ({@code scripts/bench.sh run-script}): issue 14's speed row. The
 * same model trained through {@code jkeras run compat-tests/bench/run_script_mlp.py} (a Keras
 * script, the shim driving jkeras) and driven from Java ({@link ScriptTwin}), and for reference the
 * same script in tf-keras 2.18: MLP 784-128-10, Adam, batch 32, ms per step of {@code
 * train_on_batch} and of {@code fit}. Each side runs in a fresh process per round and times itself
 * after its warm-up (start-up is not counted); the sides alternate round by round, so a slow phase
 * of the machine hits all of them alike. Prints medians with ranges and the per-round ratios {@code
 * jkeras run / Java} (target: within 1.1x), of the wall clock and of the CPU per step of each
 * process and of the thread calling the steps (where a gap goes: docs/run.md).
 */
@Command(
    name = "run-script",
    mixinStandardHelpOptions = true,
    description =
        "ms/step of a Keras script under `jkeras run` vs the same model driven from Java.")
final class RunScriptBench implements Callable<Integer> {
  static final String SCRIPT = "compat-tests/bench/run_script_mlp.py";
  static final String[] WAYS = {"train_on_batch", "fit"};

  /**
   * Per way, the best block and the median block of each process, and the CPU per step of the whole
   * process and of the thread the steps are called on (the script's; Java's main thread).
   */
  static final String[] FIGURES = {"_best_ms", "_ms", "_cpu_ms", "_thread_cpu_ms"};

  /** The table's name of each of {@link #FIGURES}. */
  static final String[] FIGURE_NAMES = {
    "best block", "median block", "process CPU", "calling thread's CPU"
  };

  @Option(names = "--rounds", description = "Rounds of each side (default: ${DEFAULT-VALUE}).")
  int rounds = 3;

  @Option(names = "--steps", description = "Timed steps of each way (default: ${DEFAULT-VALUE}).")
  int steps = 500;

  @Option(
      names = "--warmup",
      description = "Untimed steps before each way (default: ${DEFAULT-VALUE}).")
  int warmup = 200;

  @Option(
      names = "--repeats",
      description =
          "Timed blocks of --steps per way in each process; the best and the median are"
              + " reported (default: ${DEFAULT-VALUE}; tf-keras runs 1, its train_on_batch being"
              + " 30-50x slower).")
  int repeats = 5;

  @Option(names = "--no-tf-keras", description = "Skip the tf-keras side.")
  boolean noTfKeras;

  @Option(names = "--out", description = "Also write the table to this file.")
  Path out;

  /** One side: its label and command. */
  private record Side(String label, List<String> command) {}

  @Override
  public Integer call() throws Exception {
    Path root = TfKerasProcess.projectRoot();
    Path script = root.resolve(SCRIPT);
    List<String> scriptArgs =
        List.of(
            "--steps",
            Integer.toString(steps),
            "--warmup",
            Integer.toString(warmup),
            "--repeats",
            Integer.toString(repeats));
    List<String> tfKerasArgs =
        List.of(
            "--steps",
            Integer.toString(steps),
            "--warmup",
            Integer.toString(warmup),
            "--repeats",
            "1");
    List<Side> sides = new ArrayList<>();
    sides.add(
        new Side("jkeras run", concat(java(root, "jkeras.cli.Main", "run"), script, scriptArgs)));
    sides.add(
        new Side(
            "Java", concat(java(root, "jkeras.bench.BenchMain", "script-twin"), null, scriptArgs)));
    if (!noTfKeras)
      sides.add(
          new Side(
              "tf-keras",
              concat(
                  List.of(
                      TfKerasProcess.python(root).toString(),
                      root.resolve("compat-tests/bench/as_tf_keras.py").toString()),
                  script,
                  tfKerasArgs)));

    // figures.get(side).get(way): ms per step, one per round
    Map<String, Map<String, List<Double>>> figures = new LinkedHashMap<>();
    for (Side s : sides) {
      Map<String, List<Double>> m = new LinkedHashMap<>();
      for (String w : WAYS) for (String f : FIGURES) m.put(w + f, new ArrayList<>());
      figures.put(s.label(), m);
    }
    for (int r = 0; r < rounds; r++) {
      StringBuilder line = new StringBuilder("round " + (r + 1) + ":");
      for (Side s : sides) {
        String json = runOnce(s, root);
        for (String w : WAYS) {
          for (String f : FIGURES) {
            double v = Double.parseDouble(TfKerasProcess.field(json, w + f));
            figures.get(s.label()).get(w + f).add(v);
          }
          line.append(
              String.format(
                  Locale.ROOT,
                  " %s %s %.3f (best %.3f, cpu %.3f, thread %.3f) ms;",
                  s.label(),
                  w,
                  figures.get(s.label()).get(w + "_ms").get(r),
                  figures.get(s.label()).get(w + "_best_ms").get(r),
                  figures.get(s.label()).get(w + "_cpu_ms").get(r),
                  figures.get(s.label()).get(w + "_thread_cpu_ms").get(r)));
        }
      }
      System.err.println("[bench run-script] " + line);
    }
    String table = table(figures);
    System.out.print(table);
    if (out != null) {
      Files.createDirectories(out.toAbsolutePath().getParent());
      Files.writeString(out, table, StandardCharsets.UTF_8);
    }
    return 0;
  }

  private String table(Map<String, Map<String, List<Double>>> f) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "jkeras bench run-script, %s; %d CPUs; Java %s%n"
                + "MLP 784-128-10, Adam, batch 32: ms per step, median [min..max] over %d rounds"
                + " (each side a fresh process per round, timed after %d warm-up steps in %d blocks"
                + " of %d steps, the best and the median block of each process; tf-keras one"
                + " block; the sides alternate); CPU ms per step over all blocks, of the process"
                + " (every thread) and of the thread that calls the steps%n",
            Instant.now(),
            Runtime.getRuntime().availableProcessors(),
            System.getProperty("java.version"),
            rounds,
            warmup,
            repeats,
            steps));
    String[] head = {
      "way", "jkeras run (script)", "Java", "jkeras run / Java, per round", "tf-keras (same script)"
    };
    List<String[]> rows = new ArrayList<>();
    for (String w : WAYS) {
      for (String fig : FIGURES) {
        List<Double> run = f.get("jkeras run").get(w + fig);
        List<Double> java = f.get("Java").get(w + fig);
        List<Double> ratio = new ArrayList<>();
        // Java reads its process' CPU time in 10 ms ticks (times()): a very short run can read 0
        for (int i = 0; i < run.size(); i++)
          if (java.get(i) > 0) ratio.add(run.get(i) / java.get(i));
        // tf-keras times one block per process: its one figure on both wall-clock rows
        String tfFig = fig.equals("_best_ms") ? "_ms" : fig;
        List<Double> tfk = f.containsKey("tf-keras") ? f.get("tf-keras").get(w + tfFig) : null;
        String way =
            w.equals("fit") ? "fit (epochs of " + steps + " batches)" : w + " (one fixed batch)";
        rows.add(
            new String[] {
              way + ", " + FIGURE_NAMES[List.of(FIGURES).indexOf(fig)],
              stat(run, "%.3f"),
              stat(java, "%.3f"),
              ratio.isEmpty() ? "n/a (run too short)" : stat(ratio, "%.2fx"),
              tfk == null ? "skipped" : stat(tfk, "%.3f")
            });
      }
    }
    sb.append(BenchReport.table(head, rows));
    sb.append("target: jkeras run within 1.1x of Java per step\n");
    return sb.toString();
  }

  static String stat(List<Double> v, String fmt) {
    List<Double> s = new ArrayList<>(v);
    Collections.sort(s);
    int n = s.size();
    double median = n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    return String.format(
        Locale.ROOT, fmt + " [" + fmt + ".." + fmt + "]", median, s.get(0), s.get(n - 1));
  }

  /** A child JVM on this JVM's class path and native cache, running {@code main} {@code sub}. */
  private static List<String> java(Path root, String main, String sub) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    String cache = System.getProperty("org.bytedeco.javacpp.cachedir");
    if (cache != null) cmd.add("-Dorg.bytedeco.javacpp.cachedir=" + cache);
    cmd.add("-Djkeras.root=" + root);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), main, sub));
    return cmd;
  }

  private static List<String> concat(List<String> head, Path script, List<String> args) {
    List<String> cmd = new ArrayList<>(head);
    if (script != null) cmd.add(script.toString());
    cmd.addAll(args);
    return cmd;
  }

  /** Runs one side once; returns its JSON line. */
  private static String runOnce(Side s, Path root) throws IOException, InterruptedException {
    Path log = Files.createTempFile("jkeras-run-script-", ".log");
    try {
      ProcessBuilder pb =
          new ProcessBuilder(s.command())
              .directory(root.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      pb.environment().putIfAbsent("TF_CPP_MIN_LOG_LEVEL", "2");
      Process p = pb.start();
      if (!p.waitFor(15, TimeUnit.MINUTES)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly().waitFor();
        throw new IOException(s.label() + " did not finish in 15 minutes");
      }
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      String json =
          lines.stream()
              .filter(l -> l.startsWith("{\"train_on_batch_ms\""))
              .reduce((a, b) -> b)
              .orElse(null);
      if (p.exitValue() != 0 || json == null) {
        List<String> tail = lines.subList(Math.max(0, lines.size() - 20), lines.size());
        throw new IOException(
            s.label() + " failed (exit " + p.exitValue() + "): " + String.join("\n", tail));
      }
      return json;
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
