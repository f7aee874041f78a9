package jkeras.internal.graph;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/**
 * TensorFlow's denormal handling on the calling thread: flush-to-zero and denormals-are-zero set
 * around a session run and the thread's previous floating-point modes restored after it, as
 * TensorFlow's own pool threads run every op ({@code port::ScopedFlushDenormal}, set when each
 * thread starts). Without it, ops run on a Java thread ({@code inter_op_parallelism_threads} &lt;
 * 0) compute subnormal floats where TensorFlow's threads compute zeros: other numbers, and slow
 * ones (subnormal arithmetic takes microcode assists).
 *
 * <p>The modes go through glibc's {@code fegetmode}/{@code fesetmode} (libm, C2x control modes: the
 * x87 control word and MXCSR's control bits on x86_64, FPCR on aarch64; the exception flags are
 * left alone), called through JNA's direct mapping from pre-allocated per-thread buffers, so a
 * guarded run allocates nothing. Layouts from glibc's {@code bits/fenv.h}: on x86_64 {@code
 * femode_t} is {@code {unsigned short __control_word; unsigned short __glibc_reserved; unsigned int
 * __mxcsr;}}, FTZ is MXCSR bit 15 and DAZ bit 6; on aarch64 it is the FPCR word, whose FZ bit (24)
 * does both. Linux on x86_64 and aarch64 only: elsewhere {@link #available()} is false and sessions
 * keep TensorFlow's pool threads.
 */
final class FlushDenormals {
  private static final String ARCH = System.getProperty("os.arch", "");
  private static final boolean X86_64 = ARCH.equals("amd64") || ARCH.equals("x86_64");
  private static final boolean AARCH64 = ARCH.equals("aarch64");

  /** Offset and bits of the word to set in {@code femode_t}. */
  private static final long WORD_OFFSET = X86_64 ? 4 : 0;

  private static final int FLUSH_BITS = X86_64 ? (1 << 15) | (1 << 6) : 1 << 24;

  private static final String UNAVAILABLE = init();

  private static volatile boolean guardEnabled = true;

  private FlushDenormals() {}

  /** The glibc calls, bound once (JNA direct mapping: a plain native method per function). */
  private static final class LibM {
    static native int fegetmode(long modep);

    static native int fesetmode(long modep);
  }

  /** One thread's buffers: the modes found on entry and the same with flushing on. */
  private static final class State {
    final Memory saved = new Memory(16);
    final Memory flushing = new Memory(16);
    final long savedAddress = Pointer.nativeValue(saved);
    final long flushingAddress = Pointer.nativeValue(flushing);
    int depth;
    boolean set;
  }

  private static final ThreadLocal<State> STATE = ThreadLocal.withInitial(State::new);

  /** Null when flushing can be set on this platform, else why not. */
  private static String init() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    if (!os.contains("linux") || !(X86_64 || AARCH64)) {
      return "not Linux on x86_64 or aarch64 (" + os + ", " + ARCH + ")";
    }
    try {
      Native.register(LibM.class, NativeLibrary.getInstance("m"));
      // Check the layout where it matters: flushing set, read back, and restored.
      State s = new State();
      if (LibM.fegetmode(s.savedAddress) != 0) return "fegetmode failed";
      int word = s.saved.getInt(WORD_OFFSET);
      s.flushing.write(0, s.saved.getByteArray(0, 16), 0, 16);
      s.flushing.setInt(WORD_OFFSET, word | FLUSH_BITS);
      if (LibM.fesetmode(s.flushingAddress) != 0) return "fesetmode failed";
      Memory check = new Memory(16);
      int read = LibM.fegetmode(Pointer.nativeValue(check));
      int set = check.getInt(WORD_OFFSET);
      if (LibM.fesetmode(s.savedAddress) != 0 || read != 0 || (set & FLUSH_BITS) != FLUSH_BITS) {
        return "the floating-point modes did not take the flush-to-zero bits";
      }
      return null;
    } catch (LinkageError | RuntimeException e) {
      return "glibc's fegetmode/fesetmode could not be bound through JNA (" + e + ")";
    }
  }

  /** Whether this thread's floating-point modes can be switched (Linux x86_64/aarch64, JNA). */
  static boolean available() {
    return UNAVAILABLE == null;
  }

  /** Why {@link #available()} is false, or null. */
  static String unavailableReason() {
    return UNAVAILABLE;
  }

  /** Logs once that sessions keep TensorFlow's pool threads, and why. */
  static void logFallback() {
    if (UNAVAILABLE != null && !logged) {
      logged = true;
      LoggerFactory.getLogger("jkeras")
          .info(
              "Sessions run their ops on TensorFlow's threads: flush-to-zero cannot be set on the"
                  + " caller's thread here ({}).",
              UNAVAILABLE);
    }
  }

  private static volatile boolean logged;

  /**
   * Sets flush-to-zero and denormals-are-zero on this thread until {@link #exit()}; nested calls
   * are counted. A call of {@link #available()} must have returned true.
   */
  static void enter() {
    State s = STATE.get();
    if (s.depth++ > 0) return;
    s.set = guardEnabled && LibM.fegetmode(s.savedAddress) == 0;
    if (!s.set) return;
    s.flushing.setLong(0, s.saved.getLong(0));
    s.flushing.setInt(WORD_OFFSET, s.saved.getInt(WORD_OFFSET) | FLUSH_BITS);
    LibM.fesetmode(s.flushingAddress);
  }

  /** Restores the modes {@link #enter()} found. */
  static void exit() {
    State s = STATE.get();
    if (--s.depth > 0 || !s.set) return;
    s.set = false;
    LibM.fesetmode(s.savedAddress);
  }

  /**
   * Tests only: whether {@link #enter()} sets flushing (false shows what a caller's-thread session
   * computes without it). Set it while no guarded run is in progress.
   */
  static void setGuardEnabled(boolean on) {
    guardEnabled = on;
  }

  /**
   * This thread's floating-point control bits in the word holding the flushing bits (tests): on
   * x86_64 MXCSR without its six exception flags, which runs raise and nothing reads.
   */
  static int currentControlWord() {
    Memory m = new Memory(16);
    LibM.fegetmode(Pointer.nativeValue(m));
    return m.getInt(WORD_OFFSET) & (X86_64 ? ~0x3f : ~0);
  }

  /** The bits {@link #enter()} sets in {@link #currentModeWord()}. */
  static int flushBits() {
    return FLUSH_BITS;
  }
}
