/**
 * Host data, what Keras users hold as numpy arrays: {@link jkeras.data.NDArray} (immutable, heap or
 * direct memory), {@link jkeras.data.ArrayData} (one array, a list in model order or a map by name,
 * Keras' {@code x}/{@code y} forms), {@link jkeras.data.Batch} (a generator's {@code (x, y,
 * sample_weight)} tuple) and {@link jkeras.data.Npy} ({@code .npy}/{@code .npz} files).
 */
package jkeras.data;
