package jkeras.models;

import java.util.ArrayList;
import java.util.List;
import jkeras.callbacks.Callback;
import jkeras.data.NDArray;
import jkeras.internal.Errors;

/** Keras 2.3.1's {@code evaluate} keyword arguments, with Keras' defaults. Immutable. */
public final class EvaluateOptions {
  public static final int BATCH_SIZE_DEFAULT = 32;
  public static final int VERBOSE_DEFAULT = 1;

  private final Integer batchSize;
  private final int verbose;
  private final NDArray sampleWeight;
  private final Integer steps;
  private final List<Callback> callbacks;
  private final int maxQueueSize;
  private final int workers;
  private final boolean useMultiprocessing;

  private EvaluateOptions(Builder b) {
    batchSize = b.batchSize;
    verbose = b.verbose;
    sampleWeight = b.sampleWeight;
    steps = b.steps;
    callbacks = List.copyOf(b.callbacks);
    maxQueueSize = b.maxQueueSize;
    workers = b.workers;
    useMultiprocessing = b.useMultiprocessing;
  }

  public static Builder builder() {
    return new Builder();
  }

  public static EvaluateOptions defaults() {
    return builder().build();
  }

  public Integer batchSize() { return batchSize; }
  public int verbose() { return verbose; }
  public NDArray sampleWeight() { return sampleWeight; }
  public Integer steps() { return steps; }
  public List<Callback> callbacks() { return callbacks; }
  public int maxQueueSize() { return maxQueueSize; }
  public int workers() { return workers; }
  public boolean useMultiprocessing() { return useMultiprocessing; }

  public static final class Builder {
    private Integer batchSize;
    private int verbose = VERBOSE_DEFAULT;
    private NDArray sampleWeight;
    private Integer steps;
    private final List<Callback> callbacks = new ArrayList<>();
    private int maxQueueSize = FitOptions.MAX_QUEUE_SIZE_DEFAULT;
    private int workers = FitOptions.WORKERS_DEFAULT;
    private boolean useMultiprocessing = FitOptions.USE_MULTIPROCESSING_DEFAULT;

    /** {@code maxQueueSize} (Keras {@code max_queue_size}): batches prepared ahead. Default 10. */
    public Builder maxQueueSize(int maxQueueSize) {
      this.maxQueueSize = maxQueueSize;
      return this;
    }

    /** {@code workers} (Keras {@code workers}): 0 runs the generator on the calling thread. Default 1. */
    public Builder workers(int workers) {
      this.workers = workers;
      return this;
    }

    /** {@code useMultiprocessing} (Keras {@code use_multiprocessing}): see {@link FitOptions.Builder#useMultiprocessing}. */
    public Builder useMultiprocessing(boolean useMultiprocessing) {
      this.useMultiprocessing = useMultiprocessing;
      return this;
    }

    /** {@code batchSize} (Keras {@code batch_size}). Default 32. */
    public Builder batchSize(Integer batchSize) {
      this.batchSize = batchSize;
      return this;
    }

    /** {@code verbose} (Keras {@code verbose}): 0 or 1. Default 1. */
    public Builder verbose(int verbose) {
      this.verbose = verbose;
      return this;
    }

    /** {@code sampleWeight} (Keras {@code sample_weight}). */
    public Builder sampleWeight(NDArray sampleWeight) {
      this.sampleWeight = sampleWeight;
      return this;
    }

    /** {@code steps} (Keras {@code steps}): with arrays, each step evaluates all the data. */
    public Builder steps(Integer steps) {
      this.steps = steps;
      return this;
    }

    /** {@code callbacks} (Keras {@code callbacks}): get the test hooks. */
    public Builder callbacks(List<? extends Callback> callbacks) {
      this.callbacks.clear();
      this.callbacks.addAll(callbacks);
      return this;
    }

    public EvaluateOptions build() {
      if (batchSize != null && batchSize <= 0) throw Errors.invalidArgument("batchSize", "a positive integer", batchSize);
      if (steps != null && steps <= 0) throw Errors.invalidArgument("steps", "a positive integer or null", steps);
      if (maxQueueSize <= 0) throw Errors.invalidArgument("maxQueueSize", "a positive integer", maxQueueSize);
      if (workers < 0) throw Errors.invalidArgument("workers", "a non-negative integer", workers);
      if (verbose < 0) throw Errors.invalidArgument("verbose", "0 or 1", verbose);
      return new EvaluateOptions(this);
    }
  }
}
