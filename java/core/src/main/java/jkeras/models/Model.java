package jkeras.models;

/** Placeholder; the real Model is being written. */
public class Model implements AutoCloseable {
  private volatile boolean stopTraining;

  /** Keras {@code model.stop_training}. */
  public boolean stopTraining() {
    return stopTraining;
  }

  public void setStopTraining(boolean stop) {
    this.stopTraining = stop;
  }

  @Override
  public void close() {}
}
