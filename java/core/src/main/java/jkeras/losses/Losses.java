package jkeras.losses;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import jkeras.backend.Prediction;
import jkeras.internal.Errors;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.index.Indices;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The Keras 2.3.1 loss functions ({@code keras.losses.*}) and the registry of their string
 * identifiers.
 *
 * <p>Every function returns per-sample values (Keras reduces the last axis). The formulas follow
 * {@code keras/losses.py} and the TensorFlow backend of Keras 2.3.1 (which delegates to {@code
 * tf.keras.backend}): probabilities are clipped to {@code [EPSILON, 1 - EPSILON]}, and a
 * cross-entropy whose output came from a softmax (categorical, sparse) or sigmoid (binary) is
 * computed from that activation's logits, as Keras does when {@code output.op.type} is {@code
 * Softmax}/{@code Sigmoid}.
 *
 * <p>Sparse categorical cross-entropy is written as one-hot labels plus {@code
 * SoftmaxCrossEntropyWithLogits}, because {@code SparseSoftmaxCrossEntropyWithLogits} has no
 * gradient in TF Java. The values are the same.
 */
public final class Losses {
  /** Keras' fuzz factor {@code K.epsilon()}, {@code 1e-7}. */
  public static final float EPSILON = 1e-7f;

  // keras/losses.py module names that deserialize to a function, in source order, then aliases.
  private static final Map<String, Supplier<Loss>> REGISTRY = new LinkedHashMap<>();

  static {
    REGISTRY.put("mean_squared_error", MeanSquaredError::new);
    REGISTRY.put("mean_absolute_error", MeanAbsoluteError::new);
    REGISTRY.put("mean_absolute_percentage_error", MeanAbsolutePercentageError::new);
    REGISTRY.put("mean_squared_logarithmic_error", MeanSquaredLogarithmicError::new);
    REGISTRY.put("squared_hinge", SquaredHinge::new);
    REGISTRY.put("hinge", Hinge::new);
    REGISTRY.put("categorical_hinge", CategoricalHinge::new);
    REGISTRY.put("logcosh", LogCosh::new);
    REGISTRY.put("huber_loss", Huber::new);
    REGISTRY.put("categorical_crossentropy", CategoricalCrossentropy::new);
    REGISTRY.put("sparse_categorical_crossentropy", SparseCategoricalCrossentropy::new);
    REGISTRY.put("binary_crossentropy", BinaryCrossentropy::new);
    REGISTRY.put("kullback_leibler_divergence", KLDivergence::new);
    REGISTRY.put("poisson", Poisson::new);
    REGISTRY.put("cosine_proximity", Losses::cosineProximityLoss);
    REGISTRY.put("mse", MeanSquaredError::new);
    REGISTRY.put("MSE", MeanSquaredError::new);
    REGISTRY.put("mae", MeanAbsoluteError::new);
    REGISTRY.put("MAE", MeanAbsoluteError::new);
    REGISTRY.put("mape", MeanAbsolutePercentageError::new);
    REGISTRY.put("MAPE", MeanAbsolutePercentageError::new);
    REGISTRY.put("msle", MeanSquaredLogarithmicError::new);
    REGISTRY.put("MSLE", MeanSquaredLogarithmicError::new);
    REGISTRY.put("kld", KLDivergence::new);
    REGISTRY.put("KLD", KLDivergence::new);
    REGISTRY.put("cosine", Losses::cosineProximityLoss);
    REGISTRY.put("cosine_similarity", Losses::cosineProximityLoss);
  }

  private Losses() {}

  // ---------------------------------------------------------------- registry

  /**
   * The loss for a Keras identifier or alias, e.g. {@code "mse"} or {@code "binary_crossentropy"}.
   * As in Keras' {@code compile}, the loss is named after the function, not the alias: {@code
   * get("mse").name()} is {@code "mean_squared_error"}.
   *
   * @throws IllegalArgumentException for an unknown identifier, listing the valid ones
   */
  public static Loss get(String identifier) {
    Supplier<Loss> s = identifier == null ? null : REGISTRY.get(identifier);
    if (s == null && jkeras.utils.CustomObjects.get(identifier) instanceof Loss custom)
      return custom;
    if (s == null) {
      throw Errors.unknownIdentifier("loss function", identifier, names());
    }
    return s.get();
  }

  /**
   * {@link #get(String)} for a string; a {@link Loss} is returned as is; {@code null} gives {@code
   * null} (Keras {@code losses.get(None)}).
   *
   * @throws IllegalArgumentException for anything else
   */
  public static Loss get(Object identifier) {
    if (identifier == null) {
      return null;
    }
    if (identifier instanceof Loss loss) {
      return loss;
    }
    if (identifier instanceof String s) {
      return get(s);
    }
    if (identifier instanceof Map<?, ?> m) {
      return deserialize(m);
    }
    if (identifier instanceof LossFunction) {
      throw new IllegalArgumentException(
          "A LossFunction has no name: wrap it with Losses.custom(name, fn).");
    }
    throw new IllegalArgumentException(
        "Could not interpret loss function identifier: " + Errors.truncate(identifier));
  }

  private static final Map<String, java.util.function.Function<Map<String, ?>, Loss>> CLASSES =
      new LinkedHashMap<>();

  static {
    CLASSES.put("MeanSquaredError", MeanSquaredError::fromConfig);
    CLASSES.put("MeanAbsoluteError", MeanAbsoluteError::fromConfig);
    CLASSES.put("MeanAbsolutePercentageError", MeanAbsolutePercentageError::fromConfig);
    CLASSES.put("MeanSquaredLogarithmicError", MeanSquaredLogarithmicError::fromConfig);
    CLASSES.put("SquaredHinge", SquaredHinge::fromConfig);
    CLASSES.put("Hinge", Hinge::fromConfig);
    CLASSES.put("CategoricalHinge", CategoricalHinge::fromConfig);
    CLASSES.put("LogCosh", LogCosh::fromConfig);
    CLASSES.put("Huber", Huber::fromConfig);
    CLASSES.put("CategoricalCrossentropy", CategoricalCrossentropy::fromConfig);
    CLASSES.put("SparseCategoricalCrossentropy", SparseCategoricalCrossentropy::fromConfig);
    CLASSES.put("BinaryCrossentropy", BinaryCrossentropy::fromConfig);
    CLASSES.put("KLDivergence", KLDivergence::fromConfig);
    CLASSES.put("Poisson", Poisson::fromConfig);
    CLASSES.put("CosineSimilarity", CosineSimilarity::fromConfig);
  }

  /**
   * Keras {@code losses.deserialize}: a loss object's {@code {"class_name", "config"}} (Keras' loss
   * classes, or a {@link Loss} registered as a custom object under the class name).
   *
   * @throws IllegalArgumentException for an unknown class, listing the known ones
   */
  public static Loss deserialize(Map<?, ?> serialized) {
    Object cls = serialized.get("class_name");
    Object config = serialized.get("config");
    if (!(cls instanceof String name)) {
      throw Errors.invalidArgument("class_name", "a loss class name", cls);
    }
    if (jkeras.utils.CustomObjects.get(name) instanceof Loss custom) return custom;
    java.util.function.Function<Map<String, ?>, Loss> f = CLASSES.get(name);
    if (f == null) {
      if (REGISTRY.containsKey(name)) return get(name);
      throw Errors.unknownIdentifier("loss class", name, List.copyOf(CLASSES.keySet()));
    }
    @SuppressWarnings("unchecked")
    Map<String, ?> c = config instanceof Map<?, ?> m ? (Map<String, ?>) m : Map.of();
    return f.apply(c);
  }

  /** Every identifier {@link #get(String)} accepts, in Keras' order (functions, then aliases). */
  public static List<String> names() {
    return List.copyOf(REGISTRY.keySet());
  }

  /**
   * A user loss: {@code fn} gives per-sample losses and {@code name} is what Keras would take from
   * the function's {@code __name__}.
   */
  public static Loss custom(String name, LossFunction fn) {
    return new LossFunctionWrapper(name, fn);
  }

  private static Loss cosineProximityLoss() {
    return new LossFunctionWrapper(
        "cosine_proximity", (tf, yTrue, yPred) -> cosineProximity(tf, yTrue, yPred.value()));
  }

  // ---------------------------------------------------------------- regression losses

  /** Keras {@code mean_squared_error}: {@code mean(square(yPred - yTrue), -1)}. */
  public static Operand<TFloat32> meanSquaredError(
      Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    return meanLast(tf, tf.math.square(tf.math.sub(yPred, yTrue)));
  }

  /** Keras {@code mean_absolute_error}: {@code mean(abs(yPred - yTrue), -1)}. */
  public static Operand<TFloat32> meanAbsoluteError(
      Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    return meanLast(tf, tf.math.abs(tf.math.sub(yPred, yTrue)));
  }

  /**
   * Keras {@code mean_absolute_percentage_error}: {@code 100 * mean(abs((yTrue - yPred) /
   * clip(abs(yTrue), EPSILON, inf)), -1)}.
   */
  public static Operand<TFloat32> meanAbsolutePercentageError(
      Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    Operand<TFloat32> denom = tf.math.maximum(tf.math.abs(yTrue), tf.constant(EPSILON));
    Operand<TFloat32> diff = tf.math.abs(tf.math.div(tf.math.sub(yTrue, yPred), denom));
    return tf.math.mul(tf.constant(100f), meanLast(tf, diff));
  }

  /**
   * Keras {@code mean_squared_logarithmic_error}: {@code mean(square(log(max(yPred, EPSILON) + 1) -
   * log(max(yTrue, EPSILON) + 1)), -1)}.
   */
  public static Operand<TFloat32> meanSquaredLogarithmicError(
      Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    Operand<TFloat32> eps = tf.constant(EPSILON);
    Operand<TFloat32> one = tf.constant(1f);
    Operand<TFloat32> first = tf.math.log(tf.math.add(tf.math.maximum(yPred, eps), one));
    Operand<TFloat32> second = tf.math.log(tf.math.add(tf.math.maximum(yTrue, eps), one));
    return meanLast(tf, tf.math.square(tf.math.sub(first, second)));
  }

  /**
   * Keras {@code logcosh}: {@code mean(x + softplus(-2x) - log(2), -1)} with {@code x = yPred -
   * yTrue}, a form of {@code log(cosh(x))} that does not overflow.
   */
  public static Operand<TFloat32> logcosh(
      Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    Operand<TFloat32> x = tf.math.sub(yPred, yTrue);
    Operand<TFloat32> v =
        tf.math.sub(
            tf.math.add(x, tf.math.softplus(tf.math.mul(tf.constant(-2f), x))),
            tf.constant((float) Math.log(2.0)));
    return meanLast(tf, v);
  }

  /**
   * Keras {@code huber_loss}: {@code 0.5 * q^2 + delta * (|e| - q)} with {@code e = yPred - yTrue}
   * and {@code q = min(|e|, delta)}, averaged over the last axis.
   *
   * <p>Keras 2.3.1 returns the element-wise values and lets the {@code SUM_OVER_BATCH_SIZE}
   * reduction average them; tf-keras averages the last axis first, as done here. The reduced loss
   * is the same either way.
   */
  public static Operand<TFloat32> huber(
      Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred, float delta) {
    Operand<TFloat32> absError = tf.math.abs(tf.math.sub(yPred, yTrue));
    Operand<TFloat32> d = tf.constant(delta);
    Operand<TFloat32> quadratic = tf.math.minimum(absError, d);
    Operand<TFloat32> linear = tf.math.sub(absError, quadratic);
    Operand<TFloat32> v =
        tf.math.add(
            tf.math.mul(tf.constant(0.5f), tf.math.square(quadratic)), tf.math.mul(d, linear));
    return meanLast(tf, v);
  }

  // ---------------------------------------------------------------- hinge losses

  /**
   * Keras {@code hinge}: {@code mean(max(1 - yTrue * yPred, 0), -1)}; labels that are all 0 or 1
   * are first mapped to -1/1.
   */
  public static Operand<TFloat32> hinge(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    Operand<TFloat32> y = maybeConvertLabels(tf, yTrue);
    return meanLast(tf, hingeTerm(tf, y, yPred));
  }

  /**
   * Keras {@code squared_hinge}: {@code mean(square(max(1 - yTrue * yPred, 0)), -1)}, 0/1 labels to
   * -1/1.
   */
  public static Operand<TFloat32> squaredHinge(
      Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    Operand<TFloat32> y = maybeConvertLabels(tf, yTrue);
    return meanLast(tf, tf.math.square(hingeTerm(tf, y, yPred)));
  }

  /**
   * Keras {@code categorical_hinge}: {@code max(0, max((1 - yTrue) * yPred) - sum(yTrue * yPred) +
   * 1)} over the last axis.
   */
  public static Operand<TFloat32> categoricalHinge(
      Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    Operand<TFloat32> pos = tf.reduceSum(tf.math.mul(yTrue, yPred), tf.constant(-1));
    Operand<TFloat32> neg =
        tf.reduceMax(tf.math.mul(tf.math.sub(tf.constant(1f), yTrue), yPred), tf.constant(-1));
    return tf.math.maximum(tf.constant(0f), tf.math.add(tf.math.sub(neg, pos), tf.constant(1f)));
  }

  private static Operand<TFloat32> hingeTerm(Ops tf, Operand<TFloat32> y, Operand<TFloat32> yPred) {
    return tf.math.maximum(tf.math.sub(tf.constant(1f), tf.math.mul(y, yPred)), tf.constant(0f));
  }

  // Keras _maybe_convert_labels: if every label of the batch is 0 or 1, use 2y - 1.
  private static Operand<TFloat32> maybeConvertLabels(Ops tf, Operand<TFloat32> yTrue) {
    Operand<TBool> zeroOrOne =
        tf.math.logicalOr(
            tf.math.equal(yTrue, tf.constant(0f)), tf.math.equal(yTrue, tf.constant(1f)));
    Operand<TBool> isBinary =
        tf.reduceAll(zeroOrOne, tf.range(tf.constant(0), tf.rank(yTrue), tf.constant(1)));
    Operand<TFloat32> converted = tf.math.sub(tf.math.mul(tf.constant(2f), yTrue), tf.constant(1f));
    return tf.select(isBinary, converted, yTrue);
  }

  // ---------------------------------------------------------------- probabilistic losses

  /**
   * Keras {@code binary_crossentropy(y_true, y_pred, from_logits, label_smoothing)}, averaged over
   * the last axis.
   *
   * <p>Labels are smoothed to {@code y * (1 - s) + 0.5 * s} when {@code labelSmoothing > 0}. With
   * {@code fromLogits}, {@code yPred.value()} is taken as logits. Otherwise, if the output came
   * from a sigmoid, its logits are used; else the probabilities are clipped to {@code [EPSILON, 1 -
   * EPSILON]} and the loss is {@code -(y log(p + EPSILON) + (1 - y) log(1 - p + EPSILON))}.
   */
  public static Operand<TFloat32> binaryCrossentropy(
      Ops tf, Operand<TFloat32> yTrue, Prediction yPred, boolean fromLogits, float labelSmoothing) {
    Operand<TFloat32> y = yTrue;
    if (labelSmoothing > 0) {
      y =
          tf.math.add(
              tf.math.mul(y, tf.constant(1f - labelSmoothing)), tf.constant(0.5f * labelSmoothing));
    }
    Operand<TFloat32> bce;
    if (fromLogits) {
      bce = sigmoidCrossEntropyWithLogits(tf, y, yPred.value());
    } else if (yPred.hasSigmoidLogits()) {
      bce = sigmoidCrossEntropyWithLogits(tf, y, yPred.logits());
    } else {
      Operand<TFloat32> eps = tf.constant(EPSILON);
      Operand<TFloat32> one = tf.constant(1f);
      Operand<TFloat32> p = clipProbabilities(tf, yPred.value());
      Operand<TFloat32> pos = tf.math.mul(y, tf.math.log(tf.math.add(p, eps)));
      Operand<TFloat32> neg =
          tf.math.mul(tf.math.sub(one, y), tf.math.log(tf.math.add(tf.math.sub(one, p), eps)));
      bce = tf.math.neg(tf.math.add(pos, neg));
    }
    return meanLast(tf, bce);
  }

  /**
   * Keras {@code categorical_crossentropy(y_true, y_pred, from_logits, label_smoothing)} over the
   * last axis.
   *
   * <p>Labels are smoothed to {@code y * (1 - s) + s / numClasses} when {@code labelSmoothing > 0}.
   * With {@code fromLogits}, {@code yPred.value()} is taken as logits. Otherwise, if the output
   * came from a softmax, its logits are used; else the probabilities are rescaled to sum to 1,
   * clipped to {@code [EPSILON, 1 - EPSILON]}, and the loss is {@code -sum(y * log(p))}.
   */
  public static Operand<TFloat32> categoricalCrossentropy(
      Ops tf, Operand<TFloat32> yTrue, Prediction yPred, boolean fromLogits, float labelSmoothing) {
    Operand<TFloat32> y = yTrue;
    if (labelSmoothing > 0) {
      Operand<TFloat32> numClasses = tf.dtypes.cast(lastDim(tf, yTrue), TFloat32.class);
      y =
          tf.math.add(
              tf.math.mul(y, tf.constant(1f - labelSmoothing)),
              tf.math.div(tf.constant(labelSmoothing), numClasses));
    }
    if (fromLogits) {
      return softmaxCrossEntropyWithLogits(tf, y, yPred.value());
    }
    if (yPred.hasSoftmaxLogits()) {
      return softmaxCrossEntropyWithLogits(tf, y, yPred.logits());
    }
    Operand<TFloat32> p = yPred.value();
    p = tf.math.div(p, tf.reduceSum(p, tf.constant(-1), ReduceSum.keepDims(true)));
    p = clipProbabilities(tf, p);
    return tf.math.neg(tf.reduceSum(tf.math.mul(y, tf.math.log(p)), tf.constant(-1)));
  }

  /**
   * Keras {@code sparse_categorical_crossentropy(y_true, y_pred, from_logits)}. {@code yTrue} holds
   * float class ids, shaped like the output without its last axis, or with a last axis of 1.
   *
   * <p>With {@code fromLogits}, {@code yPred.value()} is taken as logits; otherwise the softmax's
   * logits when there are some, else {@code log(clip(p, EPSILON, 1 - EPSILON))} (the clipped
   * probabilities are not rescaled first, so the softmax of their log renormalises them, as in
   * Keras). Class ids are truncated to integers, as Keras' cast to int64 does; an id outside {@code
   * [0, numClasses)} fails the run with TensorFlow's sparse op's message, as in Keras.
   */
  public static Operand<TFloat32> sparseCategoricalCrossentropy(
      Ops tf, Operand<TFloat32> yTrue, Prediction yPred, boolean fromLogits) {
    Operand<TFloat32> logits;
    if (fromLogits) {
      logits = yPred.value();
    } else if (yPred.hasSoftmaxLogits()) {
      logits = yPred.logits();
    } else {
      logits = tf.math.log(clipProbabilities(tf, yPred.value()));
    }
    Operand<TInt32> labels =
        tf.dtypes.cast(tf.reshape(yTrue, tf.constant(new int[] {-1})), TInt32.class);
    // TensorFlow's sparse kernel, as Keras' backend uses: the dense kernel's loss and gradient on
    // one-hot labels, bit for bit, with the range check inside ("Received a label value of 3
    // which is outside the valid range of [0, 3)") instead of ops of its own in every step.
    registerSparseXentGradient();
    Operand<TFloat32> flatLogits = tf.reshape(logits, flatShape(tf, logits));
    Operand<TFloat32> loss = tf.nn.sparseSoftmaxCrossEntropyWithLogits(flatLogits, labels).loss();
    return tf.reshape(loss, leadingDims(tf, logits));
  }

  private static boolean sparseXentGradient;

  /**
   * TensorFlow's C++ gradient registry (graph-mode gradients) has none for {@code
   * SparseSoftmaxCrossEntropyWithLogits}; Python's: the incoming gradient times the op's backprop
   * output ({@code softmax - one_hot}), as the dense op's C++ gradient computes it; the labels get
   * none (zeros, never used). Registered once per process.
   */
  private static synchronized void registerSparseXentGradient() {
    if (sparseXentGradient) return;
    sparseXentGradient = true;
    org.tensorflow.TensorFlow.registerCustomGradient(
        org.tensorflow.op.nn.SparseSoftmaxCrossEntropyWithLogits.OP_NAME,
        (tf, op, grads) -> {
          @SuppressWarnings("unchecked")
          Operand<TFloat32> grad = (Operand<TFloat32>) grads.get(0);
          @SuppressWarnings("unchecked")
          Operand<TFloat32> backprop = (Operand<TFloat32>) (Operand<?>) op.output(1);
          return List.of(
              tf.math.mul(tf.expandDims(grad, tf.constant(-1)), backprop),
              tf.zerosLike(op.input(1)));
        });
  }

  /**
   * Keras {@code kullback_leibler_divergence}: {@code sum(y * log(y / p), -1)} with both clipped to
   * {@code [EPSILON, 1]}.
   */
  public static Operand<TFloat32> kullbackLeiblerDivergence(
      Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    Operand<TFloat32> eps = tf.constant(EPSILON);
    Operand<TFloat32> one = tf.constant(1f);
    Operand<TFloat32> y = tf.clipByValue(yTrue, eps, one);
    Operand<TFloat32> p = tf.clipByValue(yPred, eps, one);
    return tf.reduceSum(tf.math.mul(y, tf.math.log(tf.math.div(y, p))), tf.constant(-1));
  }

  /** Keras {@code poisson}: {@code mean(yPred - yTrue * log(yPred + EPSILON), -1)}. */
  public static Operand<TFloat32> poisson(
      Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    Operand<TFloat32> v =
        tf.math.sub(
            yPred, tf.math.mul(yTrue, tf.math.log(tf.math.add(yPred, tf.constant(EPSILON)))));
    return meanLast(tf, v);
  }

  /**
   * Keras 2.3.1 loss {@code cosine_proximity} (aliases {@code cosine}, {@code cosine_similarity}):
   * {@code -sum(l2_normalize(yTrue) * l2_normalize(yPred), -1)}, so perfectly aligned vectors give
   * -1. tf-keras 2.18's loss {@code cosine_similarity} is the same negative value; the
   * <em>metrics</em> of that name are positive in both (see {@code Metrics.cosineProximity}).
   */
  public static Operand<TFloat32> cosineProximity(
      Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    Operand<TFloat32> prod = tf.math.mul(l2Normalize(tf, yTrue), l2Normalize(tf, yPred));
    return tf.math.neg(tf.reduceSum(prod, tf.constant(-1)));
  }

  // ---------------------------------------------------------------- helpers shared with metrics

  /**
   * {@code tf.nn.l2_normalize(x, axis=-1)}: {@code x * rsqrt(max(sum(x^2, -1), 1e-12))}, the
   * composite TensorFlow's Python builds (TF Java has no such op).
   */
  public static Operand<TFloat32> l2Normalize(Ops tf, Operand<TFloat32> x) {
    Operand<TFloat32> squareSum =
        tf.reduceSum(tf.math.square(x), tf.constant(-1), ReduceSum.keepDims(true));
    return tf.math.mul(x, tf.math.rsqrt(tf.math.maximum(squareSum, tf.constant(1e-12f))));
  }

  /**
   * {@code tf.nn.sigmoid_cross_entropy_with_logits}: {@code max(x, 0) - x * z + log1p(exp(-|x|))},
   * written with selects like TensorFlow's Python so the gradient matches.
   */
  public static Operand<TFloat32> sigmoidCrossEntropyWithLogits(
      Ops tf, Operand<TFloat32> labels, Operand<TFloat32> logits) {
    Operand<TBool> cond = tf.math.greaterEqual(logits, tf.zerosLike(logits));
    Operand<TFloat32> reluLogits = tf.select(cond, logits, tf.zerosLike(logits));
    Operand<TFloat32> negAbsLogits = tf.select(cond, tf.math.neg(logits), logits);
    return tf.math.add(
        tf.math.sub(reluLogits, tf.math.mul(logits, labels)),
        tf.math.log1p(tf.math.exp(negAbsLogits)));
  }

  /**
   * {@code tf.nn.softmax_cross_entropy_with_logits} over the last axis of any rank: inputs of rank
   * other than 2 are flattened to {@code [-1, classes]} and the result is reshaped back, as
   * TensorFlow's Python wrapper does.
   */
  public static Operand<TFloat32> softmaxCrossEntropyWithLogits(
      Ops tf, Operand<TFloat32> labels, Operand<TFloat32> logits) {
    if (logits.shape().numDimensions() == 2) {
      return tf.nn.softmaxCrossEntropyWithLogits(logits, labels).loss();
    }
    Operand<TInt32> flat = flatShape(tf, logits);
    Operand<TFloat32> loss =
        tf.nn
            .softmaxCrossEntropyWithLogits(tf.reshape(logits, flat), tf.reshape(labels, flat))
            .loss();
    return tf.reshape(loss, leadingDims(tf, logits));
  }

  static Operand<TFloat32> meanLast(Ops tf, Operand<TFloat32> x) {
    return tf.math.mean(x, tf.constant(-1));
  }

  static Operand<TFloat32> clipProbabilities(Ops tf, Operand<TFloat32> p) {
    return tf.clipByValue(p, tf.constant(EPSILON), tf.constant(1f - EPSILON));
  }

  /** {@code tf.shape(x)[-1]} as a scalar. */
  static Operand<TInt32> lastDim(Ops tf, Operand<?> x) {
    return tf.stridedSlice(tf.shape(x), Indices.at(-1));
  }

  /** {@code tf.shape(x)[:-1]}. */
  static Operand<TInt32> leadingDims(Ops tf, Operand<?> x) {
    return tf.stridedSlice(tf.shape(x), Indices.sliceTo(-1));
  }

  /** {@code [-1, tf.shape(x)[-1]]}. */
  static Operand<TInt32> flatShape(Ops tf, Operand<?> x) {
    return tf.concat(
        List.of(tf.constant(new int[] {-1}), tf.stridedSlice(tf.shape(x), Indices.sliceFrom(-1))),
        tf.constant(0));
  }
}
