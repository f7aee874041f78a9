package jkeras.utils;

import java.io.Flushable;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.DoubleSupplier;
import java.util.function.UnaryOperator;
import jkeras.internal.Errors;

/**
 * A text progress bar, character for character the one of Keras 2.3.1 ({@code
 * keras/utils/generic_utils.py} {@code Progbar}).
 *
 * <p>Non-stateful values are averaged over the steps (or samples) they were reported for; stateful
 * ones are shown as given. {@code verbose=1} draws a bar, at most once per {@code interval} seconds
 * except for the final update; {@code verbose=2} prints one summary line when {@code current >=
 * target}; any other value prints nothing. Numbers are printed with Python's {@code %.4f}/{@code
 * %.4e} semantics (see {@link #formatFixed} and {@link #formatScientific}).
 *
 * <p>On a terminal ({@code dynamicDisplay}) each update rewrites the line with {@code '\b' * width
 * + '\r'}; otherwise each update starts with {@code '\n'}, which is why Keras logs piped to a file
 * show an empty line after {@code Epoch 1/n}.
 *
 * <p>Stateful and not thread-safe.
 *
 * <pre>{@code
 * Progbar bar = Progbar.builder(10).build();
 * bar.update(1, List.of(Map.entry("loss", 0.5)));
 * }</pre>
 */
public final class Progbar {
  /** Keras {@code width=30}. */
  public static final int WIDTH_DEFAULT = 30;

  /** Keras {@code verbose=1}. */
  public static final int VERBOSE_DEFAULT = 1;

  /** Keras {@code interval=0.05} (seconds). */
  public static final double INTERVAL_DEFAULT = 0.05;

  /**
   * The unit of the per-unit time. Keras 2.3.1 always prints {@code step}, even when the bar counts
   * samples ({@code fit} on arrays shows {@code 100/100 [...] - 0s 50us/step}); tf.keras prints
   * {@code sample} there.
   */
  public static final String UNIT_NAME_DEFAULT = "step";

  /**
   * The default clock: monotonic ({@code System.nanoTime()}), offset to the Unix epoch like
   * Python's {@code time.time()}, so that the first update always passes the throttle exactly as in
   * Keras (whose "last update" starts at 0).
   */
  public static final DoubleSupplier SYSTEM_CLOCK = systemClock();

  private final Integer target;
  private final int width;
  private final int verbose;
  private final double interval;
  private final Set<String> statefulMetrics;
  private final String unitName;
  private final Appendable output;
  private final DoubleSupplier clock;
  private final boolean dynamicDisplay;

  private int totalWidth;
  private int seenSoFar;
  // key -> {weighted sum, weight}; insertion ordered as Keras' OrderedDict.
  private final Map<String, double[]> values = new LinkedHashMap<>();
  private final double start;
  private double lastUpdate;

  private Progbar(Builder b) {
    this.target = b.target;
    this.width = b.width;
    this.verbose = b.verbose;
    this.interval = b.interval;
    this.statefulMetrics = Set.copyOf(b.statefulMetrics);
    this.unitName = b.unitName;
    this.output = b.output == null ? System.out : b.output;
    this.clock = b.clock;
    this.dynamicDisplay =
        b.dynamicDisplay != null
            ? b.dynamicDisplay
            : (b.output == null || b.output == System.out) && System.console() != null;
    this.start = clock.getAsDouble();
    this.lastUpdate = 0;
  }

  /** A bar with all Keras defaults writing to {@code System.out}. */
  public Progbar(Integer target) {
    this(builder(target));
  }

  /**
   * Starts a builder.
   *
   * @param target Keras {@code target}: total number of steps expected, {@code null} if unknown.
   */
  public static Builder builder(Integer target) {
    return new Builder(target);
  }

  /** The number of steps (or samples) seen so far. */
  public int seenSoFar() {
    return seenSoFar;
  }

  /** {@code target}, {@code null} when unknown. */
  public Integer target() {
    return target;
  }

  /** Updates the bar to step {@code current} without new values. */
  public void update(int current) {
    update(current, List.of());
  }

  /**
   * Updates the bar (Keras {@code update(current, values)}).
   *
   * @param current index of the current step (or the number of samples seen).
   * @param values {@code (name, value for the last step)} pairs, in display order. Non-stateful
   *     values are weighted by {@code current - seenSoFar()}; stateful ones replace the shown
   *     value. {@code null} means none.
   */
  public void update(int current, List<? extends Map.Entry<String, ? extends Number>> values) {
    if (values != null) {
      int delta = current - seenSoFar;
      for (Map.Entry<String, ? extends Number> e : values) {
        String k = e.getKey();
        double v = e.getValue().doubleValue();
        if (statefulMetrics.contains(k)) {
          // Shown as-is: an "average" of one value keeps the numeric formatting.
          double[] acc = this.values.get(k);
          if (acc == null) {
            this.values.put(k, new double[] {v, 1});
          } else {
            acc[0] = v;
            acc[1] = 1;
          }
        } else {
          double[] acc = this.values.computeIfAbsent(k, key -> new double[2]);
          acc[0] += v * delta;
          acc[1] += delta;
        }
      }
    }
    seenSoFar = current;

    double now = clock.getAsDouble();
    String info = " - " + formatFixed(now - start, 0) + "s";
    if (verbose == 1) {
      if (now - lastUpdate < interval && target != null && current < target) {
        return;
      }
      int prevTotalWidth = totalWidth;
      StringBuilder out = new StringBuilder();
      if (dynamicDisplay) {
        out.append("\b".repeat(prevTotalWidth)).append('\r');
      } else {
        out.append('\n');
      }

      String bar;
      if (target != null) {
        String targetText = Integer.toString(target);
        StringBuilder sb = new StringBuilder();
        sb.append(padLeft(Integer.toString(current), targetText.length()))
            .append('/')
            .append(targetText)
            .append(" [");
        // Keras divides by target; a target of 0 (an epoch without steps) would crash there.
        double prog = target > 0 ? (double) current / target : 1.0;
        int progWidth = (int) (width * prog);
        if (progWidth > 0) {
          sb.append("=".repeat(progWidth - 1));
          sb.append(current < target ? '>' : '=');
        }
        sb.append(".".repeat(Math.max(0, width - progWidth)));
        sb.append(']');
        bar = sb.toString();
      } else {
        bar = padLeft(Integer.toString(current), 7) + "/Unknown";
      }
      totalWidth = bar.length();
      out.append(bar);

      double timePerUnit = current != 0 ? (now - start) / current : 0;
      if (target != null && current < target) {
        info = " - ETA: " + formatEta(timePerUnit * (target - current));
      } else if (timePerUnit >= 1) {
        info += " " + formatFixed(timePerUnit, 0) + "s/" + unitName;
      } else if (timePerUnit >= 1e-3) {
        info += " " + formatFixed(timePerUnit * 1e3, 0) + "ms/" + unitName;
      } else {
        info += " " + formatFixed(timePerUnit * 1e6, 0) + "us/" + unitName;
      }

      StringBuilder infoSb = new StringBuilder(info);
      for (Map.Entry<String, double[]> e : this.values.entrySet()) {
        double avg = average(e.getValue());
        infoSb.append(" - ").append(e.getKey()).append(": ");
        infoSb.append(Math.abs(avg) > 1e-3 ? formatFixed(avg, 4) : formatScientific(avg, 4));
      }
      totalWidth += infoSb.length();
      if (prevTotalWidth > totalWidth) {
        infoSb.append(" ".repeat(prevTotalWidth - totalWidth));
      }
      if (target != null && current >= target) {
        infoSb.append('\n');
      }
      out.append(infoSb);
      write(out);
    } else if (verbose == 2) {
      if (target == null || current >= target) {
        StringBuilder infoSb = new StringBuilder(info);
        for (Map.Entry<String, double[]> e : this.values.entrySet()) {
          double avg = average(e.getValue());
          infoSb.append(" - ").append(e.getKey()).append(": ");
          // Keras tests avg > 1e-3 without abs() here, so negative values print as %.4e.
          infoSb.append(avg > 1e-3 ? formatFixed(avg, 4) : formatScientific(avg, 4));
        }
        infoSb.append('\n');
        write(infoSb);
      }
    }
    lastUpdate = now;
  }

  /** Advances the bar by {@code n} steps (Keras {@code add(n, values)}). */
  public void add(int n, List<? extends Map.Entry<String, ? extends Number>> values) {
    update(seenSoFar + n, values);
  }

  /** Advances the bar by {@code n} steps without new values. */
  public void add(int n) {
    update(seenSoFar + n, List.of());
  }

  private static double average(double[] acc) {
    return acc[0] / Math.max(1, acc[1]);
  }

  private void write(CharSequence s) {
    print(output, s);
  }

  /**
   * Writes {@code text} to {@code output} ({@code null}: {@code System.out}) and flushes it when it
   * is {@link Flushable}, as the bar writes its lines; {@code ProgbarLogger} writes its {@code
   * Epoch i/n} header through it.
   */
  public static void print(Appendable output, CharSequence text) {
    Appendable out = output == null ? System.out : output;
    try {
      out.append(text);
      if (out instanceof Flushable f) {
        f.flush();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String padLeft(String s, int width) {
    return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
  }

  /**
   * The ETA text: {@code h:mm:ss} above an hour, {@code m:ss} above a minute, else {@code Ns}, with
   * Python's float {@code //} and {@code %} and {@code %d} truncation.
   */
  static String formatEta(double eta) {
    if (eta > 3600) {
      return pyInt(pyFloorDiv(eta, 3600))
          + ":"
          + padZero(pyInt(pyFloorDiv(pyMod(eta, 3600), 60)))
          + ":"
          + padZero(pyInt(pyMod(eta, 60)));
    } else if (eta > 60) {
      return pyInt(pyFloorDiv(eta, 60)) + ":" + padZero(pyInt(pyMod(eta, 60)));
    }
    return pyInt(eta) + "s";
  }

  private static String padZero(String digits) {
    // Python '%02d': zero-pad to two characters (after the sign, absent here).
    return digits.length() >= 2 ? digits : "0" + digits;
  }

  /** Python {@code '%d' % x} for a float: truncation toward zero. */
  private static String pyInt(double x) {
    if (!Double.isFinite(x)) {
      return String.valueOf(x); // Python would raise; never happens with a monotonic clock
    }
    return new BigDecimal(x).setScale(0, RoundingMode.DOWN).toPlainString();
  }

  /** Python's float {@code a % b} (result has the sign of {@code b}). */
  static double pyMod(double a, double b) {
    double mod = a % b; // Java's % on doubles is C fmod
    if (mod != 0) {
      if ((b < 0) != (mod < 0)) {
        mod += b;
      }
    } else {
      mod = Math.copySign(0.0, b);
    }
    return mod;
  }

  /** Python's float {@code a // b} (CPython {@code float_floor_div}). */
  static double pyFloorDiv(double a, double b) {
    double mod = a % b;
    double div = (a - mod) / b;
    if (mod != 0 && ((b < 0) != (mod < 0))) {
      div -= 1.0;
    }
    if (div != 0) {
      double floor = Math.floor(div);
      if (div - floor > 0.5) {
        floor += 1.0;
      }
      return floor;
    }
    return Math.copySign(0.0, a / b);
  }

  /**
   * Python {@code '%.{precision}f' % value}: the exact binary value rounded half-to-even, {@code
   * Locale.ROOT} digits, a {@code '-'} kept on negative values that round to zero, and {@code nan},
   * {@code inf}, {@code -inf}.
   */
  public static String formatFixed(double value, int precision) {
    if (Double.isNaN(value)) {
      return "nan";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "inf" : "-inf";
    }
    boolean negative = value < 0 || (value == 0 && 1 / value < 0);
    String digits =
        new BigDecimal(Math.abs(value)).setScale(precision, RoundingMode.HALF_EVEN).toPlainString();
    return negative ? "-" + digits : digits;
  }

  /**
   * Python {@code '%.{precision}e' % value}: one digit, {@code precision} decimals, and an exponent
   * with a sign and at least two digits ({@code 1.0000e-04}, {@code 1.2346e+100}). Rounding is
   * half-to-even on the exact binary value, as in CPython.
   */
  public static String formatScientific(double value, int precision) {
    if (Double.isNaN(value)) {
      return "nan";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "inf" : "-inf";
    }
    boolean negative = value < 0 || (value == 0 && 1 / value < 0);
    double abs = Math.abs(value);
    String mantissa;
    int exponent;
    if (abs == 0) {
      mantissa = "0" + "0".repeat(precision);
      exponent = 0;
    } else {
      BigDecimal rounded =
          new BigDecimal(abs).round(new MathContext(precision + 1, RoundingMode.HALF_EVEN));
      exponent = rounded.precision() - rounded.scale() - 1;
      String unscaled = rounded.unscaledValue().toString();
      mantissa =
          unscaled.length() >= precision + 1
              ? unscaled.substring(0, precision + 1)
              : unscaled + "0".repeat(precision + 1 - unscaled.length());
    }
    StringBuilder sb = new StringBuilder();
    if (negative) {
      sb.append('-');
    }
    sb.append(mantissa.charAt(0));
    if (precision > 0) {
      sb.append('.').append(mantissa, 1, precision + 1);
    }
    sb.append('e').append(exponent < 0 ? '-' : '+');
    String exp = Integer.toString(Math.abs(exponent));
    sb.append(exp.length() < 2 ? "0" + exp : exp);
    return sb.toString();
  }

  private static DoubleSupplier systemClock() {
    double epochAtStart = System.currentTimeMillis() / 1e3;
    long nanoAtStart = System.nanoTime();
    return () -> epochAtStart + (System.nanoTime() - nanoAtStart) / 1e9;
  }

  /** Options of a {@link Progbar}; defaults are those of Keras. */
  public static final class Builder extends DisplayBuilder<Builder> {
    private final Integer target;
    private int width = WIDTH_DEFAULT;
    private int verbose = VERBOSE_DEFAULT;
    private double interval = INTERVAL_DEFAULT;
    private String unitName = UNIT_NAME_DEFAULT;

    private Builder(Integer target) {
      if (target != null && target < 0) {
        throw Errors.invalidArgument("target", "null or >= 0", target);
      }
      this.target = target;
    }

    /** Keras {@code width}: bar width in characters. Default {@value #WIDTH_DEFAULT}. */
    public Builder width(int width) {
      if (width < 0) {
        throw Errors.invalidArgument("width", ">= 0", width);
      }
      this.width = width;
      return this;
    }

    /**
     * Keras {@code verbose}: 0 silent, 1 bar, 2 one line at the end. Default {@value
     * #VERBOSE_DEFAULT}.
     */
    public Builder verbose(int verbose) {
      this.verbose = verbose;
      return this;
    }

    /**
     * Keras {@code interval}: minimum seconds between two drawn updates (verbose 1). Default
     * {@value #INTERVAL_DEFAULT}.
     */
    public Builder interval(double interval) {
      this.interval = interval;
      return this;
    }

    /**
     * tf.keras {@code unit_name}: the unit of the per-unit time. Default {@value
     * #UNIT_NAME_DEFAULT} (Keras 2.3.1 has no such argument and always prints {@code step}).
     */
    public Builder unitName(String unitName) {
      this.unitName = Objects.requireNonNull(unitName, "unitName");
      return this;
    }

    public Progbar build() {
      return new Progbar(this);
    }
  }

  /**
   * The display options of a bar, which {@link jkeras.callbacks.ProgbarLogger} passes on to the bar
   * of each epoch: {@code stateful_metrics}, the output, the clock and line rewriting. Defaults are
   * Keras'.
   *
   * @param <B> the concrete builder, for chaining
   */
  @SuppressWarnings("unchecked")
  public abstract static class DisplayBuilder<B extends DisplayBuilder<B>> {
    Collection<String> statefulMetrics = List.of();
    Appendable output;
    DoubleSupplier clock = SYSTEM_CLOCK;
    Boolean dynamicDisplay;

    /** For the builders of a bar and of a {@link jkeras.callbacks.ProgbarLogger}. */
    protected DisplayBuilder() {}

    /**
     * Keras {@code stateful_metrics}: names shown as-is instead of averaged. Default none; {@code
     * null} means none.
     */
    public B statefulMetrics(Collection<String> statefulMetrics) {
      this.statefulMetrics = statefulMetrics == null ? List.of() : List.copyOf(statefulMetrics);
      return (B) this;
    }

    /**
     * Where to write. Default {@code System.out}. A {@link PrintStream} or any {@link Appendable};
     * it is flushed after each write when {@link Flushable}.
     */
    public B output(Appendable output) {
      this.output = output;
      return (B) this;
    }

    /** The clock, in seconds. Default {@link Progbar#SYSTEM_CLOCK}. Tests inject a fake one. */
    public B clock(DoubleSupplier clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return (B) this;
    }

    /**
     * Whether to rewrite the line in place ({@code '\b'...'\r'}) instead of starting a new line per
     * update. Default: {@code System.console() != null} when writing to {@code System.out} (Keras:
     * {@code sys.stdout.isatty()}), {@code false} for an injected output.
     */
    public B dynamicDisplay(boolean dynamicDisplay) {
      this.dynamicDisplay = dynamicDisplay;
      return (B) this;
    }

    /** The output set, or null for {@code System.out}. */
    protected final Appendable currentOutput() {
      return output;
    }

    /** These options as they are now, to give a bar's builder later. */
    protected final UnaryOperator<Builder> displayOptions() {
      Collection<String> m = statefulMetrics;
      Appendable o = output;
      DoubleSupplier c = clock;
      Boolean d = dynamicDisplay;
      return b -> {
        b.statefulMetrics = m;
        b.output = o;
        b.clock = c;
        b.dynamicDisplay = d;
        return b;
      };
    }
  }
}
