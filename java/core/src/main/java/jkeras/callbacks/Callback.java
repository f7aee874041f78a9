package jkeras.callbacks;

import java.util.Map;
import jkeras.models.Model;

/**
 * Base class of the callbacks (Keras 2.3.1 {@code keras.callbacks.Callback}): every hook is a
 * no-op, so a subclass overrides only what it needs.
 *
 * <p>Keras hook names map to camelCase ({@code on_train_batch_end} is {@link #onTrainBatchEnd}). As
 * in Keras 2.3.1, {@link #onTrainBatchBegin}/{@link #onTrainBatchEnd} forward to the
 * backwards-compatible {@link #onBatchBegin}/{@link #onBatchEnd} unless overridden.
 *
 * <p>Logs given to hooks are never {@code null} when called through a {@link CallbackList}.
 * Training is stopped by {@code model().setStopTraining(true)}, never by an exception. Callbacks
 * are stateful and not thread-safe; they should reset their state in {@link #onTrainBegin} so that
 * an instance can be used by several {@code fit} calls.
 */
public abstract class Callback {
  private Map<String, Object> params = Map.of();
  private Model model;
  private ValidationData validationData;

  protected Callback() {}

  /**
   * Keras {@code set_params}: the training parameters ({@code batch_size}, {@code epochs}, {@code
   * steps}, {@code samples}, {@code verbose}, {@code do_validation}, {@code metrics}). Values may
   * be {@code null} (Keras {@code None}).
   */
  public void setParams(Map<String, Object> params) {
    this.params = params == null ? Map.of() : params;
  }

  /** Keras {@code set_model}: the model being trained. */
  public void setModel(Model model) {
    this.model = model;
  }

  /** Keras {@code callback.params}: the last map given to {@link #setParams}; empty before. */
  public Map<String, Object> params() {
    return params;
  }

  /** Keras {@code callback.model}: the model being trained, or {@code null} before set. */
  public Model model() {
    return model;
  }

  /**
   * Whether this process writes files and prints (Keras' chief-only callback duties): true unless
   * the model trains under a {@code MultiWorkerMirroredStrategy} on a worker other than the chief.
   */
  protected boolean isChief() {
    return model == null
        || model.distributeStrategy() == null
        || model.distributeStrategy().isChief();
  }

  /**
   * Keras 2.3.1 {@code callback.validation_data}: the validation arrays of the running {@code fit}
   * when validation comes from arrays ({@code validationData(x, y)} or {@code validationSplit}),
   * else {@code null} (a validation Sequence or generator, or no validation). Set right after
   * {@link #onTrainBegin}, as Keras does.
   */
  public ValidationData validationData() {
    return validationData;
  }

  /** Sets {@link #validationData()}; the training loop calls it once per {@code fit}. */
  public void setValidationData(ValidationData validationData) {
    this.validationData = validationData;
  }

  /** Called at the start of training. */
  public void onTrainBegin(Logs logs) {}

  /** Called at the end of training (Keras: only when training completes without exception). */
  public void onTrainEnd(Logs logs) {}

  /** Called at the start of an epoch; {@code epoch} is 0-based and counts {@code initial_epoch}. */
  public void onEpochBegin(int epoch, Logs logs) {}

  /**
   * Called at the end of an epoch with the epoch means of the training values (filled by {@link
   * BaseLogger}) and the {@code val_} results when validation ran.
   */
  public void onEpochEnd(int epoch, Logs logs) {}

  /** Keras' backwards-compatible alias of {@link #onTrainBatchBegin}. */
  public void onBatchBegin(int batch, Logs logs) {}

  /** Keras' backwards-compatible alias of {@link #onTrainBatchEnd}. */
  public void onBatchEnd(int batch, Logs logs) {}

  /**
   * Called before a training batch; logs hold {@code batch} and {@code size}. Defaults to {@link
   * #onBatchBegin}.
   */
  public void onTrainBatchBegin(int batch, Logs logs) {
    onBatchBegin(batch, logs);
  }

  /**
   * Called after a training batch; logs add the loss and metric values. Defaults to {@link
   * #onBatchEnd}.
   */
  public void onTrainBatchEnd(int batch, Logs logs) {
    onBatchEnd(batch, logs);
  }

  /** Called at the start of {@code evaluate} or of a validation run inside {@code fit}. */
  public void onTestBegin(Logs logs) {}

  /** Called at the end of {@code evaluate} or of a validation run inside {@code fit}. */
  public void onTestEnd(Logs logs) {}

  /**
   * Called before an evaluation (or validation) batch; logs hold {@code batch} and {@code size}.
   */
  public void onTestBatchBegin(int batch, Logs logs) {}

  /** Called after an evaluation (or validation) batch with its metric values. */
  public void onTestBatchEnd(int batch, Logs logs) {}

  /** Called at the start of {@code predict}. */
  public void onPredictBegin(Logs logs) {}

  /** Called at the end of {@code predict}. */
  public void onPredictEnd(Logs logs) {}

  /** Called before a prediction batch; logs hold {@code batch} and {@code size}. */
  public void onPredictBatchBegin(int batch, Logs logs) {}

  /** Called after a prediction batch; Keras adds the batch {@code outputs} to the logs. */
  public void onPredictBatchEnd(int batch, Logs logs) {}
}
