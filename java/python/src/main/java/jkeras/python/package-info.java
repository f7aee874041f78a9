/**
 * The Python bridge: Python generators and Sequences as jkeras data sources. {@link
 * jkeras.python.Python} makes them ({@link jkeras.python.PythonSequence}, {@link
 * jkeras.python.PythonGenerator}) from a {@link jkeras.python.PythonSource}; {@link
 * jkeras.python.PythonRuntime} runs the embedded CPython (Jep, one interpreter per thread) found by
 * {@link jkeras.python.PythonEnvironment}; {@link jkeras.python.BatchStructure} reads batches as
 * {@code python/src/jkeras/batches.py} sends them; Python errors arrive as {@link
 * jkeras.python.PythonException} with their traceback ({@link jkeras.python.PythonErrors} maps
 * them, for this JVM and the worker processes). Worker processes live in {@code
 * jkeras.python.process}.
 */
package jkeras.python;
