package jkeras.python;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;

/** The JVM counters the bridge benchmarks read: allocated bytes and GC runs. */
public final class JvmMeters {
  private JvmMeters() {}

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  /** Bytes allocated so far by the calling thread. */
  public static long threadAllocated() {
    return THREADS.getCurrentThreadAllocatedBytes();
  }

  /** Bytes allocated so far by every live thread (the workers' reader threads included). */
  public static long allThreadsAllocated() {
    long sum = 0;
    for (long b : THREADS.getThreadAllocatedBytes(THREADS.getAllThreadIds())) sum += Math.max(0, b);
    return sum;
  }

  /** Garbage collections so far, all collectors. */
  public static long gcCount() {
    long c = 0;
    for (GarbageCollectorMXBean g : ManagementFactory.getGarbageCollectorMXBeans()) {
      c += Math.max(0, g.getCollectionCount());
    }
    return c;
  }
}
