package jkeras.distribute;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Keras' {@code tf.distribute.MultiWorkerMirroredStrategy}: synchronous data-parallel training, one
 * replica per process, on TensorFlow's distributed runtime. Every process of the job runs the same
 * program with its own {@code TF_CONFIG}:
 *
 * <pre>{@code
 * MultiWorkerMirroredStrategy strategy = new MultiWorkerMirroredStrategy(); // reads TF_CONFIG
 * Model model;
 * try (var scope = strategy.scope()) {
 *   model = buildModel();
 *   model.compile("sgd", "mse");
 * }
 * model.fit(x, y, FitOptions.builder().batchSize(64).epochs(3).build()); // 64: the global batch
 * }</pre>
 *
 * <p>A model built or compiled inside the scope starts this process' TensorFlow server (once, bound
 * to the port of its task's address) and runs its steps in a session on it. Its weights are copied
 * from the chief before the first step of each {@code fit} and before the first {@code
 * trainOnBatch}, so every worker starts from the same values; each train step all-reduces one
 * packed vector (every gradient weighted by the worker's samples, the samples, the losses and
 * metric sums), so each worker applies the gradient of the global batch and reports the global
 * batch's loss and metrics: every worker's History is the same. {@code fit} splits the global
 * {@code batch_size} across workers (arrays), gives each worker its share of a Sequence's batches,
 * and runs a generator once per worker; only the chief prints the progress bar and writes
 * checkpoints and TensorBoard files.
 *
 * <p>Faults: collectives time out after {@link #timeoutSeconds()} when a peer hangs, and fail at
 * once when a peer's process dies; the step then throws a {@link WorkerLostException} naming the
 * lost task, and the process should exit (TensorFlow's collective executor cannot be reused
 * afterwards). Restart every worker; {@code BackupAndRestore} resumes from the last completed
 * epoch.
 *
 * <p>Security: TensorFlow's gRPC channel is unauthenticated and unencrypted, and TensorFlow's
 * server listens on every interface of the host at its task's port (TensorFlow 2.18 binds {@code
 * 0.0.0.0}): run the job on a private network or behind a firewall that admits only the job's
 * hosts.
 */
public final class MultiWorkerMirroredStrategy {
  /**
   * Keras' default collective timeout is none; jkeras sets one so a hung peer cannot hang a job.
   */
  public static final int TIMEOUT_SECONDS_DEFAULT = 120;

  private static final ThreadLocal<Deque<MultiWorkerMirroredStrategy>> CURRENT =
      ThreadLocal.withInitial(ArrayDeque::new);

  private final ClusterSpec cluster;
  private final int timeoutSeconds;

  /** From the {@code TF_CONFIG} environment variable, with the default timeout. */
  public MultiWorkerMirroredStrategy() {
    this(ClusterSpec.fromEnvironment(), TIMEOUT_SECONDS_DEFAULT);
  }

  /** From an explicit cluster spec (Keras' {@code cluster_resolver}). */
  public MultiWorkerMirroredStrategy(ClusterSpec cluster) {
    this(cluster, TIMEOUT_SECONDS_DEFAULT);
  }

  /**
   * @param timeoutSeconds how long a collective waits for its peers before the step fails (Keras'
   *     {@code CommunicationOptions(timeout_seconds=...)}); positive
   */
  public MultiWorkerMirroredStrategy(ClusterSpec cluster, int timeoutSeconds) {
    if (cluster == null) throw new IllegalArgumentException("`cluster_resolver` must not be null.");
    if (timeoutSeconds <= 0)
      throw new IllegalArgumentException(
          "`timeout_seconds` must be a positive number of seconds; received "
              + timeoutSeconds
              + ".");
    this.cluster = cluster;
    this.timeoutSeconds = timeoutSeconds;
  }

  public ClusterSpec clusterSpec() {
    return cluster;
  }

  /** Keras' {@code num_replicas_in_sync}: one replica per worker process. */
  public int numReplicasInSync() {
    return cluster.numWorkers();
  }

  /** This worker's replica id (its rank; the chief's is 0). */
  public int replicaId() {
    return cluster.rank();
  }

  /** Whether this process is the chief (Keras' {@code _is_chief}). */
  public boolean isChief() {
    return cluster.isChief();
  }

  public int timeoutSeconds() {
    return timeoutSeconds;
  }

  /** The replica context the trainer shards data by. */
  public ReplicaContext replicaContext() {
    return new ReplicaContext(numReplicasInSync(), replicaId());
  }

  /**
   * Keras' {@code strategy.scope()}: models built or compiled on this thread until it is closed
   * train under this strategy.
   */
  public Scope scope() {
    CURRENT.get().push(this);
    return new Scope(this);
  }

  /** The strategy of the innermost open scope on this thread, or null. */
  public static MultiWorkerMirroredStrategy current() {
    return CURRENT.get().peek();
  }

  @Override
  public String toString() {
    return "MultiWorkerMirroredStrategy(task="
        + cluster.taskType()
        + ":"
        + cluster.taskIndex()
        + ", num_replicas_in_sync="
        + numReplicasInSync()
        + ")";
  }

  /** An open {@link #scope()}; closing it ends the scope (try-with-resources). */
  public static final class Scope implements AutoCloseable {
    private final MultiWorkerMirroredStrategy strategy;
    private boolean closed;

    private Scope(MultiWorkerMirroredStrategy strategy) {
      this.strategy = strategy;
    }

    @Override
    public void close() {
      if (closed) return;
      closed = true;
      Deque<MultiWorkerMirroredStrategy> stack = CURRENT.get();
      if (stack.peek() != strategy)
        throw new IllegalStateException("Strategy scopes must be closed in the reverse order.");
      stack.pop();
    }
  }
}
