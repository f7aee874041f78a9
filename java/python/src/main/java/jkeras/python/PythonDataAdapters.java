package jkeras.python;

import jkeras.trainers.adapters.AdapterContext;
import jkeras.trainers.adapters.DataAdapter;
import jkeras.trainers.adapters.DataAdapterProvider;
import jkeras.trainers.adapters.StreamAdapter;
import jkeras.utils.RngUtils;

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
 *   <li>Otherwise they are a Sequence or an Iterator like any other, read by threads in this JVM.
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
    if (data instanceof PythonSequence || data instanceof PythonGenerator)
      return adapt(data, context, null);
    return null;
  }

  private static DataAdapter adapt(Object source, AdapterContext ctx, AutoCloseable owned) {
    if (!(ctx.useMultiprocessing() && ctx.workers() > 0))
      return StreamAdapter.owning(source, ctx, owned);
    boolean shuffle = ctx.shuffle() && ctx.role() == AdapterContext.Role.TRAIN;
    // Multi-worker training: each worker's generator copies get seeds apart from every other
    // worker's (worker processes add their index and restarts to this seed; numpy keeps its low
    // 32 bits, so the replica's offset stays below them).
    long seed = RngUtils.streamSeed() + ((long) ctx.replicas().replicaId() << 20);
    if (source instanceof PythonSequence seq) {
      return StreamAdapter.enqueued(
          ProcessEnqueuers.create(seq.handle(), true, shuffle, seed),
          DataAdapter.Kind.SEQUENCE,
          seq::size,
          ctx,
          owned);
    }
    PythonGenerator gen = (PythonGenerator) source;
    return StreamAdapter.enqueued(
        ProcessEnqueuers.create(gen.handle(), false, shuffle, seed),
        DataAdapter.Kind.GENERATOR,
        null,
        ctx,
        owned);
  }

  private static void closeQuietly(AutoCloseable c, Throwable cause) {
    try {
      c.close();
    } catch (Exception suppressed) {
      cause.addSuppressed(suppressed);
    }
  }
}
