package jkeras.trainers.adapters;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import jkeras.data.ArrayData;
import jkeras.data.Batch;
import jkeras.data.NDArray;
import jkeras.internal.Errors;
import jkeras.internal.PyRepr;
import jkeras.internal.Shapes;

/**
 * Checks user data against the model and puts it in the model's order, with Keras 2.3.1's {@code
 * standardize_input_data}, {@code check_array_length_consistency} and {@code standardize_weights}
 * rules and messages.
 */
final class Standardize {
  private Standardize() {}

  /**
   * Arrays for {@code names} in order, checked against {@code shapes} (batch dimension first, -1
   * for None). 1-D arrays become {@code (n, 1)} as in Keras.
   *
   * @param prefix {@code "input"} or {@code "target"}, as Keras' {@code exception_prefix}
   */
  static List<NDArray> arrays(
      ArrayData data, List<String> names, List<long[]> shapes, String prefix) {
    List<NDArray> list;
    if (data == null) {
      throw new IllegalArgumentException(
          "Error when checking model "
              + prefix
              + ": expected "
              + names.size()
              + " array(s), but got none (`null`).");
    }
    if (data instanceof NDArray a) {
      if (names.size() > 1) {
        throw new IllegalArgumentException(
            "Error when checking model "
                + prefix
                + ": the list of Numpy arrays that you are passing to your model is not the size the model expected. Expected to see "
                + names.size()
                + " array(s), but instead got the following list of 1 arrays: "
                + Errors.truncate(a));
      }
      list = List.of(a);
    } else if (data instanceof ArrayData.ListData l) {
      if (l.arrays().size() != names.size()) {
        String got = l.arrays().toString();
        throw new IllegalArgumentException(
            "Error when checking model "
                + prefix
                + ": the list of Numpy arrays that you are passing to your model is not the size the model expected. Expected to see "
                + names.size()
                + " array(s), but instead got the following list of "
                + l.arrays().size()
                + " arrays: "
                + (got.length() > 200 ? got.substring(0, 200) + "..." : got));
      }
      list = l.arrays();
    } else {
      Map<String, NDArray> m = ((ArrayData.MapData) data).arrays();
      list = new ArrayList<>();
      for (String n : names) {
        NDArray a = m.get(n);
        if (a == null) {
          throw new IllegalArgumentException(
              "No data provided for \"" + n + "\". Need data for each key in: " + pyList(names));
        }
        list.add(a);
      }
      Set<String> unknown = new TreeSet<>(m.keySet());
      unknown.removeAll(names);
      if (!unknown.isEmpty()) {
        throw new IllegalArgumentException(
            "Unknown entries in "
                + prefix
                + " dictionary: "
                + pyList(new ArrayList<>(unknown))
                + ". Only expected the following keys: "
                + pyList(names));
      }
    }
    List<NDArray> out = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      NDArray a = list.get(i);
      if (a == null)
        throw new IllegalArgumentException(
            "Error when checking " + prefix + ": the array for " + names.get(i) + " is null.");
      if (a.rank() == 1 && shapes.get(i).length == 2) a = a.reshape(a.dim(0), 1);
      long[] expected = shapes.get(i);
      long[] got = a.shape();
      if (got.length != expected.length) {
        throw new IllegalArgumentException(
            "Error when checking "
                + prefix
                + ": expected "
                + names.get(i)
                + " to have "
                + expected.length
                + " dimensions, but got array with shape "
                + Shapes.toPython(got));
      }
      for (int d = 1; d < expected.length; d++) {
        if (expected[d] >= 0 && expected[d] != got[d]) {
          throw new IllegalArgumentException(
              "Error when checking "
                  + prefix
                  + ": expected "
                  + names.get(i)
                  + " to have shape "
                  + Shapes.toPython(Shapes.withoutBatch(expected))
                  + " but got array with shape "
                  + Shapes.toPython(Shapes.withoutBatch(got)));
        }
      }
      out.add(a);
    }
    return out;
  }

  /** Keras' {@code check_array_length_consistency}; returns the number of samples. */
  static long sampleCount(List<NDArray> xs, List<NDArray> ys, List<NDArray> ws) {
    Set<Long> nx = lengths(xs);
    Set<Long> ny = lengths(ys);
    if (nx.size() > 1) {
      throw new IllegalArgumentException(
          "All input arrays (x) should have the same number of samples. Got array shapes: "
              + shapes(xs));
    }
    if (ny.size() > 1) {
      throw new IllegalArgumentException(
          "All target arrays (y) should have the same number of samples. Got array shapes: "
              + shapes(ys));
    }
    if (!nx.isEmpty() && !ny.isEmpty() && !nx.equals(ny)) {
      throw new IllegalArgumentException(
          "Input arrays should have the same number of samples as target arrays. Found "
              + nx.iterator().next()
              + " input samples and "
              + ny.iterator().next()
              + " target samples.");
    }
    Set<Long> nw = ws == null ? Set.of() : lengths(ws);
    if (!nw.isEmpty() && !ny.isEmpty() && !nw.equals(ny)) {
      throw new IllegalArgumentException(
          "Sample_weight arrays should have the same number of samples as target arrays. Got "
              + ny.iterator().next()
              + " input samples and "
              + nw.iterator().next()
              + " target samples.");
    }
    return nx.isEmpty() ? 0 : nx.iterator().next();
  }

  private static Set<Long> lengths(List<NDArray> as) {
    Set<Long> s = new LinkedHashSet<>();
    for (NDArray a : as) s.add(a.length());
    return s;
  }

  private static String shapes(List<NDArray> as) {
    List<String> s = new ArrayList<>();
    for (NDArray a : as) s.add(Shapes.toPython(a.shape()));
    return "[" + String.join(", ", s) + "]";
  }

  static String pyList(List<String> names) {
    List<String> q = new ArrayList<>();
    for (String n : names) q.add("'" + n + "'");
    return "[" + String.join(", ", q) + "]";
  }

  /**
   * Per-output sample weights, Keras 2.3.1 {@code standardize_weights}: {@code sampleWeight} (one
   * array, used for every output) times the class weights of each sample's class. Unweighted
   * outputs get {@code null} (the graph's default weight of 1, nothing fed).
   */
  static List<NDArray> sampleWeights(
      List<NDArray> ys, NDArray sampleWeight, Map<Integer, Double> classWeight) {
    List<NDArray> out = new ArrayList<>(ys.size());
    boolean weighted = sampleWeight != null || (classWeight != null && !classWeight.isEmpty());
    for (NDArray y : ys) {
      if (!weighted) {
        out.add(null);
        continue;
      }
      int n = (int) y.length();
      float[] w = new float[n];
      Arrays.fill(w, 1f);
      if (sampleWeight != null) {
        if (sampleWeight.rank() != 1 || sampleWeight.length() != n) {
          if (sampleWeight.rank() > 1 && sampleWeight.length() == n) {
            throw new IllegalArgumentException(
                "Found a sample_weight array with shape "
                    + Shapes.toPython(sampleWeight.shape())
                    + ". In order to use timestep-wise sample weighting, you should pass a 2D sample_weight array and specify sample_weight_mode=\"temporal\" in compile(). If you just mean to use sample-wise weights, make sure your sample_weight array is 1D.");
          }
          throw new IllegalArgumentException(
              "Found a sample_weight with shape "
                  + Shapes.toPython(sampleWeight.shape())
                  + ".Expected sample_weight with rank less than or equal to 1");
        }
        float[] sw = sampleWeight.floatsView();
        System.arraycopy(sw, 0, w, 0, n);
      }
      if (classWeight != null && !classWeight.isEmpty()) {
        if (y.rank() > 2)
          throw new IllegalArgumentException(
              "`class_weight` not supported for 3+ dimensional targets.");
        int[] classes = classesOf(y);
        Set<Integer> missing = new TreeSet<>();
        for (int i = 0; i < n; i++) {
          Double cw = classWeight.get(classes[i]);
          if (cw == null) missing.add(classes[i]);
          else w[i] *= cw.floatValue();
        }
        if (!missing.isEmpty()) {
          throw new IllegalArgumentException(
              "`class_weight` must contain all classes in the data. The classes "
                  + pySet(missing)
                  + " exist in the data but not in `class_weight`.");
        }
      }
      out.add(NDArray.adoptFloats(w, n));
    }
    return out;
  }

  private static String pySet(Set<Integer> s) {
    List<String> parts = new ArrayList<>();
    for (Integer i : s) parts.add(Integer.toString(i));
    return "{" + String.join(", ", parts) + "}";
  }

  /** Class ids: argmax of the last axis when it has more than one column, else the value itself. */
  private static int[] classesOf(NDArray y) {
    int n = (int) y.length();
    float[] v = y.floatsView();
    int cols = y.rank() == 2 ? (int) y.dim(1) : 1;
    int[] c = new int[n];
    for (int i = 0; i < n; i++) {
      if (cols > 1) {
        int best = 0;
        for (int j = 1; j < cols; j++) if (v[i * cols + j] > v[i * cols + best]) best = j;
        c[i] = best;
      } else {
        c[i] = Math.round(v[i]);
      }
    }
    return c;
  }

  /**
   * Arrays {@code x}, {@code y} and their weights, checked against the model once (Keras' {@code
   * _standardize_user_data}).
   */
  static StepData arrays(
      ArrayData x,
      ArrayData y,
      NDArray sampleWeight,
      Map<Integer, Double> classWeight,
      DataSpec spec) {
    List<NDArray> xs = arrays(x, spec.inputNames(), spec.inputShapes(), "input");
    if (spec.targetShapes() == null) {
      long n = sampleCount(xs, List.of(), null);
      return new StepData(xs, null, null, n);
    }
    List<NDArray> ys = arrays(y, spec.outputNames(), spec.targetShapes(), "target");
    long n = sampleCount(xs, ys, sampleWeight == null ? null : List.of(sampleWeight));
    return new StepData(xs, ys, sampleWeights(ys, sampleWeight, classWeight), n);
  }

  /**
   * A generator's batch checked against the model: inputs only for predict, else inputs, targets
   * and per-output sample weights (the batch's own times the class weights, as Keras 2.3.1
   * multiplies them). The step data keeps the batch, to release it after the step.
   */
  static StepData batch(
      Batch b, AdapterContext.Role role, DataSpec spec, Map<Integer, Double> classWeight) {
    return batch(b, role, spec, classWeight, false);
  }

  /**
   * @param allowEmpty accept a batch of no samples for evaluation too (multi-worker evaluation: a
   *     sharded Sequence's padding step)
   */
  static StepData batch(
      Batch b,
      AdapterContext.Role role,
      DataSpec spec,
      Map<Integer, Double> classWeight,
      boolean allowEmpty) {
    if (!role.needsTargets()) {
      List<NDArray> xs = arrays(b.x(), spec.inputNames(), spec.inputShapes(), "input");
      return new StepData(xs, null, null, requireNonEmpty(sampleCount(xs, List.of(), null)), b);
    }
    if (b.y() == null) {
      // fit_generator's text has backticks, evaluate_generator's has none (Keras 2.3.1).
      String expected =
          role == AdapterContext.Role.TRAIN
              ? "`(x, y, sample_weight)` or `(x, y)`"
              : "(x, y, sample_weight) or (x, y)";
      throw new IllegalArgumentException(
          "Output of generator should be a tuple " + expected + ". Found: " + PyRepr.truncated(b));
    }
    StepData d;
    if (b.sampleWeight() == null) {
      d = arrays(b.x(), b.y(), null, classWeight, spec);
    } else {
      List<NDArray> ws =
          arrays(b.sampleWeight(), spec.outputNames(), spec.sampleWeightShapes(), "sample_weight");
      if (ws.size() == 1) {
        d = arrays(b.x(), b.y(), ws.get(0).reshape(ws.get(0).dim(0)), classWeight, spec);
      } else {
        d = arrays(b.x(), b.y(), null, classWeight, spec);
        List<NDArray> combined = new ArrayList<>(ws.size());
        for (int i = 0; i < ws.size(); i++) {
          NDArray given = ws.get(i).reshape(ws.get(i).dim(0));
          NDArray fromClasses = d.w().get(i);
          combined.add(fromClasses == null ? given : multiply(fromClasses, given));
        }
        d = new StepData(d.x(), d.y(), combined, d.n());
      }
    }
    if (role != AdapterContext.Role.TRAIN && !allowEmpty) requireNonEmpty(d.n());
    return new StepData(d.x(), d.y(), d.w(), d.n(), b);
  }

  static long requireNonEmpty(long samples) {
    if (samples == 0) throw Errors.emptyBatch();
    return samples;
  }

  private static NDArray multiply(NDArray a, NDArray b) {
    float[] x = a.toFloatArray();
    float[] y = b.floatsView();
    for (int i = 0; i < x.length; i++) x[i] *= y[i];
    return NDArray.adoptFloats(x, a.shape());
  }
}
