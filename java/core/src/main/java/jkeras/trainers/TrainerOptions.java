package jkeras.trainers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jkeras.callbacks.Callback;
import jkeras.internal.Errors;

/**
 * What {@code fit}, {@code evaluate} and {@code predict} share among Keras' keyword arguments:
 * {@code batch_size}, {@code verbose}, {@code callbacks}, and how a stream is read ({@code
 * max_queue_size}, {@code workers}, {@code use_multiprocessing}). Immutable.
 */
public abstract class TrainerOptions {
  /** Keras' {@code batch_size=None} on arrays: 32. */
  public static final int BATCH_SIZE_DEFAULT = 32;

  /** Keras {@code max_queue_size=10}. */
  public static final int MAX_QUEUE_SIZE_DEFAULT = 10;

  /** Keras {@code workers=1}. */
  public static final int WORKERS_DEFAULT = 1;

  /** Keras {@code use_multiprocessing=False}. */
  public static final boolean USE_MULTIPROCESSING_DEFAULT = false;

  /** The keyword names every options class takes. */
  static final List<String> COMMON_KEYS =
      List.of(
          "batch_size", "verbose", "callbacks", "max_queue_size", "workers", "use_multiprocessing");

  private final Integer batchSize;
  private final Integer verbose;
  private final int methodVerbose;
  private final List<Callback> callbacks;
  private final int maxQueueSize;
  private final int workers;
  private final boolean useMultiprocessing;

  /**
   * @param methodVerbose the method's Keras default of {@code verbose}, used when it is not given
   */
  TrainerOptions(Builder<?, ?> b, int methodVerbose) {
    batchSize = b.batchSize;
    verbose = b.verbose;
    this.methodVerbose = methodVerbose;
    callbacks = List.copyOf(b.callbacks);
    maxQueueSize = b.maxQueueSize;
    workers = b.workers;
    useMultiprocessing = b.useMultiprocessing;
  }

  /** {@code batch_size}, or null when not given (the method's default applies). */
  public Integer batchSize() {
    return batchSize;
  }

  /** {@code batch_size} as given, else {@link #BATCH_SIZE_DEFAULT}. */
  int batchSizeOrDefault() {
    return batchSize != null ? batchSize : BATCH_SIZE_DEFAULT;
  }

  /** {@code verbose}: as given, else this method's Keras default. */
  public int verbose() {
    return verboseOr(methodVerbose);
  }

  /**
   * {@code verbose} as given, else {@code methodDefault} ({@code evaluate_generator}'s is 0, {@code
   * evaluate}'s 1).
   */
  public int verboseOr(int methodDefault) {
    return verbose != null ? verbose : methodDefault;
  }

  public List<Callback> callbacks() {
    return callbacks;
  }

  public int maxQueueSize() {
    return maxQueueSize;
  }

  public int workers() {
    return workers;
  }

  public boolean useMultiprocessing() {
    return useMultiprocessing;
  }

  /**
   * The builder methods all options share. Defaults are Keras'; arguments are checked in {@link
   * #build()}.
   *
   * @param <O> the options built
   * @param <B> the concrete builder, returned by every setter
   */
  public abstract static class Builder<O extends TrainerOptions, B extends Builder<O, B>> {
    private final String owner;
    private final List<String> keys;
    private Integer batchSize;
    private Integer verbose;
    private final List<Callback> callbacks = new ArrayList<>();
    private int maxQueueSize = MAX_QUEUE_SIZE_DEFAULT;
    private int workers = WORKERS_DEFAULT;
    private boolean useMultiprocessing = USE_MULTIPROCESSING_DEFAULT;

    /**
     * @param owner the method named in errors, e.g. {@code fit}
     * @param ownKeys the keyword names this method takes besides the shared ones
     */
    Builder(String owner, String... ownKeys) {
      this.owner = owner;
      List<String> all = new ArrayList<>(COMMON_KEYS);
      all.addAll(List.of(ownKeys));
      this.keys = List.copyOf(all);
    }

    @SuppressWarnings("unchecked")
    final B self() {
      return (B) this;
    }

    abstract O create();

    /**
     * {@code batchSize} (Keras {@code batch_size}): samples per step on arrays. Default 32; none
     * with a stream.
     */
    public B batchSize(Integer batchSize) {
      this.batchSize = batchSize;
      return self();
    }

    /**
     * {@code verbose} (Keras {@code verbose}): 0 silent, 1 progress bar, 2 one line per epoch
     * (fit).
     */
    public B verbose(int verbose) {
      this.verbose = verbose;
      return self();
    }

    /** {@code callbacks} (Keras {@code callbacks}). Default none. */
    public B callbacks(List<? extends Callback> callbacks) {
      this.callbacks.clear();
      this.callbacks.addAll(callbacks);
      return self();
    }

    /** {@code callbacks} (Keras {@code callbacks}). Default none. */
    public B callbacks(Callback... callbacks) {
      return callbacks(List.of(callbacks));
    }

    /** {@code maxQueueSize} (Keras {@code max_queue_size}): batches prepared ahead. Default 10. */
    public B maxQueueSize(int maxQueueSize) {
      this.maxQueueSize = maxQueueSize;
      return self();
    }

    /**
     * {@code workers} (Keras {@code workers}): 0 reads a stream on the calling thread. Default 1.
     */
    public B workers(int workers) {
      this.workers = workers;
      return self();
    }

    /**
     * {@code useMultiprocessing} (Keras {@code use_multiprocessing}): Python sources run in worker
     * processes; Java sources always use threads (JVM threads have no GIL). Default false.
     */
    public B useMultiprocessing(boolean useMultiprocessing) {
      this.useMultiprocessing = useMultiprocessing;
      return self();
    }

    /**
     * Applies Keras keyword arguments by their Keras names ({@code max_queue_size=4}, ...); a name
     * this method does not take is an error listing the ones it does.
     */
    public B fromConfig(Map<String, ?> kwargs) {
      Errors.checkKeys(owner, kwargs, keys);
      for (Map.Entry<String, ?> e : kwargs.entrySet()) apply(e.getKey(), e.getValue());
      return self();
    }

    /** Applies one known keyword; subclasses handle theirs and defer the shared ones here. */
    void apply(String key, Object value) {
      switch (key) {
        case "batch_size" -> batchSize(Kwargs.optInt(key, value));
        case "verbose" -> verbose(Kwargs.verbose(value));
        case "callbacks" -> callbacks(value == null ? List.of() : Kwargs.callbacks(value));
        case "max_queue_size" -> maxQueueSize(Kwargs.toInt(key, value));
        case "workers" -> workers(Kwargs.toInt(key, value));
        case "use_multiprocessing" -> useMultiprocessing(Kwargs.toBool(key, value));
        default -> throw new IllegalStateException("unhandled keyword " + key);
      }
    }

    /** Checks every argument's range (Keras' checks, made eager), then builds. */
    public final O build() {
      if (batchSize != null && batchSize <= 0)
        throw Errors.invalidArgument("batchSize", "a positive integer", batchSize);
      if (verbose != null && verbose < 0)
        throw Errors.invalidArgument("verbose", "0, 1 or 2", verbose);
      if (maxQueueSize <= 0)
        throw Errors.invalidArgument("maxQueueSize", "a positive integer", maxQueueSize);
      if (workers < 0) throw Errors.invalidArgument("workers", "a non-negative integer", workers);
      return create();
    }
  }
}
