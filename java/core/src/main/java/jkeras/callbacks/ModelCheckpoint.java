package jkeras.callbacks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jkeras.internal.Config;
import jkeras.internal.Errors;
import jkeras.internal.PyFormat;
import jkeras.internal.Warnings;

/**
 * Saves the model, or its weights, at the end of epochs (Keras 2.3.1 {@code ModelCheckpoint}).
 *
 * <pre>{@code
 * Callback ckpt = ModelCheckpoint.builder("weights.{epoch:02d}-{val_loss:.2f}.h5")
 *     .saveBestOnly(true).saveWeightsOnly(true).build();
 * }</pre>
 *
 * <p>Every {@code period} epochs (counted across {@code fit} calls, as Keras counts them), the path
 * is {@code filepath.format(epoch=epoch + 1, **logs)} in Python's {@code str.format} syntax ({@code
 * {epoch:02d}}, {@code {val_loss:.4f}}, any key of the epoch's logs); a field naming a key the logs
 * lack fails as Python's {@code KeyError} does. Without {@code saveBestOnly} the model is saved
 * there ({@link jkeras.models.Model#save}, or {@link jkeras.models.Model#saveWeights} with {@code
 * saveWeightsOnly}); with it, only when the monitored value beats the best so far ({@code <} in
 * {@code min} mode, {@code >} in {@code max}; {@code auto} maximises when the monitor's name
 * contains {@code acc} or starts with {@code fmeasure}), and a missing monitor value warns "Can
 * save best model only with val_loss available, skipping.". With {@code verbose > 0} it prints
 * Keras' messages ("\nEpoch 00003: val_loss improved from 0.51234 to 0.49876, saving model to ...",
 * "... did not improve from ...", "\nEpoch 00003: saving model to ..."). Each save writes a file
 * beside the destination and renames it into place (the saving module's atomic writes), so a run
 * killed during a save leaves the previous checkpoint intact.
 *
 * <p>Stateful as in Keras 2.3.1: {@code best} and the epochs since the last save are kept across
 * {@code fit} calls (Keras 2.3.1 set them in {@code __init__} only). Not thread-safe.
 */
public class ModelCheckpoint extends Callback {
  /** Keras {@code monitor='val_loss'}. */
  public static final String MONITOR_DEFAULT = "val_loss";

  /** Keras {@code verbose=0}. */
  public static final int VERBOSE_DEFAULT = 0;

  /** Keras {@code save_best_only=False}. */
  public static final boolean SAVE_BEST_ONLY_DEFAULT = false;

  /** Keras {@code save_weights_only=False}. */
  public static final boolean SAVE_WEIGHTS_ONLY_DEFAULT = false;

  /**
   * Keras {@code mode='auto'}: {@code max} when the monitor's name contains {@code acc} or starts
   * with {@code fmeasure}.
   */
  public static final String MODE_DEFAULT = Monitors.AUTO;

  /** Keras {@code period=1}. */
  public static final int PERIOD_DEFAULT = 1;

  private static final List<String> KEYS =
      List.of(
          "filepath",
          "monitor",
          "verbose",
          "save_best_only",
          "save_weights_only",
          "mode",
          "period");

  private final String filepath;
  private final String monitor;
  private final int verbose;
  private final boolean saveBestOnly;
  private final boolean saveWeightsOnly;
  private final boolean maximize;
  private final int period;

  private double best;
  private int epochsSinceLastSave;

  private ModelCheckpoint(Builder b) {
    this.filepath = b.filepath;
    this.monitor = b.monitor;
    this.verbose = b.verbose;
    this.saveBestOnly = b.saveBestOnly;
    this.saveWeightsOnly = b.saveWeightsOnly;
    this.period = b.period;
    String mode = Monitors.mode(b.mode, "ModelCheckpoint");
    this.maximize =
        mode.equals(Monitors.MAX)
            || (mode.equals(Monitors.AUTO)
                && (monitor.contains("acc") || monitor.startsWith("fmeasure")));
    this.best = maximize ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
  }

  /** {@code ModelCheckpoint(filepath)} with every other argument at Keras' default. */
  public ModelCheckpoint(String filepath) {
    this(builder(filepath));
  }

  /** A builder with Keras' defaults; {@code filepath} is a Python format string (see above). */
  public static Builder builder(String filepath) {
    return new Builder(Monitors.required(filepath, "filepath"));
  }

  /** A builder for a fixed path (no format fields: braces in it are written as they are). */
  public static Builder builder(Path filepath) {
    String p = Monitors.required(filepath, "filepath").toString();
    return new Builder(p.replace("{", "{{").replace("}", "}}"));
  }

  /**
   * Keras' keyword form, {@code ModelCheckpoint(**kwargs)}: {@code filepath} (required), {@code
   * monitor}, {@code verbose}, {@code save_best_only}, {@code save_weights_only}, {@code mode},
   * {@code period}.
   *
   * @throws IllegalArgumentException for an unknown key, a missing {@code filepath} or a value of
   *     the wrong type
   */
  public static ModelCheckpoint fromConfig(Map<String, ?> config) {
    Errors.checkKeys("ModelCheckpoint", config, KEYS);
    if (config.get("filepath") == null)
      throw Errors.invalidArgument("filepath", "a path (a Python format string)", null);
    Builder b = builder(Config.getString(config, "filepath", null));
    b.readMonitor(config);
    b.saveBestOnly(Config.getBoolean(config, "save_best_only", SAVE_BEST_ONLY_DEFAULT));
    b.saveWeightsOnly(Config.getBoolean(config, "save_weights_only", SAVE_WEIGHTS_ONLY_DEFAULT));
    b.period(Config.getInt(config, "period", PERIOD_DEFAULT));
    return b.build();
  }

  @Override
  public void onEpochEnd(int epoch, Logs logs) {
    if (!isChief()) return; // only the chief writes checkpoints, as in Keras
    epochsSinceLastSave++;
    if (epochsSinceLastSave < period) return;
    epochsSinceLastSave = 0;
    Path path = Path.of(filepath(epoch, logs));
    if (!saveBestOnly) {
      if (verbose > 0)
        Monitors.print(String.format("%nEpoch %05d: saving model to %s", epoch + 1, path));
      save(path);
      return;
    }
    Double current = logs.getDouble(monitor);
    if (current == null) {
      Warnings.warn("Can save best model only with " + monitor + " available, skipping.");
      return;
    }
    if (maximize ? current > best : current < best) {
      if (verbose > 0) {
        Monitors.print(
            String.format(
                "%nEpoch %05d: %s improved from %s to %s, saving model to %s",
                epoch + 1, monitor, fixed5(best), fixed5(current), path));
      }
      best = current;
      save(path);
    } else if (verbose > 0) {
      Monitors.print(
          String.format(
              "%nEpoch %05d: %s did not improve from %s", epoch + 1, monitor, fixed5(best)));
    }
  }

  /** Keras' {@code filepath.format(epoch=epoch + 1, **logs)}. */
  String filepath(int epoch, Logs logs) {
    Map<String, Object> kwargs = new LinkedHashMap<>(logs);
    kwargs.put("epoch", epoch + 1);
    return PyFormat.format(filepath, kwargs);
  }

  private void save(Path path) {
    try {
      if (saveWeightsOnly) model().saveWeights(path);
      else model().save(path);
    } catch (IOException e) {
      throw new UncheckedIOException("ModelCheckpoint cannot save to " + path, e);
    }
  }

  /** Python's {@code '%0.5f' % x} ({@code inf} for an infinite best, as Keras prints it). */
  private static String fixed5(double x) {
    return PyFormat.formatValue(x, ".5f");
  }

  /** Keras {@code best}: the best monitored value so far (+-inf before any, by mode). */
  public double best() {
    return best;
  }

  /** Keras {@code filepath}: the format string. */
  public String filepathTemplate() {
    return filepath;
  }

  /** Keras {@code monitor}. */
  public String monitor() {
    return monitor;
  }

  /** Builds a {@link ModelCheckpoint}; every argument defaults as in Keras 2.3.1. */
  public static final class Builder extends MonitorBuilder<Builder> {
    private final String filepath;
    private boolean saveBestOnly = SAVE_BEST_ONLY_DEFAULT;
    private boolean saveWeightsOnly = SAVE_WEIGHTS_ONLY_DEFAULT;
    private int period = PERIOD_DEFAULT;

    private Builder(String filepath) {
      this.filepath = filepath;
    }

    /**
     * {@code saveBestOnly} (Keras {@code save_best_only}): save only when the monitored value beats
     * the best so far. Default false.
     */
    public Builder saveBestOnly(boolean saveBestOnly) {
      this.saveBestOnly = saveBestOnly;
      return this;
    }

    /**
     * {@code saveWeightsOnly} (Keras {@code save_weights_only}): {@code saveWeights} instead of
     * {@code save}. Default false.
     */
    public Builder saveWeightsOnly(boolean saveWeightsOnly) {
      this.saveWeightsOnly = saveWeightsOnly;
      return this;
    }

    /**
     * {@code period} (Keras {@code period}): epochs between checkpoints; as in Keras 2.3.1, a value
     * below 1 saves at every epoch, as 1 does. Default 1.
     */
    public Builder period(int period) {
      this.period = period;
      return this;
    }

    public ModelCheckpoint build() {
      return new ModelCheckpoint(this);
    }
  }
}
