package jkeras.callbacks;

import java.util.Map;
import jkeras.internal.Config;

/**
 * The arguments of the callbacks that watch one logs value, as Keras names them: {@code monitor},
 * {@code verbose}, {@code mode} ({@link ModelCheckpoint}, and through {@link PlateauBuilder} {@link
 * EarlyStopping} and {@link ReduceLROnPlateau}). Defaults are Keras': {@code val_loss}, 0, {@code
 * auto}.
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class MonitorBuilder<B extends MonitorBuilder<B>> {
  String monitor = "val_loss";
  int verbose = 0;
  String mode = Monitors.AUTO;

  MonitorBuilder() {}

  @SuppressWarnings("unchecked")
  final B self() {
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

  /**
   * Reads {@code monitor}, {@code verbose} and {@code mode} of a Keras keyword map (absent keys
   * keep their defaults).
   */
  void readMonitor(Map<String, ?> config) {
    monitor(Config.getString(config, "monitor", "val_loss"));
    verbose(Config.getInt(config, "verbose", 0));
    mode(Config.getString(config, "mode", Monitors.AUTO));
  }
}
