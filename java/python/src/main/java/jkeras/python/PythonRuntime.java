package jkeras.python;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import jep.ClassEnquirer;
import jep.ClassList;
import jep.Interpreter;
import jep.JepConfig;
import jep.JepException;
import jep.MainInterpreter;
import jep.PyConfig;
import jep.SharedInterpreter;

/**
 * The embedded CPython of this JVM (through Jep): configured once per process, then one interpreter
 * per thread.
 *
 * <p>{@link #get()} configures Jep's main interpreter from {@link PythonEnvironment#discover()} the
 * first time (native library path, {@code PythonHome}, {@code sys.path}), checks the environment,
 * and imports {@code jkeras.bridge}, which installs the {@code keras} stand-ins.
 *
 * <p>Jep binds an interpreter, and every Python object obtained through it, to the thread that
 * created it. {@link #openInterpreter()} therefore gives the calling thread its interpreter, shared
 * by every user on that thread (reference counted): each {@code openInterpreter()} must be closed
 * on the same thread, and the last close closes the interpreter. All of them are {@code
 * jep.SharedInterpreter}s, which share modules (numpy does not work in sub-interpreters).
 *
 * <pre>{@code
 * try (Interpreter py = PythonRuntime.get().openInterpreter()) {
 *   py.exec("import numpy as np");
 *   Object v = py.getValue("int(np.arange(4).sum())");   // 6L
 * }
 * }</pre>
 *
 * Thread-safe.
 */
public final class PythonRuntime {
  private static final Object LOCK = new Object();
  private static volatile PythonRuntime instance;
  private static RuntimeException failure;

  private final PythonEnvironment env;
  private final ThreadLocal<ThreadBridge> current = new ThreadLocal<>();
  private final AtomicInteger open = new AtomicInteger();

  private PythonRuntime(PythonEnvironment env) {
    this.env = env;
  }

  /** The runtime, configured on first use from {@link PythonEnvironment#discover()}. */
  public static PythonRuntime get() {
    PythonRuntime r = instance;
    return r != null ? r : init(null);
  }

  /**
   * The runtime configured from {@code env}; an error if the JVM already runs Python from another
   * environment (embedded CPython is configured once per process).
   */
  public static PythonRuntime get(PythonEnvironment env) {
    PythonRuntime r = instance;
    if (r == null) r = init(env);
    if (!r.env.venv().equals(env.venv())) {
      throw new IllegalStateException(
          "The embedded Python of this JVM is already configured from "
              + r.env.venv()
              + "; it cannot be switched to "
              + env.venv()
              + " (CPython is configured once per process).");
    }
    return r;
  }

  private static PythonRuntime init(PythonEnvironment requested) {
    synchronized (LOCK) {
      if (instance != null) return instance;
      if (failure != null) throw failure;
      PythonEnvironment env = requested != null ? requested : PythonEnvironment.discover();
      env.check();
      try {
        configure(env);
        PythonRuntime r = new PythonRuntime(env);
        r.verify();
        instance = r;
        return r;
      } catch (RuntimeException | UnsatisfiedLinkError e) {
        failure =
            new IllegalStateException(
                "The embedded Python could not be started from " + env + ": " + e, e);
        throw failure;
      }
    }
  }

  private static void configure(PythonEnvironment env) {
    MainInterpreter.setJepLibraryPath(env.jepLibrary().toString());
    // Without PythonHome, CPython derives its prefix from whichever python3 is first on PATH; the
    // venv's python as program name makes CPython set the venv up as `python` would (sys.prefix,
    // its site-packages and .pth files, not the base Python's site-packages).
    MainInterpreter.setInitParams(
        new PyConfig()
            .setPythonHome(env.pythonHome().toString())
            .setProgramName(env.pythonExecutable().toString())
            .setNoUserSiteDirectory(1));
    JepConfig config = new JepConfig().setClassEnquirer(new PythonFirst());
    for (Path p : env.includePaths()) config.addIncludePaths(p.toString());
    SharedInterpreter.setConfig(config);
  }

  /**
   * Jep's import hook answers {@code import jkeras} with the Java package of that name; the Python
   * package {@code jkeras} (the bridge, the stand-ins) must win.
   */
  private static final class PythonFirst implements ClassEnquirer {
    private static final java.util.Set<String> PYTHON_ONLY = java.util.Set.of("jkeras");
    private final ClassEnquirer delegate = ClassList.getInstance();

    private static boolean python(String name) {
      int dot = name.indexOf('.');
      return PYTHON_ONLY.contains(dot < 0 ? name : name.substring(0, dot));
    }

    @Override
    public boolean isJavaPackage(String name) {
      return !python(name) && delegate.isJavaPackage(name);
    }

    @Override
    public String[] getClassNames(String pkgName) {
      return python(pkgName) ? new String[0] : delegate.getClassNames(pkgName);
    }

    @Override
    public String[] getSubPackages(String pkgName) {
      return python(pkgName) ? new String[0] : delegate.getSubPackages(pkgName);
    }
  }

  /** First interpreter: the bridge imports and jep converts numpy arrays. */
  private void verify() {
    ThreadBridge b = acquire();
    try {
      if (!b.numpyEnabled()) {
        throw new IllegalStateException(
            "jep in "
                + env.venv()
                + " cannot convert numpy arrays (jep.JEP_NUMPY_ENABLED is 0):"
                + " it was built without numpy. Run scripts/setup-python.sh to rebuild it.");
      }
    } finally {
      release();
    }
  }

  /** The environment this runtime runs. */
  public PythonEnvironment environment() {
    return env;
  }

  /**
   * The calling thread's interpreter (opened on first use); close it on this thread. Python objects
   * obtained from it stay valid until the thread's last handle is closed.
   */
  public Interpreter openInterpreter() {
    ThreadBridge b = acquire();
    return new Handle(b);
  }

  /** How many threads have an interpreter open now (for diagnostics and tests). */
  public int openInterpreters() {
    return open.get();
  }

  /** Whether the calling thread has an interpreter open. */
  public boolean hasInterpreter() {
    return current.get() != null;
  }

  /** Opens (or shares) the calling thread's interpreter; balanced by {@link #release()}. */
  ThreadBridge acquire() {
    ThreadBridge b = current.get();
    if (b != null) {
      b.refs++;
      return b;
    }
    SharedInterpreter interp;
    try {
      interp = new SharedInterpreter();
    } catch (JepException e) {
      throw new IllegalStateException(
          "Could not open a Python interpreter on thread "
              + Thread.currentThread().getName()
              + ": "
              + e.getMessage(),
          e);
    }
    try {
      b = new ThreadBridge(interp);
    } catch (RuntimeException e) {
      interp.close();
      throw e;
    }
    b.refs = 1;
    current.set(b);
    open.incrementAndGet();
    return b;
  }

  /** The calling thread's bridge when it has an interpreter open, else null. */
  ThreadBridge currentBridge() {
    return current.get();
  }

  /** Releases one {@link #acquire()}; the last one closes the thread's interpreter. */
  void release() {
    ThreadBridge b = current.get();
    if (b == null)
      throw new IllegalStateException(
          "No Python interpreter is open on thread " + Thread.currentThread().getName());
    if (--b.refs > 0) return;
    current.remove();
    open.decrementAndGet();
    b.close();
  }

  /** A reference to the thread's shared interpreter; closing it releases the reference. */
  private final class Handle implements Interpreter {
    private final ThreadBridge bridge;
    private final Thread owner = Thread.currentThread();
    private boolean closed;

    Handle(ThreadBridge bridge) {
      this.bridge = bridge;
    }

    private Interpreter interp() {
      if (closed) throw new IllegalStateException("This interpreter handle is closed.");
      return bridge.interpreter();
    }

    @Override
    public Object invoke(String name, Object... args) {
      return interp().invoke(name, args);
    }

    @Override
    public Object invoke(String name, Map<String, Object> kwargs) {
      return interp().invoke(name, kwargs);
    }

    @Override
    public Object invoke(String name, Object[] args, Map<String, Object> kwargs) {
      return interp().invoke(name, args, kwargs);
    }

    @Override
    public boolean eval(String str) {
      return interp().eval(str);
    }

    @Override
    public void exec(String str) {
      interp().exec(str);
    }

    @Override
    public void runScript(String script) {
      interp().runScript(script);
    }

    @Override
    public Object getValue(String str) {
      return interp().getValue(str);
    }

    @Override
    public <T> T getValue(String str, Class<T> clazz) {
      return interp().getValue(str, clazz);
    }

    @Override
    public void set(String name, Object v) {
      interp().set(name, v);
    }

    @Override
    public void close() {
      if (closed) return;
      if (Thread.currentThread() != owner) {
        throw new IllegalStateException(
            "A Python interpreter must be closed on the thread that opened it ("
                + owner.getName()
                + "), not on "
                + Thread.currentThread().getName()
                + ".");
      }
      closed = true;
      release();
    }
  }
}
