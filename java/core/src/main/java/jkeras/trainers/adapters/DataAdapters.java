package jkeras.trainers.adapters;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CopyOnWriteArrayList;
import jkeras.data.ArrayData;
import jkeras.data.NDArray;
import jkeras.internal.Errors;
import jkeras.utils.Sequence;

/**
 * Chooses the data adapter for an input, Keras 3's {@code get_data_adapter}: the registered {@link
 * DataAdapterProvider}s first (in registration order, then those {@link ServiceLoader} finds), then
 * the built-in adapters for arrays, {@link Sequence}s and {@link Iterator}s.
 */
public final class DataAdapters {
  private static final List<DataAdapterProvider> REGISTERED = new CopyOnWriteArrayList<>();
  private static volatile List<DataAdapterProvider> discovered;

  private DataAdapters() {}

  /** Adds a provider, asked before those found by {@link ServiceLoader}. */
  public static void register(DataAdapterProvider provider) {
    REGISTERED.add(provider);
  }

  /** Removes a provider added with {@link #register}. */
  public static void unregister(DataAdapterProvider provider) {
    REGISTERED.remove(provider);
  }

  private static List<DataAdapterProvider> discovered() {
    List<DataAdapterProvider> d = discovered;
    if (d == null) {
      d =
          ServiceLoader.load(DataAdapterProvider.class, DataAdapters.class.getClassLoader())
              .stream()
              .map(ServiceLoader.Provider::get)
              .toList();
      discovered = d;
    }
    return d;
  }

  /** Whether {@code data} is a Sequence, a generator or anything a provider takes (not arrays). */
  public static boolean isStream(Object data) {
    return !(data instanceof ArrayData);
  }

  /**
   * The adapter for a stream: a {@link Sequence}, an {@link Iterator} of batches, or any input a
   * provider takes.
   *
   * @throws IllegalArgumentException naming what was received when nothing takes it
   */
  public static DataAdapter forStream(Object data, AdapterContext context) {
    // Multi-worker training: each worker reads its share of a Sequence's batches.
    if (context.replicas().distributed() && data instanceof Sequence seq)
      data = new ShardedSequence(seq, context.replicas());
    for (DataAdapterProvider p : REGISTERED) {
      DataAdapter a = p.create(data, context);
      if (a != null) return a;
    }
    for (DataAdapterProvider p : discovered()) {
      DataAdapter a = p.create(data, context);
      if (a != null) return a;
    }
    if (data instanceof Sequence || data instanceof Iterator<?>)
      return StreamAdapter.of(data, context);
    throw Errors.invalidArgument(
        "x",
        "arrays (NDArray, a list or a map of them), a jkeras.utils.Sequence, a java.util.Iterator of batches, or a"
            + " source a registered DataAdapterProvider takes (jkeras-python: PythonSource, PythonGenerator, PythonSequence)",
        data == null ? "null" : data.getClass().getName());
  }

  /**
   * The adapter for arrays: {@code x}, {@code y} and {@code sampleWeight} checked against the model
   * once, with {@code classWeight} folded into the weights.
   *
   * @param steps {@code steps_per_epoch}/{@code steps}: each step uses all the data; or null
   */
  public static ArrayDataAdapter forArrays(
      ArrayData x,
      ArrayData y,
      NDArray sampleWeight,
      Map<Integer, Double> classWeight,
      DataSpec spec,
      int batchSize,
      Integer steps,
      boolean shuffle) {
    return new ArrayDataAdapter(
        Standardize.arrays(x, y, sampleWeight, classWeight, spec), batchSize, steps, shuffle);
  }

  /**
   * Arrays checked against the model for one step ({@code train_on_batch} and friends): the targets
   * and weights too when the spec has target shapes.
   */
  public static StepData standardize(
      ArrayData x,
      ArrayData y,
      NDArray sampleWeight,
      Map<Integer, Double> classWeight,
      DataSpec spec) {
    return Standardize.arrays(x, y, sampleWeight, classWeight, spec);
  }

  /**
   * Arrays split for {@code validation_split}: the first {@code 1 - split} of the samples train,
   * the rest validate (Keras takes the last samples, before any shuffling). A split of {@code 0}
   * holds nothing out, as Keras 2.3.1's {@code fit} slices only when {@code 0 < validation_split}.
   *
   * @param validationSteps {@code validation_steps} for the held-out part, or null
   * @return {@code [training, validation]}, the validation part null when {@code split} is 0
   */
  public static ArrayDataAdapter[] forArraysWithSplit(
      ArrayData x,
      ArrayData y,
      NDArray sampleWeight,
      Map<Integer, Double> classWeight,
      DataSpec spec,
      int batchSize,
      Integer steps,
      Integer validationSteps,
      boolean shuffle,
      double split) {
    StepData all = Standardize.arrays(x, y, sampleWeight, classWeight, spec);
    if (!(split > 0))
      return new ArrayDataAdapter[] {new ArrayDataAdapter(all, batchSize, steps, shuffle), null};
    long splitAt = (long) (all.n() * (1.0 - split));
    return new ArrayDataAdapter[] {
      new ArrayDataAdapter(all.slice(0, splitAt), batchSize, steps, shuffle),
      new ArrayDataAdapter(all.slice(splitAt, all.n()), batchSize, validationSteps, false)
    };
  }
}
