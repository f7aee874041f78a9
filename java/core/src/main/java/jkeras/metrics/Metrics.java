package jkeras.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import jkeras.internal.Errors;
import jkeras.losses.BinaryCrossentropy;
import jkeras.losses.Loss;
import jkeras.losses.Losses;
import jkeras.losses.SparseCategoricalCrossentropy;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.index.Indices;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The Keras 2.3.1 metric functions ({@code keras.metrics.*}) and the resolution of the metric
 * identifiers given to {@code compile}.
 *
 * <p>Naming follows Keras 2.3.1 {@code training_utils.get_metric_name}: a metric given as a string
 * is reported under exactly that string ({@code "acc"} stays {@code "acc"}, {@code "mse"} stays
 * {@code "mse"}); a metric object under its own name.
 *
 * <p>The engine should resolve every compile metric with {@link #resolve(Object, Loss, long[])}:
 * {@code "accuracy"}, {@code "acc"}, {@code "crossentropy"} and {@code "ce"} depend on the loss and
 * the output shape, so {@link #get(String)} refuses them.
 */
public final class Metrics {
  private static final Set<String> ACCURACY = Set.of("accuracy", "acc");
  private static final Set<String> CROSSENTROPY = Set.of("crossentropy", "ce");

  // Functions of keras/metrics.py 2.3.1 (its own and those it imports from keras.losses), then
  // its aliases. Each factory takes the name the metric is reported under.
  private static final Map<String, Function<String, Metric>> REGISTRY = new LinkedHashMap<>();

  static {
    REGISTRY.put("binary_accuracy", BinaryAccuracy::new);
    REGISTRY.put("categorical_accuracy", CategoricalAccuracy::new);
    REGISTRY.put("sparse_categorical_accuracy", SparseCategoricalAccuracy::new);
    REGISTRY.put("top_k_categorical_accuracy", TopKCategoricalAccuracy::new);
    REGISTRY.put("sparse_top_k_categorical_accuracy", SparseTopKCategoricalAccuracy::new);
    REGISTRY.put("cosine_proximity", Metrics::cosine);
    for (String loss :
        List.of(
            "mean_squared_error",
            "mean_absolute_error",
            "mean_absolute_percentage_error",
            "mean_squared_logarithmic_error",
            "hinge",
            "logcosh",
            "squared_hinge",
            "categorical_hinge",
            "categorical_crossentropy",
            "sparse_categorical_crossentropy",
            "binary_crossentropy",
            "kullback_leibler_divergence",
            "poisson")) {
      REGISTRY.put(loss, name -> fromLoss(name, Losses.get(loss)));
    }
    for (String alias : List.of("mse", "MSE", "mae", "MAE", "mape", "MAPE", "msle", "MSLE")) {
      REGISTRY.put(alias, name -> fromLoss(name, Losses.get(alias)));
    }
    REGISTRY.put("cosine", Metrics::cosine);
    REGISTRY.put("cosine_similarity", Metrics::cosine);
  }

  private Metrics() {}

  // ---------------------------------------------------------------- registry

  /**
   * The metric for a Keras identifier, named exactly {@code identifier}.
   *
   * @throws IllegalArgumentException for {@code "accuracy"}, {@code "acc"}, {@code "crossentropy"}
   *     and {@code "ce"} (use {@link #resolve}), and for unknown identifiers, listing the valid
   *     ones
   */
  public static Metric get(String identifier) {
    if (identifier != null
        && (ACCURACY.contains(identifier) || CROSSENTROPY.contains(identifier))) {
      throw new IllegalArgumentException(
          "Metric `"
              + identifier
              + "` depends on the loss and the output shape: use "
              + "Metrics.resolve(\""
              + identifier
              + "\", loss, outputShape).");
    }
    Function<String, Metric> f = identifier == null ? null : REGISTRY.get(identifier);
    if (f == null && jkeras.utils.CustomObjects.get(identifier) instanceof Metric custom)
      return custom;
    if (f == null) {
      throw Errors.unknownIdentifier("metric function", identifier, names());
    }
    return f.apply(identifier);
  }

  /**
   * {@link #get(String)} for a string; a {@link Metric} as is; a {@link Loss} as the mean of its
   * per-sample values, named after the loss.
   *
   * @throws IllegalArgumentException for anything else
   */
  public static Metric get(Object identifier) {
    if (identifier instanceof Metric m) {
      return m;
    }
    if (identifier instanceof String s) {
      return get(s);
    }
    if (identifier instanceof Loss loss) {
      return fromLoss(loss.name(), loss);
    }
    if (identifier instanceof MetricFunction) {
      throw new IllegalArgumentException(
          "A MetricFunction has no name: wrap it with Metrics.custom(name, fn).");
    }
    throw new IllegalArgumentException(
        "Could not interpret metric function identifier: " + Errors.truncate(identifier));
  }

  /**
   * Every identifier {@code compile} accepts: {@code accuracy, acc, crossentropy, ce}, then those
   * of {@link #get(String)}.
   */
  public static List<String> names() {
    List<String> names = new ArrayList<>(List.of("accuracy", "acc", "crossentropy", "ce"));
    names.addAll(REGISTRY.keySet());
    return List.copyOf(names);
  }

  /** A user metric reported as {@code name}, the mean of {@code fn}'s per-sample values. */
  public static Metric custom(String name, MetricFunction fn) {
    return new MeanMetricWrapper(name, fn);
  }

  /** A loss used as a metric: the mean of its per-sample values, reported as {@code name}. */
  public static Metric fromLoss(String name, Loss loss) {
    return new MeanMetricWrapper(name, loss::call);
  }

  /**
   * What Keras 2.3.1 {@code compile} makes of one metric ({@code
   * training_utils.get_metric_function} plus {@code get_metric_name}): {@code "accuracy"}/{@code
   * "acc"} through {@link #resolveAccuracy}, {@code "crossentropy"}/{@code "ce"} through {@link
   * #resolveCrossentropy}, anything else through {@link #get(Object)}.
   *
   * @param metric a string identifier, a {@link Metric} or a {@link Loss}
   * @param loss the loss of the output the metric is computed for (may be {@code null})
   * @param outputShape that output's shape, batch first ({@code -1} for unknown dimensions)
   */
  public static Metric resolve(Object metric, Loss loss, long[] outputShape) {
    if (metric instanceof String s) {
      if (ACCURACY.contains(s)) {
        return resolveAccuracy(s, loss, outputShape);
      }
      if (CROSSENTROPY.contains(s)) {
        return resolveCrossentropy(s, loss, outputShape);
      }
    }
    return get(metric);
  }

  /**
   * Keras 2.3.1's choice for {@code "accuracy"}/{@code "acc"}: {@code binary_accuracy} if the
   * output's last dimension is 1 or the loss is binary cross-entropy; else {@code
   * sparse_categorical_accuracy} if the loss is sparse categorical cross-entropy; else {@code
   * categorical_accuracy}. The metric is named {@code nameAsGiven}.
   */
  public static Metric resolveAccuracy(String nameAsGiven, Loss loss, long[] outputShape) {
    switch (kind(loss, outputShape)) {
      case BINARY:
        return new BinaryAccuracy(nameAsGiven);
      case SPARSE:
        return new SparseCategoricalAccuracy(nameAsGiven);
      default:
        return new CategoricalAccuracy(nameAsGiven);
    }
  }

  /**
   * Keras 2.3.1's choice for {@code "crossentropy"}/{@code "ce"}, by the same rule as {@link
   * #resolveAccuracy}: binary, sparse categorical or categorical cross-entropy with Keras' default
   * arguments (probabilities, no label smoothing), whatever the loss' own arguments are.
   */
  public static Metric resolveCrossentropy(String nameAsGiven, Loss loss, long[] outputShape) {
    switch (kind(loss, outputShape)) {
      case BINARY:
        return custom(
            nameAsGiven,
            (tf, yTrue, yPred) -> Losses.binaryCrossentropy(tf, yTrue, yPred, false, 0f));
      case SPARSE:
        return custom(
            nameAsGiven,
            (tf, yTrue, yPred) -> Losses.sparseCategoricalCrossentropy(tf, yTrue, yPred, false));
      default:
        return custom(
            nameAsGiven,
            (tf, yTrue, yPred) -> Losses.categoricalCrossentropy(tf, yTrue, yPred, false, 0f));
    }
  }

  private enum Kind {
    BINARY,
    SPARSE,
    CATEGORICAL
  }

  // keras/engine/training_utils.py get_metric_function (2.3.1): last dim 1 wins over the loss.
  private static Kind kind(Loss loss, long[] outputShape) {
    if (outputShape == null || outputShape.length == 0) {
      throw Errors.invalidArgument("outputShape", "the output's shape, batch first", outputShape);
    }
    if (outputShape[outputShape.length - 1] == 1 || loss instanceof BinaryCrossentropy) {
      return Kind.BINARY;
    }
    if (loss instanceof SparseCategoricalCrossentropy) {
      return Kind.SPARSE;
    }
    return Kind.CATEGORICAL;
  }

  private static Metric cosine(String name) {
    return custom(name, (tf, yTrue, yPred) -> cosineProximity(tf, yTrue, yPred.value()));
  }

  // ---------------------------------------------------------------- metric functions

  /** Keras {@code accuracy}: 1 where {@code yTrue == yPred} exactly, else 0 (element-wise). */
  public static Operand<TFloat32> accuracy(
      Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    return tf.dtypes.cast(tf.math.equal(yTrue, yPred), TFloat32.class);
  }

  /**
   * Keras {@code binary_accuracy}: the mean over the last axis of {@code yTrue == round(yPred)}.
   * With the default threshold 0.5, Keras 2.3.1 rounds half to even, so 0.5 counts as 0 and values
   * outside [0, 1] round to other integers (2.0 is not 1); another threshold first maps {@code
   * yPred} to {@code yPred > threshold}.
   */
  public static Operand<TFloat32> binaryAccuracy(
      Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred, float threshold) {
    Operand<TFloat32> p = yPred;
    if (threshold != 0.5f) {
      p = tf.dtypes.cast(tf.math.greater(p, tf.constant(threshold)), TFloat32.class);
    }
    Operand<TFloat32> hits = tf.dtypes.cast(tf.math.equal(yTrue, tf.math.round(p)), TFloat32.class);
    return tf.math.mean(hits, tf.constant(-1));
  }

  /**
   * Keras {@code categorical_accuracy}: 1 where {@code argmax(yTrue) == argmax(yPred)} (last axis).
   */
  public static Operand<TFloat32> categoricalAccuracy(
      Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    return tf.dtypes.cast(
        tf.math.equal(
            tf.math.argMax(yTrue, tf.constant(-1)), tf.math.argMax(yPred, tf.constant(-1))),
        TFloat32.class);
  }

  /**
   * Keras {@code sparse_categorical_accuracy}: 1 where the float class id {@code yTrue} ({@code
   * [batch]} or {@code [batch, 1]}) equals {@code argmax(yPred)}.
   */
  public static Operand<TFloat32> sparseCategoricalAccuracy(
      Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    Operand<TFloat32> predicted =
        tf.dtypes.cast(tf.math.argMax(yPred, tf.constant(-1)), TFloat32.class);
    // Keras squeezes a trailing 1; flattening both sides is the same without needing static ranks.
    Operand<TFloat32> hits =
        tf.dtypes.cast(tf.math.equal(flatten(tf, yTrue), flatten(tf, predicted)), TFloat32.class);
    return tf.reshape(hits, tf.stridedSlice(tf.shape(yPred), Indices.sliceTo(-1)));
  }

  /**
   * Keras {@code top_k_categorical_accuracy}: 1 where the class {@code argmax(yTrue)} is among the
   * {@code k} largest predictions ({@code tf.nn.in_top_k}: ties at the boundary count as in, a
   * non-finite prediction row as out).
   */
  public static Operand<TFloat32> topKCategoricalAccuracy(
      Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred, int k) {
    Operand<TInt32> targets = tf.math.argMax(yTrue, tf.constant(-1), TInt32.class);
    return inTopK(tf, yPred, targets, k);
  }

  /**
   * Keras {@code sparse_top_k_categorical_accuracy}: {@link #topKCategoricalAccuracy} with float
   * class ids ({@code [batch]} or {@code [batch, 1]}), truncated to integers.
   */
  public static Operand<TFloat32> sparseTopKCategoricalAccuracy(
      Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred, int k) {
    return inTopK(tf, yPred, tf.dtypes.cast(yTrue, TInt32.class), k);
  }

  /**
   * Keras 2.3.1 metric {@code cosine_proximity} (aliases {@code cosine}, {@code
   * cosine_similarity}): {@code sum(l2_normalize(yTrue) * l2_normalize(yPred), -1)}. Unlike the
   * loss of the same name it is positive (1 for aligned vectors), as is tf-keras' {@code
   * cosine_similarity} metric.
   */
  public static Operand<TFloat32> cosineProximity(
      Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    return tf.math.neg(Losses.cosineProximity(tf, yTrue, yPred));
  }

  private static Operand<TFloat32> inTopK(
      Ops tf, Operand<TFloat32> yPred, Operand<TInt32> targets, int k) {
    Operand<TInt32> shape = tf.shape(yPred);
    Operand<TInt32> flatShape =
        tf.concat(
            List.of(tf.constant(new int[] {-1}), tf.stridedSlice(shape, Indices.sliceFrom(-1))),
            tf.constant(0));
    Operand<TFloat32> hits =
        tf.dtypes.cast(
            tf.nn.inTopK(tf.reshape(yPred, flatShape), flatten(tf, targets), tf.constant(k)),
            TFloat32.class);
    return tf.reshape(hits, tf.stridedSlice(shape, Indices.sliceTo(-1)));
  }

  private static <T extends org.tensorflow.types.family.TType> Operand<T> flatten(
      Ops tf, Operand<T> x) {
    return tf.reshape(x, tf.constant(new int[] {-1}));
  }
}
