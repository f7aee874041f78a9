/**
 * Data adapters, Keras 3's {@code trainers/data_adapters}: one per kind of input (arrays, {@link
 * jkeras.utils.Sequence}, {@link java.util.Iterator}), chosen by {@link
 * jkeras.trainers.adapters.DataAdapters}; other modules add theirs through a {@link
 * jkeras.trainers.adapters.DataAdapterProvider} (the Python bridge does, for Python generators and
 * Sequences).
 */
package jkeras.trainers.adapters;
