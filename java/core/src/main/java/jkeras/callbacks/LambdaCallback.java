package jkeras.callbacks;

import static java.util.Objects.requireNonNullElse;

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

  // Unset (or null) hooks are these no-ops, so every hook below just calls its lambda.
  private static final IndexHook NO_INDEX_HOOK = (index, logs) -> {};
  private static final Consumer<Logs> NO_HOOK = logs -> {};

  private final IndexHook onEpochBegin;
  private final IndexHook onEpochEnd;
  private final IndexHook onBatchBegin;
  private final IndexHook onBatchEnd;
  private final Consumer<Logs> onTrainBegin;
  private final Consumer<Logs> onTrainEnd;

  private LambdaCallback(Builder b) {
    this.onEpochBegin = requireNonNullElse(b.onEpochBegin, NO_INDEX_HOOK);
    this.onEpochEnd = requireNonNullElse(b.onEpochEnd, NO_INDEX_HOOK);
    this.onBatchBegin = requireNonNullElse(b.onBatchBegin, NO_INDEX_HOOK);
    this.onBatchEnd = requireNonNullElse(b.onBatchEnd, NO_INDEX_HOOK);
    this.onTrainBegin = requireNonNullElse(b.onTrainBegin, NO_HOOK);
    this.onTrainEnd = requireNonNullElse(b.onTrainEnd, NO_HOOK);
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public void onEpochBegin(int epoch, Logs logs) {
    onEpochBegin.accept(epoch, logs);
  }

  @Override
  public void onEpochEnd(int epoch, Logs logs) {
    onEpochEnd.accept(epoch, logs);
  }

  @Override
  public void onBatchBegin(int batch, Logs logs) {
    onBatchBegin.accept(batch, logs);
  }

  @Override
  public void onBatchEnd(int batch, Logs logs) {
    onBatchEnd.accept(batch, logs);
  }

  @Override
  public void onTrainBegin(Logs logs) {
    onTrainBegin.accept(logs);
  }

  @Override
  public void onTrainEnd(Logs logs) {
    onTrainEnd.accept(logs);
  }

  /**
   * The hooks of a {@link LambdaCallback}; each defaults to doing nothing, as does {@code null}.
   */
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
