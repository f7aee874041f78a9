package jkeras.trainers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jkeras.internal.Errors;

/**
 * Keras' {@code compile(optimizer, loss, metrics, loss_weights)} arguments, and tf-keras' {@code
 * steps_per_execution}.
 *
 * <pre>{@code
 * model.compile(CompileOptions.builder().optimizer("adam").loss("categorical_crossentropy")
 *     .metrics(List.of("accuracy")).build());
 * }</pre>
 */
public final class CompileOptions {
  /** Keras' default {@code optimizer}. */
  public static final String OPTIMIZER_DEFAULT = "rmsprop";

  /** tf-keras' and Keras 3's default {@code steps_per_execution}: one train step per execution. */
  public static final int STEPS_PER_EXECUTION_DEFAULT = 1;

  private final Object optimizer;
  private final Object loss;
  private final Object metrics;
  private final Object lossWeights;
  private final int stepsPerExecution;

  private CompileOptions(Builder b) {
    this.optimizer = b.optimizer;
    this.loss = b.loss;
    this.metrics = b.metrics;
    this.lossWeights = b.lossWeights;
    this.stepsPerExecution = b.stepsPerExecution;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A Keras name ({@code "adam"}), a config map ({@code {class_name, config}}) or an Optimizer. */
  public Object optimizer() {
    return optimizer;
  }

  /** A Keras name, a Loss, a list (one per output) or a map keyed by output name. */
  public Object loss() {
    return loss;
  }

  /** null, a list (for every output) or a map keyed by output name of lists. */
  public Object metrics() {
    return metrics;
  }

  /** null, a list (one per output) or a map keyed by output name. */
  public Object lossWeights() {
    return lossWeights;
  }

  /** tf-keras' {@code steps_per_execution}: train steps chained in one execution of {@code fit}. */
  public int stepsPerExecution() {
    return stepsPerExecution;
  }

  /**
   * The Keras keyword form: {@code optimizer}, {@code loss}, {@code metrics}, {@code loss_weights},
   * and tf-keras' {@code steps_per_execution}.
   */
  public static CompileOptions fromConfig(Map<String, ?> kwargs) {
    Errors.checkKeys(
        "compile",
        kwargs,
        List.of("optimizer", "loss", "metrics", "loss_weights", "steps_per_execution"));
    Builder b = builder();
    if (kwargs.containsKey("optimizer")) b.optimizer(kwargs.get("optimizer"));
    b.loss = kwargs.get("loss");
    b.metrics = kwargs.get("metrics");
    b.lossWeights = kwargs.get("loss_weights");
    Object spe = kwargs.get("steps_per_execution");
    if (spe != null) {
      if (!(spe instanceof Integer || spe instanceof Long)) {
        throw Errors.invalidArgument("steps_per_execution", "a positive integer", spe);
      }
      b.stepsPerExecution(((Number) spe).intValue());
    }
    return b.build();
  }

  /** Builds {@link CompileOptions}; every argument defaults as in Keras. */
  public static final class Builder {
    private Object optimizer = OPTIMIZER_DEFAULT;
    private Object loss;
    private Object metrics;
    private Object lossWeights;
    private int stepsPerExecution = STEPS_PER_EXECUTION_DEFAULT;

    /**
     * {@code optimizer} (Keras {@code optimizer}): a name, config map or Optimizer. Default
     * "rmsprop".
     */
    public Builder optimizer(Object optimizer) {
      this.optimizer = optimizer;
      return this;
    }

    /**
     * {@code loss} (Keras {@code loss}): a name, a Loss, a list per output or a map by output name.
     * Required.
     */
    public Builder loss(Object loss) {
      this.loss = loss;
      return this;
    }

    /**
     * {@code metrics} (Keras {@code metrics}): names or Metric objects, applied to every output.
     */
    public Builder metrics(List<?> metrics) {
      this.metrics = metrics == null ? null : new ArrayList<>(metrics);
      return this;
    }

    /** {@code metrics} per output name. */
    public Builder metrics(Map<String, ?> metrics) {
      this.metrics = metrics == null ? null : new LinkedHashMap<>(metrics);
      return this;
    }

    /**
     * {@code lossWeights} (Keras {@code loss_weights}): one per output, in output order. Default
     * all 1.
     */
    public Builder lossWeights(List<? extends Number> weights) {
      this.lossWeights = weights == null ? null : new ArrayList<>(weights);
      return this;
    }

    /** {@code lossWeights} by output name. */
    public Builder lossWeights(Map<String, ? extends Number> weights) {
      this.lossWeights = weights == null ? null : new LinkedHashMap<>(weights);
      return this;
    }

    /**
     * {@code stepsPerExecution} (tf-keras and Keras 3 {@code steps_per_execution}; Keras 2.3.1 has
     * none): how many train steps of {@code fit} run in one TensorFlow execution, each on its own
     * batch. Callbacks see one batch per execution ({@code on_train_batch_begin} with its first
     * step, {@code on_train_batch_end} with its last) and the progress bar moves once per
     * execution, as in tf-keras; {@code trainOnBatch}, evaluation and prediction run one step at a
     * time. Default 1.
     *
     * @throws IllegalArgumentException if it is not a positive integer
     */
    public Builder stepsPerExecution(int stepsPerExecution) {
      if (stepsPerExecution < 1) {
        throw Errors.invalidArgument("stepsPerExecution", "a positive integer", stepsPerExecution);
      }
      this.stepsPerExecution = stepsPerExecution;
      return this;
    }

    public CompileOptions build() {
      return new CompileOptions(this);
    }
  }
}
