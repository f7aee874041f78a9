package jkeras.python;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import jkeras.data.Batch;
import jkeras.data.DType;
import jkeras.data.NDArray;

/**
 * One thread's recyclable direct buffers for batches from Python (the in-process bridge): a pool of
 * buffer sets, one set per batch in flight, each with one buffer per array of the batch. The owning
 * thread binds the buffers into its interpreter as numpy views once; Python copies each batch into
 * a free set ({@code np.copyto}) and Java hands out {@link NDArray#wrapDirect} views of it in a
 * {@link Batch} whose {@link Batch#release()} returns the set to the pool.
 *
 * <p>Sizing: a set is created when a batch is needed and none is free, so the pool grows to the
 * number of batches this thread has in flight at once. With consumers that release every batch (the
 * training loop) that is bounded by what the enqueuer can hold: its queue ({@code maxQueueSize}),
 * plus one batch per worker waiting to enqueue, plus the one being trained on. The cap ({@value
 * #MAX_SETS_PROPERTY}, default {@value #MAX_SETS_DEFAULT} per thread) only matters for consumers
 * that never release: once it is reached, further batches are copied into Java heap arrays (the
 * slower path, still correct), and a set never released is never reused, so its arrays stay valid.
 * 0 turns the direct path off.
 *
 * <p>Threads: {@link #acquire} and everything touching buffers or Python run on the owning thread;
 * {@link Batch#release()} may come from any thread.
 */
final class BatchBuffers {
  /** System property: the most buffer sets one thread keeps; 0 disables direct batches. */
  static final String MAX_SETS_PROPERTY = "jkeras.python.directBatchesPerThread";

  /**
   * Default of {@value #MAX_SETS_PROPERTY}: more than Keras' default queue (10) plus workers needs.
   */
  static final int MAX_SETS_DEFAULT = 32;

  private static final int ALIGN = 64;
  private static final AtomicLong IDS = new AtomicLong();

  private final int maxSets;
  // LIFO, so the most recently used (cache-warm) set is reused first; guarded by itself.
  private final ArrayDeque<Set> free = new ArrayDeque<>();
  private final List<Set> all = new ArrayList<>();
  private volatile boolean closed;

  BatchBuffers() {
    this(Integer.getInteger(MAX_SETS_PROPERTY, MAX_SETS_DEFAULT));
  }

  BatchBuffers(int maxSets) {
    this.maxSets = Math.max(0, maxSets);
  }

  /** One batch's buffers; {@code id} names it on the Python side. */
  final class Set {
    final long id = IDS.incrementAndGet();
    ByteBuffer[] buffers = new ByteBuffer[0];
    private final AtomicBoolean inUse = new AtomicBoolean();
    private final Runnable release = this::release;
    // The last batch built over these buffers: reused while the layout stays the same.
    private long lastStructure = -1;
    private long lastMetas = -1;
    private Batch last;

    /** Back to the pool; idempotent, from any thread. */
    void release() {
      if (inUse.compareAndSet(true, false)) {
        synchronized (free) {
          if (!closed) free.push(this);
        }
      }
    }

    /** Makes buffer {@code slot} hold at least {@code bytes}; true when it was (re)allocated. */
    boolean ensure(int slot, long bytes) {
      if (slot >= buffers.length) buffers = java.util.Arrays.copyOf(buffers, slot + 1);
      ByteBuffer b = buffers[slot];
      if (b != null && b.capacity() >= bytes) return false;
      // A quarter more than asked, so slowly growing shapes do not rebind at every batch.
      long want = Math.max(ALIGN, bytes + bytes / 4);
      int cap = Math.toIntExact((want + ALIGN - 1) / ALIGN * ALIGN);
      buffers[slot] =
          ByteBuffer.allocateDirect(cap + ALIGN - 1)
              .alignedSlice(ALIGN)
              .order(ByteOrder.nativeOrder());
      last = null;
      return true;
    }

    /** The batch over this set's buffers for a layout (cached while it does not change). */
    Batch batch(long structureId, BatchStructure structure, long metasId, Metas metas) {
      if (last != null && structureId == lastStructure && metasId == lastMetas) return last;
      List<NDArray> arrays = new ArrayList<>(metas.dtypes.length);
      for (int k = 0; k < metas.dtypes.length; k++) {
        arrays.add(NDArray.wrapDirect(buffers[k], metas.dtypes[k], metas.shapes[k]));
      }
      last = structure.assemble(arrays).withRelease(release);
      lastStructure = structureId;
      lastMetas = metasId;
      return last;
    }
  }

  /** The dtypes and shapes of a batch's arrays, in order. */
  record Metas(DType[] dtypes, long[][] shapes) {
    /** Parses Python's {@code ((dtype_name, shape), ...)}. */
    static Metas parse(Object raw) {
      List<?> l = (List<?>) raw;
      DType[] d = new DType[l.size()];
      long[][] s = new long[l.size()][];
      for (int k = 0; k < d.length; k++) {
        List<?> m = (List<?>) l.get(k);
        d[k] = DType.of((String) m.get(0));
        List<?> shape = (List<?>) m.get(1);
        s[k] = new long[shape.size()];
        for (int i = 0; i < s[k].length; i++) s[k][i] = ((Number) shape.get(i)).longValue();
      }
      return new Metas(d, s);
    }
  }

  /** A free set, marked in use; a new one when none is free and the cap allows; else null. */
  Set acquire() {
    Set s;
    synchronized (free) {
      s = free.poll();
    }
    if (s == null) {
      if (closed || all.size() >= maxSets) return null;
      s = new Set();
      all.add(s);
    }
    s.inUse.set(true);
    return s;
  }

  /** Every set ever created (owner thread), for unbinding them from Python. */
  List<Set> sets() {
    return all;
  }

  /** How many are free (for tests). */
  int freeCount() {
    synchronized (free) {
      return free.size();
    }
  }

  /** No more reuse: releases after this drop the set; the memory goes when its arrays do. */
  void close() {
    synchronized (free) {
      closed = true;
      free.clear();
    }
  }
}
