package jkeras.python;

import java.nio.file.Path;
import java.util.List;

/**
 * Python data sources for jkeras: generators and Sequences written in Python, run in this JVM
 * through Jep ({@code use_multiprocessing=False}) or in Python worker processes ({@code
 * use_multiprocessing=True}).
 *
 * <pre>{@code
 * // my_data.py:  def generate_arrays_from_file(path): while True: ... yield ({'input_1': x1, 'input_2': x2}, {'output': y})
 * try (PythonGenerator gen = Python.generator(
 *     PythonSource.fromModule("my_data", "generate_arrays_from_file", "/my_file.txt").withPaths(Path.of("py")))) {
 *   model.fitGenerator(gen, FitOptions.builder().stepsPerEpoch(10000).epochs(10).build());
 * }
 * try (PythonSequence seq = Python.sequence(PythonSource.fromFile(Path.of("seq.py"), "CIFAR10Sequence", xs, ys, 32))) {
 *   model.fitGenerator(seq, FitOptions.builder().workers(4).build());
 * }
 * }</pre>
 *
 * <p>The callable of a {@link PythonSource} is called once, in this JVM, when the wrapper is made
 * (so import errors show up there), and again in each worker process for {@code
 * use_multiprocessing=True}. Objects made from an expression or handed over from an interpreter
 * ({@link #fromExpression}, {@link #wrap}) run only in this JVM. Python code runs with stand-ins
 * for {@code keras.utils} (see {@code jkeras.keras_shim}): TensorFlow's Python runtime is never
 * loaded into the JVM.
 */
public final class Python {
  private Python() {}

  /** The Sequence {@code source}'s callable returns (a Sequence class, or a factory). */
  public static PythonSequence sequence(PythonSource source) {
    return new PythonSequence(PythonHandle.build(source, "sequence", new String[1]));
  }

  /** The generator (or iterable of batches) {@code source}'s callable returns. */
  public static PythonGenerator generator(PythonSource source) {
    return new PythonGenerator(PythonHandle.build(source, "generator", new String[1]));
  }

  /**
   * What {@code source}'s callable returns: a {@link PythonSequence} when it is a Sequence by
   * Keras' rule (see {@link #fromExpression}), else a {@link PythonGenerator}. This is how {@code
   * fit} and friends open a {@link PythonSource} given to them directly.
   */
  public static AutoCloseable open(PythonSource source) {
    String[] kind = new String[1];
    PythonHandle h = PythonHandle.build(source, null, kind);
    return "sequence".equals(kind[0]) ? new PythonSequence(h) : new PythonGenerator(h);
  }

  /**
   * Evaluates a Python expression in this JVM and wraps its value: a {@link PythonSequence} when it
   * is a Sequence by Keras' rule (a {@code use_sequence_api} attribute, or all of {@code
   * __getitem__}, {@code __len__}, {@code on_epoch_end}, {@code __iter__}), else a {@link
   * PythonGenerator} over it. Top-level names in the expression import as modules ({@code
   * "my_data.make_generator('train.txt')"}); {@code paths} go first on {@code sys.path}. The result
   * cannot run in worker processes.
   */
  public static AutoCloseable fromExpression(String expression, List<Path> paths) {
    String[] kind = new String[1];
    PythonHandle h = PythonHandle.evaluate(expression, paths, null, kind);
    return "sequence".equals(kind[0]) ? new PythonSequence(h) : new PythonGenerator(h);
  }

  /**
   * {@link #fromExpression} for a value used as a Sequence ({@code __len__}, {@code __getitem__}).
   */
  public static PythonSequence sequenceFromExpression(String expression, List<Path> paths) {
    return new PythonSequence(PythonHandle.evaluate(expression, paths, "sequence", new String[1]));
  }

  /** {@link #fromExpression} for a value used as a generator (any iterable). */
  public static PythonGenerator generatorFromExpression(String expression, List<Path> paths) {
    return new PythonGenerator(
        PythonHandle.evaluate(expression, paths, "generator", new String[1]));
  }

  /**
   * Wraps a Python object obtained from an interpreter of {@link PythonRuntime#openInterpreter()}.
   * Must be called on the thread that owns that interpreter; the wrapper keeps its own reference,
   * so it stays usable after the interpreter is closed. A {@link PythonSequence} or a {@link
   * PythonGenerator} by the rule of {@link #fromExpression}; it cannot run in worker processes.
   */
  public static AutoCloseable wrap(jep.python.PyObject object) {
    String[] kind = new String[1];
    PythonHandle h = PythonHandle.register(object, null, kind);
    return "sequence".equals(kind[0]) ? new PythonSequence(h) : new PythonGenerator(h);
  }
}
