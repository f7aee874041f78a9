package jkeras.callbacks;

import java.util.Map;
import jkeras.internal.Config;

/**
 * The arguments {@link EarlyStopping} and {@link ReduceLROnPlateau} share, as Keras names them:
 * {@code monitor}, {@code min_delta}, {@code patience}, {@code verbose}, {@code mode}. Each
 * callback's builder extends it with its own arguments and defaults.
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class PlateauBuilder<B extends PlateauBuilder<B>> {
  String monitor = "val_loss";
  int verbose = 0;
  String mode = Monitors.AUTO;
  double minDelta;
  int patience;
  private final double minDeltaDefault;
  private final int patienceDefault;

  PlateauBuilder(double minDeltaDefault, int patienceDefault) {
    this.minDelta = minDeltaDefault;
    this.patience = patienceDefault;
    this.minDeltaDefault = minDeltaDefault;
    this.patienceDefault = patienceDefault;
  }

  @SuppressWarnings("unchecked")
  private B self() {
    return (B) this;
  }

  /**
   * {@code monitor} (Keras {@code monitor}): the logs key to watch. Default {@code val_loss}.
   *
   * @param monitor a logs key such as {@code val_loss} or {@code val_accuracy}
   * @return this builder
   */
  public B monitor(String monitor) {
    this.monitor = Monitors.required(monitor, "monitor");
    return self();
  }

  /**
   * {@code minDelta} (Keras {@code min_delta}): the least change that counts as an improvement.
   * Default 0 for EarlyStopping, 1e-4 for ReduceLROnPlateau.
   *
   * @param minDelta a number, not NaN
   * @return this builder
   */
  public B minDelta(double minDelta) {
    this.minDelta = Monitors.notNaN(minDelta, "minDelta");
    return self();
  }

  /**
   * {@code patience} (Keras {@code patience}): epochs without improvement before the callback acts.
   * Default 0 for EarlyStopping, 10 for ReduceLROnPlateau.
   *
   * @param patience a number of epochs
   * @return this builder
   * @throws IllegalArgumentException when negative
   */
  public B patience(int patience) {
    this.patience = Monitors.atLeast(patience, 0, "patience");
    return self();
  }

  /**
   * {@code verbose} (Keras {@code verbose}): 1 prints the callback's messages. Default 0.
   *
   * @param verbose 0 or 1
   * @return this builder
   */
  public B verbose(int verbose) {
    this.verbose = verbose;
    return self();
  }

  /**
   * {@code mode} (Keras {@code mode}): {@code auto}, {@code min} or {@code max}; another value
   * warns and means {@code auto}, as in Keras. Default {@code auto}.
   *
   * @param mode the direction of improvement
   * @return this builder
   */
  public B mode(String mode) {
    this.mode = Monitors.required(mode, "mode");
    return self();
  }

  /** Reads the shared keys of a Keras keyword map (absent keys keep their defaults). */
  void readShared(Map<String, ?> config) {
    monitor(Config.getString(config, "monitor", "val_loss"));
    minDelta(Config.getDouble(config, "min_delta", minDeltaDefault));
    patience(Config.getInt(config, "patience", patienceDefault));
    verbose(Config.getInt(config, "verbose", 0));
    mode(Config.getString(config, "mode", Monitors.AUTO));
  }
}
