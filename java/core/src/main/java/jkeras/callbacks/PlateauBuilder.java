package jkeras.callbacks;

import java.util.Map;
import jkeras.internal.Config;

/**
 * The arguments {@link EarlyStopping} and {@link ReduceLROnPlateau} share, as Keras names them:
 * {@link MonitorBuilder}'s {@code monitor}, {@code verbose}, {@code mode}, and {@code min_delta},
 * {@code patience}. Each callback's builder extends it with its own arguments and defaults.
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class PlateauBuilder<B extends PlateauBuilder<B>> extends MonitorBuilder<B> {
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

  /** Reads the shared keys of a Keras keyword map (absent keys keep their defaults). */
  void readShared(Map<String, ?> config) {
    readMonitor(config);
    minDelta(Config.getDouble(config, "min_delta", minDeltaDefault));
    patience(Config.getInt(config, "patience", patienceDefault));
  }
}
