package jkeras.callbacks;

import java.util.function.Consumer;

/**
 * A callback made of lambdas (Keras 2.3.1 {@code LambdaCallback}); a hook left unset does nothing.
 *
 * <pre>{@code
 * List<Double> losses = new ArrayList<>();
 * Callback c = LambdaCallback.builder()
 *     .onEpochEnd((epoch, logs) -> losses.add(logs.getDouble("loss")))
 *     .build();
 * }</pre>
 *
 * <p>The batch lambdas are the {@code on_batch_begin}/{@code on_batch_end} hooks, which training
 * reaches through {@link Callback#onTrainBatchBegin}/{@link Callback#onTrainBatchEnd}.
 */
public class LambdaCallback extends Callback {
  /** A hook receiving an epoch or batch index and the logs. */
  @FunctionalInterface
  public interface IndexHook {
    void accept(int index, Logs logs);
  }

  private final IndexHook onEpochBegin;
  private final IndexHook onEpochEnd;
  private final IndexHook onBatchBegin;
  private final IndexHook onBatchEnd;
  private final Consumer<Logs> onTrainBegin;
  private final Consumer<Logs> onTrainEnd;

  private LambdaCallback(Builder b) {
    this.onEpochBegin = b.onEpochBegin;
    this.onEpochEnd = b.onEpochEnd;
    this.onBatchBegin = b.onBatchBegin;
    this.onBatchEnd = b.onBatchEnd;
    this.onTrainBegin = b.onTrainBegin;
    this.onTrainEnd = b.onTrainEnd;
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public void onEpochBegin(int epoch, Logs logs) {
    if (onEpochBegin != null) {
      onEpochBegin.accept(epoch, logs);
    }
  }

  @Override
  public void onEpochEnd(int epoch, Logs logs) {
    if (onEpochEnd != null) {
      onEpochEnd.accept(epoch, logs);
    }
  }

  @Override
  public void onBatchBegin(int batch, Logs logs) {
    if (onBatchBegin != null) {
      onBatchBegin.accept(batch, logs);
    }
  }

  @Override
  public void onBatchEnd(int batch, Logs logs) {
    if (onBatchEnd != null) {
      onBatchEnd.accept(batch, logs);
    }
  }

  @Override
  public void onTrainBegin(Logs logs) {
    if (onTrainBegin != null) {
      onTrainBegin.accept(logs);
    }
  }

  @Override
  public void onTrainEnd(Logs logs) {
    if (onTrainEnd != null) {
      onTrainEnd.accept(logs);
    }
  }

  /** The hooks of a {@link LambdaCallback}; each defaults to doing nothing. */
  public static final class Builder {
    private IndexHook onEpochBegin;
    private IndexHook onEpochEnd;
    private IndexHook onBatchBegin;
    private IndexHook onBatchEnd;
    private Consumer<Logs> onTrainBegin;
    private Consumer<Logs> onTrainEnd;

    private Builder() {}

    /** Keras {@code on_epoch_begin(epoch, logs)}. */
    public Builder onEpochBegin(IndexHook hook) {
      this.onEpochBegin = hook;
      return this;
    }

    /** Keras {@code on_epoch_end(epoch, logs)}. */
    public Builder onEpochEnd(IndexHook hook) {
      this.onEpochEnd = hook;
      return this;
    }

    /** Keras {@code on_batch_begin(batch, logs)}. */
    public Builder onBatchBegin(IndexHook hook) {
      this.onBatchBegin = hook;
      return this;
    }

    /** Keras {@code on_batch_end(batch, logs)}. */
    public Builder onBatchEnd(IndexHook hook) {
      this.onBatchEnd = hook;
      return this;
    }

    /** Keras {@code on_train_begin(logs)}. */
    public Builder onTrainBegin(Consumer<Logs> hook) {
      this.onTrainBegin = hook;
      return this;
    }

    /** Keras {@code on_train_end(logs)}. */
    public Builder onTrainEnd(Consumer<Logs> hook) {
      this.onTrainEnd = hook;
      return this;
    }

    public LambdaCallback build() {
      return new LambdaCallback(this);
    }
  }
}
