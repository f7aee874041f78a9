package jkeras.trainers.adapters;

/**
 * Contributes data adapters for kinds of input that jkeras-core does not know (e.g. Python
 * generators and Sequences, or a {@code PythonSource} the bridge opens and closes). Providers are
 * found with {@link java.util.ServiceLoader} (declare the class in {@code
 * META-INF/services/jkeras.trainers.adapters.DataAdapterProvider}, or {@code provides} in {@code
 * module-info}) or added with {@link DataAdapters#register}; they are asked before the built-in
 * adapters, so they may also take over a built-in kind in some settings (a Python Sequence with
 * {@code useMultiprocessing}).
 */
public interface DataAdapterProvider {
  /**
   * An adapter over {@code data} for this call, or {@code null} when this provider does not handle
   * it (the next provider, then the built-in adapters, are asked).
   */
  DataAdapter create(Object data, AdapterContext context);
}
