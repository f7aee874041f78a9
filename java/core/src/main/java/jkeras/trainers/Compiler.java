package jkeras.trainers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jkeras.internal.PyRepr;
import jkeras.losses.Loss;
import jkeras.losses.Losses;
import jkeras.metrics.Metric;
import jkeras.metrics.Metrics;
import jkeras.optimizers.Optimizer;
import jkeras.optimizers.Optimizers;

/**
 * Resolves {@code compile()}'s arguments the way Keras 2.3.1 does: a loss (and metrics, and loss
 * weights) given once applies to every output; a list gives one per output in order; a map is keyed
 * by output name. String identifiers resolve through the registries.
 */
public final class Compiler {
  private Compiler() {}

  /** One output's compile settings: its loss, loss weight, metrics and the shape of its targets. */
  public record OutputSpec(
      String name, Loss loss, double lossWeight, List<Metric> metrics, long[] targetShape) {}

  /** The resolved compile arguments; the graph is built from them when the model's graph exists. */
  public record Plan(
      List<OutputSpec> specs,
      Optimizer optimizer,
      List<String> metricsNames,
      int stepsPerExecution) {}

  /**
   * Resolves {@code compile}'s arguments for a model with these outputs.
   *
   * @param outputShapes each output's shape, batch dimension first as -1
   * @throws IllegalArgumentException with Keras' messages for unknown identifiers and mismatched
   *     per-output lists or maps
   */
  public static Plan plan(List<String> outs, List<long[]> outputShapes, CompileOptions o) {
    List<Loss> losses = perOutput("loss", o.loss(), outs, Losses::get, true);
    List<Double> weights =
        o.lossWeights() == null
            ? null
            : perOutput("loss_weights", o.lossWeights(), outs, Compiler::toDouble, false);
    List<List<Metric>> metrics = new ArrayList<>();
    List<List<Object>> metricIds = metricIds(o.metrics(), outs);
    Optimizer optimizer = Optimizers.get(o.optimizer());
    List<OutputSpec> specs = new ArrayList<>();
    List<String> names = new ArrayList<>();
    names.add("loss");
    if (outs.size() > 1) for (String n : outs) names.add(n + "_loss");
    for (int i = 0; i < outs.size(); i++) {
      long[] outShape = outputShapes.get(i);
      Loss loss = losses.get(i);
      List<Metric> ms = new ArrayList<>();
      for (Object id : metricIds.get(i)) {
        Metric m = Metrics.resolve(id, loss, outShape);
        ms.add(m);
        names.add(outs.size() > 1 ? outs.get(i) + "_" + m.name() : m.name());
      }
      metrics.add(ms);
      specs.add(
          new OutputSpec(
              outs.get(i),
              loss,
              weights == null ? 1.0 : weights.get(i),
              ms,
              targetShape(loss, outShape)));
    }
    return new Plan(specs, optimizer, List.copyOf(names), o.stepsPerExecution());
  }

  /**
   * Sparse losses take class ids: one fewer trailing axis, kept as a trailing 1 (Keras feeds {@code
   * (n, 1)}).
   */
  private static long[] targetShape(Loss loss, long[] outShape) {
    if (loss instanceof jkeras.losses.SparseCategoricalCrossentropy) {
      long[] s = outShape.clone();
      s[s.length - 1] = 1;
      return s;
    }
    return outShape;
  }

  private static double toDouble(Object o) {
    if (o instanceof Number n) return n.doubleValue();
    throw jkeras.internal.Errors.invalidArgument("loss_weights", "numbers", o);
  }

  private static <T> List<T> perOutput(
      String arg,
      Object spec,
      List<String> outs,
      java.util.function.Function<Object, T> resolve,
      boolean broadcast) {
    List<T> out = new ArrayList<>();
    if (spec instanceof Map<?, ?> m) {
      for (Object k : m.keySet()) {
        if (!outs.contains(String.valueOf(k))) {
          throw new IllegalArgumentException(
              "Unknown entries in "
                  + arg
                  + " dictionary: "
                  + PyRepr.repr(List.of(String.valueOf(k)))
                  + ". Only expected following keys: "
                  + PyRepr.repr(outs));
        }
      }
      for (String n : outs) {
        if (!m.containsKey(n)) {
          if (arg.equals("loss")) {
            throw new IllegalArgumentException(
                "Output \""
                    + n
                    + "\" missing from loss dictionary. We assume this was done on purpose. The fit and evaluate APIs will not be expecting any data to be passed to \""
                    + n
                    + "\". Losses for outputs left out are not supported yet.");
          }
          out.add(resolve.apply(1.0));
          continue;
        }
        out.add(resolve.apply(m.get(n)));
      }
      return out;
    }
    if (spec instanceof List<?> l) {
      if (l.size() != outs.size()) {
        throw new IllegalArgumentException(
            "When passing a list as "
                + arg
                + ", it should have one entry per model outputs. The model has "
                + outs.size()
                + " outputs, but you passed "
                + arg
                + "="
                + jkeras.internal.Errors.truncate(l));
      }
      for (Object o : l) out.add(resolve.apply(o));
      return out;
    }
    if (!broadcast) {
      throw new IllegalArgumentException(
          "Could not interpret "
              + arg
              + " argument: "
              + spec
              + ". Expected a list or a dictionary keyed by output name.");
    }
    T one = resolve.apply(spec);
    for (int i = 0; i < outs.size(); i++) out.add(i == 0 ? one : resolve.apply(spec));
    return out;
  }

  /**
   * Keras' {@code collect_per_output_metric_info}: a list applies to all outputs; a map by name.
   */
  private static List<List<Object>> metricIds(Object metrics, List<String> outs) {
    List<List<Object>> out = new ArrayList<>();
    if (metrics == null) {
      for (int i = 0; i < outs.size(); i++) out.add(List.of());
      return out;
    }
    if (metrics instanceof List<?> l) {
      for (int i = 0; i < outs.size(); i++) out.add(new ArrayList<>(l));
      return out;
    }
    if (metrics instanceof Map<?, ?> m) {
      Map<String, Object> byName = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!outs.contains(String.valueOf(e.getKey()))) {
          throw new IllegalArgumentException(
              "Unknown entries in metrics dictionary: "
                  + PyRepr.repr(List.of(String.valueOf(e.getKey())))
                  + ". Only expected following keys: "
                  + PyRepr.repr(outs));
        }
        byName.put(String.valueOf(e.getKey()), e.getValue());
      }
      for (String n : outs) {
        Object v = byName.get(n);
        if (v == null) out.add(List.of());
        else if (v instanceof List<?> vl) out.add(new ArrayList<>(vl));
        else out.add(List.of(v));
      }
      return out;
    }
    throw new IllegalArgumentException(
        "Type of `metrics` argument not understood. Expected a list or dictionary, found: "
            + metrics);
  }
}
