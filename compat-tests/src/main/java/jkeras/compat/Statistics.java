package jkeras.compat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import jkeras.compat.Comparison.Diff;

/**
 * Comparisons of random draws, where jkeras and a reference cannot draw the same numbers (other
 * generators): the statistics of the draws must agree within stated tolerances, chosen so that two
 * samples of the same distribution pass (about six standard errors; the scenarios use fixed seeds,
 * so every run draws the same numbers) and a different scale, bound or shape does not.
 */
final class Statistics {
  private Statistics() {}

  /** Standard errors allowed between two samples of the same distribution. */
  static final double STANDARD_ERRORS = 6;

  /** Allowed difference of the kurtosis (about 6 standard errors of a normal's at 2e5 draws). */
  static final double KURTOSIS_TOLERANCE = 0.1;

  // ---------------------------------------------------------------------------------------------
  // Initializers: {n, mean, std, min, max, kurtosis, first} of each side's draws

  /** An initializer spec as a row name: its class and config, the seed left out. */
  static String initializerName(JsonNode spec) {
    List<String> args = new ArrayList<>();
    spec.path("config")
        .fields()
        .forEachRemaining(
            e -> {
              if (!e.getKey().equals("seed")) args.add(e.getKey() + "=" + e.getValue().asText());
            });
    return spec.path("class_name").asText() + (args.isEmpty() ? "" : args.toString());
  }

  static String summary(JsonNode s) {
    return String.format(
        Locale.ROOT,
        "mean %.3g std %.4g [%.4g, %.4g] kurt %.3g",
        s.path("mean").asDouble(),
        s.path("std").asDouble(),
        s.path("min").asDouble(),
        s.path("max").asDouble(),
        s.path("kurtosis").asDouble());
  }

  /**
   * Two samples of one distribution: the same count; means within {@value #STANDARD_ERRORS}
   * standard errors of their difference ({@code sqrt((s1^2 + s2^2) / n)}); standard deviations
   * within as many standard errors of theirs (each {@code s * sqrt((kurtosis - 1) / (4n))}, the
   * delta method); kurtosis within {@value #KURTOSIS_TOLERANCE}; minimum and maximum within {@code
   * 0.02 s} where the reference is bounded (both extremes within 3 standard deviations of the mean:
   * uniform, truncated normal, whose extremes over 1e5 draws sit at the bound) and within {@code
   * 1.5 s} where it is not (a normal's extremes scatter by about 0.3 s).
   */
  static Diff sameDistribution(JsonNode ref, JsonNode j) {
    if (!ref.has("n") || !j.has("n")) return Diff.exact(false, "no statistics recorded");
    List<String> problems = new ArrayList<>();
    double n = ref.path("n").asDouble();
    if (n != j.path("n").asDouble())
      problems.add("draws: reference " + n + ", jkeras " + j.get("n"));
    double rs = ref.path("std").asDouble();
    double js = j.path("std").asDouble();
    double meanTol = STANDARD_ERRORS * Math.sqrt((rs * rs + js * js) / n);
    within(problems, "mean", ref, j, meanTol);
    double rse = rs * Math.sqrt((ref.path("kurtosis").asDouble() - 1) / (4 * n));
    double jse = js * Math.sqrt((j.path("kurtosis").asDouble() - 1) / (4 * n));
    within(problems, "std", ref, j, STANDARD_ERRORS * Math.hypot(rse, jse));
    within(problems, "kurtosis", ref, j, KURTOSIS_TOLERANCE);
    double mean = ref.path("mean").asDouble();
    boolean bounded =
        ref.path("max").asDouble() - mean < 3 * rs && mean - ref.path("min").asDouble() < 3 * rs;
    within(problems, "min", ref, j, (bounded ? 0.02 : 1.5) * rs);
    within(problems, "max", ref, j, (bounded ? 0.02 : 1.5) * rs);
    String shown =
        String.format(
            Locale.ROOT,
            "%.0f draws each; reference %s; jkeras %s (mean tol %.2g, %s extremes)",
            n,
            summary(ref),
            summary(j),
            meanTol,
            bounded ? "bounded" : "unbounded");
    return Diff.statistical(problems, shown);
  }

  private static void within(
      List<String> problems, String stat, JsonNode ref, JsonNode j, double tol) {
    double a = ref.path(stat).asDouble(Double.NaN);
    double b = j.path(stat).asDouble(Double.NaN);
    if (!(Math.abs(a - b) <= tol)) {
      problems.add(
          String.format(
              Locale.ROOT, "%s: reference %.6g, jkeras %.6g (tol %.3g)", stat, a, b, tol));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Dropout while training, from train_on_batch losses

  /**
   * The dropout statistics of a {@code train_on_batch} observation on the Dropout scenario: inputs
   * of ones through an identity kernel (frozen) into {@code Dropout(rate)}, targets zero, loss mae
   * and metric mse. A step's output is {@code keep * scale} per activation, so its mae is {@code k
   * * scale} and its mse {@code k * scale^2} ({@code k} the fraction kept): {@code scale = mse /
   * mae} and {@code k = mae^2 / mse}, per step.
   *
   * @return {@code {rate, activations per step, steps, kept fraction (mean over steps), scale
   *     (mean), kept fraction spread (standard deviation over steps)}}
   */
  static JsonNode dropout(JsonNode obs, JsonNode action) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    JsonNode values = obs.path("values");
    int steps = values.size();
    double[] kept = new double[steps];
    double scale = 0;
    double mean = 0;
    for (int t = 0; t < steps; t++) {
      double mae = values.get(t).path(0).asDouble();
      double mse = values.get(t).path(1).asDouble();
      kept[t] = mae * mae / mse;
      scale += mse / mae / steps;
      mean += kept[t] / steps;
    }
    double var = 0;
    for (double k : kept) var += (k - mean) * (k - mean) / Math.max(1, steps - 1);
    o.put("rate", action.path("rate").asDouble());
    o.put("activations per step", action.path("activations_per_step").asLong());
    o.put("steps", steps);
    o.put("kept fraction", mean);
    o.put("scale", scale);
    o.put("kept fraction spread", Math.sqrt(var));
    return o;
  }

  /**
   * Dropout's statistics against the reference's: the scale equal ({@code 1 / (1 - rate)}, relative
   * 1e-5, both sides); the kept fractions within {@value #STANDARD_ERRORS} binomial standard errors
   * of their difference, and each within as many of {@code 1 - rate}; on each side, the spread of
   * the kept fraction over the steps within a factor 2 of the binomial {@code sqrt(p (1 - p) / N)}
   * for N activations per step (a mask drawn once, or once per feature for the whole batch, falls
   * far outside).
   */
  static Diff sameDropout(JsonNode ref, JsonNode j) {
    if (ref.path("steps").asInt(0) == 0 || ref.path("steps").asInt() != j.path("steps").asInt())
      return Diff.exact(
          false, "steps: reference " + ref.path("steps") + ", jkeras " + j.path("steps"));
    List<String> problems = new ArrayList<>();
    double p = 1 - ref.path("rate").asDouble();
    double perStep = ref.path("activations per step").asDouble();
    double total = perStep * ref.path("steps").asDouble();
    double se = Math.sqrt(p * (1 - p) / total);
    double scale = 1 / (1 - ref.path("rate").asDouble());
    for (JsonNode side : List.of(ref, j)) {
      String who = side == ref ? "reference" : "jkeras";
      double k = side.path("kept fraction").asDouble();
      if (!(Math.abs(k - p) <= STANDARD_ERRORS * se))
        problems.add(String.format(Locale.ROOT, "%s kept %.5f, expected %.5f", who, k, p));
      double spread = side.path("kept fraction spread").asDouble();
      double binomial = Math.sqrt(p * (1 - p) / perStep);
      if (!(spread >= binomial / 2 && spread <= binomial * 2))
        problems.add(
            String.format(
                Locale.ROOT,
                "%s's kept fraction varies by %.3g over the steps, binomial %.3g",
                who,
                spread,
                binomial));
      double s = side.path("scale").asDouble();
      if (!(Math.abs(s - scale) <= 1e-5 * scale))
        problems.add(String.format(Locale.ROOT, "%s scale %.7g, expected %.7g", who, s, scale));
    }
    double dk = Math.abs(ref.path("kept fraction").asDouble() - j.path("kept fraction").asDouble());
    if (!(dk <= STANDARD_ERRORS * Math.sqrt(2) * se))
      problems.add(String.format(Locale.ROOT, "kept fractions differ by %.3g", dk));
    String shown =
        String.format(
            Locale.ROOT,
            "kept fraction: reference %.5f, jkeras %.5f (1 - rate %.2f; tol %.2g); scale: %.7g, %.7g;"
                + " spread over %d steps: %.3g, %.3g (binomial %.3g)",
            ref.path("kept fraction").asDouble(),
            j.path("kept fraction").asDouble(),
            p,
            STANDARD_ERRORS * Math.sqrt(2) * se,
            ref.path("scale").asDouble(),
            j.path("scale").asDouble(),
            ref.path("steps").asInt(),
            ref.path("kept fraction spread").asDouble(),
            j.path("kept fraction spread").asDouble(),
            Math.sqrt(p * (1 - p) / perStep));
    return Diff.statistical(problems, shown);
  }

  // ---------------------------------------------------------------------------------------------
  // Shuffled epochs, from the batch logs of a fit whose weights do not move

  /**
   * How a fit went through its epochs: the batches per epoch and how many epochs (after the first)
   * saw the batches in another order than the epoch before, from the batch logs' losses (the model
   * is frozen, so the same order gives the same losses). tf-keras' logs are running means, which
   * also differ exactly when the order does.
   */
  static JsonNode epochOrders(JsonNode obs) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    JsonNode epochs = obs.path("batch_logs").path("train");
    List<Integer> batches = new ArrayList<>();
    int reordered = 0;
    for (int e = 0; e < epochs.size(); e++) {
      batches.add(epochs.get(e).size());
      if (e > 0 && !losses(epochs.get(e)).equals(losses(epochs.get(e - 1)))) reordered++;
    }
    o.set("batches", toArray(batches));
    o.put("reordered epochs", reordered);
    return o;
  }

  private static JsonNode toArray(List<Integer> values) {
    var a = JsonNodeFactory.instance.arrayNode();
    values.forEach(a::add);
    return a;
  }

  private static List<Double> losses(JsonNode epoch) {
    List<Double> out = new ArrayList<>();
    epoch.forEach(b -> out.add(b.path("loss").asDouble()));
    return out;
  }
}
