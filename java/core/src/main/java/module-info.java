/**
 * jkeras-core: the Keras training API and its TensorFlow Java engine. Knows nothing of Python.
 *
 * <p>The exported packages mirror Keras' modules. {@code jkeras.internal} (messages, shapes) is
 * shared with the Python bridge only; {@code jkeras.internal.graph} (the TensorFlow graph and
 * session) is not exported at all. TensorFlow types appear only in the extension API for custom
 * layers, losses, metrics, optimizers, initializers, regularizers, constraints and activations
 * ({@code jkeras.backend} and the {@code call}/{@code getUpdates} methods of those packages).
 */
module jkeras.core {
  requires transitive tensorflow;
  requires org.bytedeco.javacpp;
  requires org.bytedeco.hdf5;
  requires org.slf4j;
  requires com.sun.jna;
  // ImageIO for flow_from_directory's PNG/JPEG decoding (and History.plot's PNG encoding)
  requires java.desktop;
  // Optional: History.plot draws with XChart, which a program that draws adds itself.
  requires static org.knowm.xchart;
  // ZCA whitening's eigendecomposition (filename-based automatic modules: EJML names none)
  requires ejml.core;
  requires ejml.ddense;

  exports jkeras.activations;
  exports jkeras.backend;
  exports jkeras.callbacks;
  exports jkeras.constraints;
  exports jkeras.data;
  exports jkeras.distribute;
  exports jkeras.initializers;
  exports jkeras.layers;
  exports jkeras.legacy;
  exports jkeras.losses;
  exports jkeras.metrics;
  exports jkeras.models;
  exports jkeras.optimizers;
  exports jkeras.preprocessing.image;
  exports jkeras.regularizers;
  exports jkeras.saving;
  exports jkeras.trainers;
  exports jkeras.trainers.adapters;
  exports jkeras.utils;
  exports jkeras.internal to
      jkeras.python;

  // JNA implements the libc interface of NativeStartupLog reflectively.
  opens jkeras.internal.graph to
      com.sun.jna;

  uses jkeras.trainers.adapters.DataAdapterProvider;
}
