/**
 * Data-parallel training across processes and machines, Keras' {@code tf.distribute}: {@link
 * jkeras.distribute.MultiWorkerMirroredStrategy} from a {@code TF_CONFIG} cluster spec ({@link
 * jkeras.distribute.ClusterSpec}), run by TensorFlow's own distributed runtime (a gRPC server per
 * task, collective all-reduce). Models built and compiled inside {@code strategy.scope()} train
 * with {@code fit}, {@code fitGenerator} and {@code trainOnBatch} as before; the engine all-reduces
 * one packed gradient per step. This package holds the public settings only; the runtime lives in
 * the engine.
 */
package jkeras.distribute;
