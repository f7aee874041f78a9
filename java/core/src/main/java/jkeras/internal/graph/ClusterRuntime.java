package jkeras.internal.graph;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import jkeras.distribute.ClusterSpec;
import jkeras.distribute.MultiWorkerMirroredStrategy;
import jkeras.distribute.WorkerLostException;
import org.bytedeco.javacpp.BytePointer;
import org.tensorflow.DeviceSpec;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Server;
import org.tensorflow.Session;
import org.tensorflow.internal.c_api.TF_Graph;
import org.tensorflow.internal.c_api.TF_Session;
import org.tensorflow.internal.c_api.TF_SessionOptions;
import org.tensorflow.internal.c_api.TF_Status;
import org.tensorflow.internal.c_api.global.tensorflow;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ClusterDef;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.JobDef;
import org.tensorflow.proto.ServerDef;
import org.tensorflow.types.TFloat32;

/**
 * This process' part of a multi-worker job on TensorFlow's distributed runtime: its gRPC server
 * (one per process, started by the first model built under a {@link MultiWorkerMirroredStrategy}
 * and kept until the process exits: TensorFlow 2.18 cannot stop one), sessions on it, and the
 * collective all-reduce ops the train step uses.
 *
 * <p>Collectives match across processes by their instance key, given here in the order the ops are
 * built: every worker must build the same models in the same order (the same program), as Keras
 * requires too.
 */
public final class ClusterRuntime {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger("jkeras");

  private static final int GROUP_KEY = 1;
  private static ClusterRuntime running;

  private final ClusterSpec spec;
  private final int timeoutSeconds;
  private final String job;
  private final int index;
  private final ConfigProto collectiveConfig;
  private final AtomicInteger instanceKeys = new AtomicInteger();

  // Never closed: TensorFlow 2.18's Server.stop() throws "Clean shutdown is not implemented".
  @SuppressWarnings("unused")
  private final Server server;

  private ClusterRuntime(MultiWorkerMirroredStrategy strategy) {
    this.spec = strategy.clusterSpec();
    this.timeoutSeconds = strategy.timeoutSeconds();
    this.job = spec.taskType();
    this.index = spec.taskIndex();
    ClusterDef.Builder cluster = ClusterDef.newBuilder();
    for (Map.Entry<String, List<String>> e : spec.jobs().entrySet()) {
      Map<Integer, String> tasks = new LinkedHashMap<>();
      for (int i = 0; i < e.getValue().size(); i++) tasks.put(i, e.getValue().get(i));
      cluster.addJob(JobDef.newBuilder().setName(e.getKey()).putAllTasks(tasks));
    }
    Map.Entry<String, Integer> chief = spec.chief();
    collectiveConfig =
        ConfigProto.newBuilder()
            .setExperimental(
                ConfigProto.Experimental.newBuilder()
                    .setCollectiveGroupLeader(ClusterSpec.device(chief.getKey(), chief.getValue())))
            // Each process runs its own graph on its own task; peers meet only in collectives.
            .addDeviceFilters("/job:" + job + "/task:" + index)
            .build();
    ServerDef def =
        ServerDef.newBuilder()
            .setCluster(cluster)
            .setJobName(job)
            .setTaskIndex(index)
            .setProtocol("grpc")
            .setDefaultSessionConfig(collectiveConfig)
            .build();
    Server s = new Server(def);
    s.start();
    this.server = s;
    // TensorFlow 2.18 binds 0.0.0.0:<port> whatever the spec's host; say so where it is started.
    String own = spec.addressOf(job, index);
    jkeras.internal.Warnings.warn(
        "TensorFlow's gRPC server for "
            + ClusterSpec.device(job, index)
            + " listens on port "
            + own.substring(own.lastIndexOf(':') + 1)
            + " of every interface (TensorFlow binds 0.0.0.0, not "
            + own
            + "), unauthenticated: keep the job on a private network or firewall the port.");
  }

  /**
   * The process' runtime for {@code strategy}, started on first use.
   *
   * @throws IllegalStateException when it already runs for another cluster or task
   */
  public static synchronized ClusterRuntime forStrategy(MultiWorkerMirroredStrategy strategy) {
    if (running == null) {
      running = new ClusterRuntime(strategy);
    } else if (!running.spec.equals(strategy.clusterSpec())) {
      throw new IllegalStateException(
          "This process already runs TensorFlow's server for "
              + running.spec
              + "; one process takes part in one cluster (received "
              + strategy.clusterSpec()
              + ").");
    }
    return running;
  }

  public ClusterSpec spec() {
    return spec;
  }

  public int numWorkers() {
    return spec.numWorkers();
  }

  public boolean isChief() {
    return spec.isChief();
  }

  /** {@code tf} placing every op it builds on this task's CPU. */
  Ops place(Ops tf) {
    return tf.withDevice(
        DeviceSpec.newBuilder()
            .job(job)
            .replica(0)
            .task(index)
            .deviceType(DeviceSpec.DeviceType.CPU)
            .deviceIndex(0)
            .build());
  }

  /**
   * A session on this task's server ({@code grpc://host:port}) with {@code threads}' settings. TF
   * Java 1.1.0 has no public way to give a session a target: the C API opens it, and Session's
   * package-private constructor adopts it.
   */
  Session openSession(Graph graph, ConfigProto threads) {
    ConfigProto config = threads.toBuilder().mergeFrom(collectiveConfig).build();
    try (TF_SessionOptions opts = TF_SessionOptions.newSessionOptions();
        TF_Status status = TF_Status.newStatus()) {
      tensorflow.TF_SetTarget(opts, "grpc://" + spec.addressOf(job, index));
      byte[] bytes = config.toByteArray();
      try (BytePointer p = new BytePointer(bytes)) {
        tensorflow.TF_SetConfig(opts, p, bytes.length, status);
        status.throwExceptionIfNotOK();
      }
      Field handle = Graph.class.getDeclaredField("nativeHandle");
      handle.setAccessible(true);
      TF_Session native_ = TF_Session.newSession((TF_Graph) handle.get(graph), opts, status);
      status.throwExceptionIfNotOK();
      Constructor<Session> c = Session.class.getDeclaredConstructor(Graph.class, TF_Session.class);
      c.setAccessible(true);
      return c.newInstance(graph, native_);
    } catch (ReflectiveOperationException | RuntimeException e) {
      if (e instanceof org.tensorflow.exceptions.TensorFlowException tf) throw tf;
      throw new IllegalStateException(
          "Cannot open a TensorFlow session on the server target (TF Java 1.1.0 has no public way:"
              + " jkeras adopts one through Session's package-private constructor). On the module"
              + " path, add the JVM option --add-opens tensorflow/org.tensorflow=jkeras.core.",
          e);
    }
  }

  /**
   * The sum of {@code x} over every worker ({@code CollectiveReduce}, ring all-reduce), with this
   * runtime's timeout. TF Java 1.1.0 has no typed wrapper for this op.
   */
  Operand<TFloat32> allReduceSum(Ops tf, Operand<TFloat32> x, String name) {
    GraphOperation op =
        (GraphOperation)
            place(tf)
                .scope()
                .opBuilder("CollectiveReduce", name)
                .addInput(x.asOutput())
                .setAttr("group_size", numWorkers())
                .setAttr("group_key", GROUP_KEY)
                .setAttr("instance_key", instanceKeys.incrementAndGet())
                .setAttr("merge_op", "Add")
                .setAttr("final_op", "Id")
                .setAttr("subdiv_offsets", new long[] {0})
                .setAttr("communication_hint", "ring")
                .setAttr("timeout_seconds", (float) timeoutSeconds)
                .build();
    return op.output(0);
  }

  /**
   * The error a failed collective becomes: a {@link WorkerLostException} naming the tasks that no
   * longer accept connections (or, when all do, the timeout), with TensorFlow's error as cause.
   */
  RuntimeException lost(RuntimeException e) {
    List<String> gone = new ArrayList<>();
    for (Map.Entry<String, Integer> t : spec.tasks()) {
      if (t.getKey().equals(job) && t.getValue() == index) continue;
      String address = spec.addressOf(t.getKey(), t.getValue());
      if (!reachable(address))
        gone.add(ClusterSpec.device(t.getKey(), t.getValue()) + " (" + address + ")");
    }
    String what =
        gone.isEmpty()
            ? "a peer did not take part within the collective timeout of "
                + timeoutSeconds
                + " s, or failed"
            : "lost task " + String.join(", lost task ", gone);
    WorkerLostException lost =
        new WorkerLostException(
            "Multi-worker training step failed on task "
                + ClusterSpec.device(job, index)
                + ": "
                + what
                + ". Restart every worker (BackupAndRestore resumes from the last completed epoch)."
                + " TensorFlow said: "
                + firstLine(e.getMessage()),
            e);
    // Logged as well as thrown: TensorFlow's collective abort can still bring the process down
    // from its own threads (seen once: an abseil "Mutex corrupt" check after a timeout), and the
    // user must still learn which task was lost.
    LOG.error(lost.getMessage());
    return lost;
  }

  /** Whether an RPC error of a step is a collective's failure. */
  static boolean isCollectiveFailure(RuntimeException e) {
    String m = String.valueOf(e.getMessage());
    return e instanceof org.tensorflow.exceptions.TensorFlowException
        && (m.contains("ollective")
            || m.contains("UNAVAILABLE")
            || m.contains("DEADLINE_EXCEEDED")
            || m.contains("timed out")
            || m.contains("Socket closed")
            || m.contains("Connection reset"));
  }

  private static String firstLine(String s) {
    if (s == null) return "";
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  private static boolean reachable(String address) {
    int colon = address.lastIndexOf(':');
    String host = address.substring(0, colon).replace("[", "").replace("]", "");
    int port = Integer.parseInt(address.substring(colon + 1));
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
