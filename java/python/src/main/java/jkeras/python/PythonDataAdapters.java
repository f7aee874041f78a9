package jkeras.python;

import jkeras.distribute.ReplicaContext;
import jkeras.python.process.WorkerFaultOptions;
import jkeras.trainers.adapters.AdapterContext;
import jkeras.trainers.adapters.DataAdapter;
import jkeras.trainers.adapters.DataAdapterProvider;
import jkeras.trainers.adapters.ShardedSequence;
import jkeras.trainers.adapters.StreamAdapter;
import jkeras.utils.GeneratorEnqueuer;
import jkeras.utils.OrderedEnqueuer;
import jkeras.utils.RngUtils;
import jkeras.utils.Sequence;

/**
 * The bridge's data adapters, found by {@code java.util.ServiceLoader}: Python sources given to
 * {@code fit}, {@code evaluate} and {@code predict} (and their generator forms).
 *
 * <ul>
 *   <li>A {@link PythonSource}: opened as what its callable returns (a {@link PythonSequence} or a
 *       {@link PythonGenerator}) for the call, and closed when the call ends.
 *   <li>A {@link PythonSequence} or {@link PythonGenerator} with {@code useMultiprocessing=true}
 *       and {@code workers > 0}: Python worker processes ({@code python -m jkeras.worker}), each
 *       rebuilding the source from its {@link PythonSource}.
 *   <li>In multi-worker training a Python Sequence is read by shard ({@link ShardedSequence}), in
 *       worker processes too: they fetch only this cluster worker's indices.
 *   <li>Otherwise they are a Sequence or an Iterator like any other, read on the training thread
 *       ({@code workers=0}) or by core's thread enqueuers, whose stall warning comes after {@link
 *       WorkerFaultOptions#fetchTimeout()}.
 * </ul>
 */
public final class PythonDataAdapters implements DataAdapterProvider {
  @Override
  public DataAdapter create(Object data, AdapterContext context) {
    if (data instanceof PythonSource source) {
      AutoCloseable opened = Python.open(source);
      try {
        return adapt(opened, context, opened);
      } catch (RuntimeException | Error e) {
        closeQuietly(opened, e);
        throw e;
      }
    }
    if (data instanceof PythonSequence
        || data instanceof PythonGenerator
        || (data instanceof ShardedSequence s && s.sequence() instanceof PythonSequence))
      return adapt(data, context, null);
    return null;
  }

  private static DataAdapter adapt(Object given, AdapterContext ctx, AutoCloseable owned) {
    // Multi-worker training reads a Sequence by shard: core wraps one given directly, one a
    // PythonSource opens is wrapped here.
    PythonSequence python =
        given instanceof PythonSequence p
            ? p
            : given instanceof ShardedSequence s ? (PythonSequence) s.sequence() : null;
    Object source =
        given instanceof PythonSequence p && ctx.replicas().distributed()
            ? new ShardedSequence(p, ctx.replicas())
            : given;
    if (ctx.workers() == 0) return StreamAdapter.owning(source, ctx, owned);
    boolean shuffle = ctx.shuffle() && ctx.role() == AdapterContext.Role.TRAIN;
    if (!ctx.useMultiprocessing()) return onThreads(source, shuffle, ctx, owned);
    // Multi-worker training: each worker's generator copies get seeds apart from every other
    // worker's (worker processes add their index and restarts to this seed; numpy keeps its low
    // 32 bits, so the replica's offset stays below them).
    long seed = RngUtils.streamSeed() + ((long) ctx.replicas().replicaId() << 20);
    if (python != null) {
      // The worker processes fetch this cluster worker's share of the indices.
      Sequence local = (Sequence) source;
      return StreamAdapter.enqueued(
          ProcessEnqueuers.create(python.handle(), true, shuffle, seed, ctx.replicas()),
          DataAdapter.Kind.SEQUENCE,
          local::size,
          ctx,
          owned);
    }
    PythonGenerator gen = (PythonGenerator) source;
    return StreamAdapter.enqueued(
        ProcessEnqueuers.create(gen.handle(), false, shuffle, seed, ReplicaContext.SINGLE),
        DataAdapter.Kind.GENERATOR,
        null,
        ctx,
        owned);
  }

  /**
   * Core's thread enqueuers, as for any Sequence or Iterator, with the Python sources' {@link
   * WorkerFaultOptions#fetchTimeout()}.
   */
  private static DataAdapter onThreads(
      Object source, boolean shuffle, AdapterContext ctx, AutoCloseable owned) {
    double timeout = WorkerFaultOptions.defaults().fetchTimeout();
    if (source instanceof Sequence seq) {
      OrderedEnqueuer e = new OrderedEnqueuer(seq, false, shuffle);
      e.setFetchTimeout(timeout);
      return StreamAdapter.enqueued(e, DataAdapter.Kind.SEQUENCE, seq::size, ctx, owned);
    }
    GeneratorEnqueuer e = new GeneratorEnqueuer((PythonGenerator) source, false);
    e.setFetchTimeout(timeout);
    return StreamAdapter.enqueued(e, DataAdapter.Kind.GENERATOR, null, ctx, owned);
  }

  private static void closeQuietly(AutoCloseable c, Throwable cause) {
    try {
      c.close();
    } catch (Exception suppressed) {
      cause.addSuppressed(suppressed);
    }
  }
}
