package jkeras.testing;

import jkeras.callbacks.Callback;
import jkeras.callbacks.Logs;

/**
 * A callback that reports every hook to {@link #hook}, with the Keras hook name ({@code
 * "on_epoch_begin"}), the epoch or batch index ({@code null} for the begin and end of train, test
 * and predict) and the logs. The train-batch hooks report themselves and then forward to the batch
 * hooks, as {@link Callback} does. Uses the public {@link Callback} API only.
 */
public abstract class HookRecorder extends Callback {
  /** Called for every hook. */
  protected abstract void hook(String name, Integer index, Logs logs);

  /**
   * {@code "epoch_begin 0"} for {@code ("on_epoch_begin", 0)}, {@code "train_end"} without index.
   */
  public static String label(String name, Integer index) {
    String hook = name.substring("on_".length());
    return index == null ? hook : hook + " " + index;
  }

  @Override
  public void onTrainBegin(Logs logs) {
    hook("on_train_begin", null, logs);
  }

  @Override
  public void onTrainEnd(Logs logs) {
    hook("on_train_end", null, logs);
  }

  @Override
  public void onEpochBegin(int epoch, Logs logs) {
    hook("on_epoch_begin", epoch, logs);
  }

  @Override
  public void onEpochEnd(int epoch, Logs logs) {
    hook("on_epoch_end", epoch, logs);
  }

  @Override
  public void onBatchBegin(int batch, Logs logs) {
    hook("on_batch_begin", batch, logs);
  }

  @Override
  public void onBatchEnd(int batch, Logs logs) {
    hook("on_batch_end", batch, logs);
  }

  @Override
  public void onTrainBatchBegin(int batch, Logs logs) {
    hook("on_train_batch_begin", batch, logs);
    super.onTrainBatchBegin(batch, logs);
  }

  @Override
  public void onTrainBatchEnd(int batch, Logs logs) {
    hook("on_train_batch_end", batch, logs);
    super.onTrainBatchEnd(batch, logs);
  }

  @Override
  public void onTestBegin(Logs logs) {
    hook("on_test_begin", null, logs);
  }

  @Override
  public void onTestEnd(Logs logs) {
    hook("on_test_end", null, logs);
  }

  @Override
  public void onTestBatchBegin(int batch, Logs logs) {
    hook("on_test_batch_begin", batch, logs);
  }

  @Override
  public void onTestBatchEnd(int batch, Logs logs) {
    hook("on_test_batch_end", batch, logs);
  }

  @Override
  public void onPredictBegin(Logs logs) {
    hook("on_predict_begin", null, logs);
  }

  @Override
  public void onPredictEnd(Logs logs) {
    hook("on_predict_end", null, logs);
  }

  @Override
  public void onPredictBatchBegin(int batch, Logs logs) {
    hook("on_predict_batch_begin", batch, logs);
  }

  @Override
  public void onPredictBatchEnd(int batch, Logs logs) {
    hook("on_predict_batch_end", batch, logs);
  }
}
