package jkeras.preprocessing.image;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import jkeras.data.DType;
import jkeras.data.NDArray;
import jkeras.internal.Warnings;
import jkeras.trainers.Kwargs;
import jkeras.utils.LegacyRandomState;
import jkeras.utils.RngUtils;

/**
 * Keras' {@code ImageDataGenerator} (keras_preprocessing 1.1.2, as Keras 2.3.1 uses it): real-time
 * augmentation and standardisation of image batches. The options carry Keras' parameter names
 * camelCased and Keras' defaults ({@code *_DEFAULT}); {@link #fromConfig} takes Keras' keyword map.
 *
 * <pre>{@code
 * ImageDataGenerator datagen = ImageDataGenerator.builder()
 *     .widthShiftRange(0.1).heightShiftRange(0.1).horizontalFlip(true).fillMode("nearest")
 *     .build();
 * datagen.fit(xTrain);                                   // only for featurewise statistics
 * model.fitGenerator(datagen.flow(xTrain, yTrain), FitOptions.builder().workers(4).build());
 * }</pre>
 *
 * <p>Per sample, in batch order: {@link #getRandomTransform}, {@link #applyTransform}, {@link
 * #standardize}. Given a seed, index orders and transform parameters equal keras_preprocessing's
 * bit for bit (numpy's legacy MT19937 is reproduced in {@link LegacyRandomState}); pixels follow
 * scipy.ndimage. Where Keras uses numpy's global random state, a generator here owns one: calls
 * without a seed draw from it, a seeded call reseeds it, as {@code np.random.seed} would.
 *
 * <p>The configuration is immutable; the statistics that {@link #fit} computes (mean, std, ZCA
 * components) are the generator's mutable state, as in Keras: fit before handing the generator to
 * workers.
 */
public final class ImageDataGenerator {
  public static final boolean FEATUREWISE_CENTER_DEFAULT = false;
  public static final boolean SAMPLEWISE_CENTER_DEFAULT = false;
  public static final boolean FEATUREWISE_STD_NORMALIZATION_DEFAULT = false;
  public static final boolean SAMPLEWISE_STD_NORMALIZATION_DEFAULT = false;
  public static final boolean ZCA_WHITENING_DEFAULT = false;
  public static final double ZCA_EPSILON_DEFAULT = 1e-6;
  public static final double ROTATION_RANGE_DEFAULT = 0;
  public static final double WIDTH_SHIFT_RANGE_DEFAULT = 0.0;
  public static final double HEIGHT_SHIFT_RANGE_DEFAULT = 0.0;
  public static final double[] BRIGHTNESS_RANGE_DEFAULT = null;
  public static final double SHEAR_RANGE_DEFAULT = 0.0;
  public static final double ZOOM_RANGE_DEFAULT = 0.0;
  public static final double CHANNEL_SHIFT_RANGE_DEFAULT = 0.0;
  public static final String FILL_MODE_DEFAULT = "nearest";
  public static final double CVAL_DEFAULT = 0.0;
  public static final boolean HORIZONTAL_FLIP_DEFAULT = false;
  public static final boolean VERTICAL_FLIP_DEFAULT = false;
  public static final Double RESCALE_DEFAULT = null;
  public static final String DATA_FORMAT_DEFAULT = "channels_last";
  public static final double VALIDATION_SPLIT_DEFAULT = 0.0;
  public static final int INTERPOLATION_ORDER_DEFAULT = 1;
  public static final String DTYPE_DEFAULT = "float32";

  /** The keyword names {@link #fromConfig} accepts, in Keras' order. */
  public static final List<String> KEYWORDS =
      List.of(
          "featurewise_center",
          "samplewise_center",
          "featurewise_std_normalization",
          "samplewise_std_normalization",
          "zca_whitening",
          "zca_epsilon",
          "rotation_range",
          "width_shift_range",
          "height_shift_range",
          "brightness_range",
          "shear_range",
          "zoom_range",
          "channel_shift_range",
          "fill_mode",
          "cval",
          "horizontal_flip",
          "vertical_flip",
          "rescale",
          "preprocessing_function",
          "data_format",
          "validation_split",
          "interpolation_order",
          "dtype");

  final boolean featurewiseCenter;
  final boolean samplewiseCenter;
  final boolean featurewiseStdNormalization;
  final boolean samplewiseStdNormalization;
  final boolean zcaWhitening;
  final double zcaEpsilon;
  final double rotationRange;
  final ShiftRange widthShiftRange;
  final ShiftRange heightShiftRange;
  final double[] brightnessRange;
  final double shearRange;
  final double[] zoomRange;
  final double channelShiftRange;
  final String fillMode;
  final int mode;
  final double cval;
  final boolean horizontalFlip;
  final boolean verticalFlip;
  final Double rescale;
  final UnaryOperator<NDArray> preprocessingFunction;
  final String dataFormat;
  final boolean channelsLast;
  final double validationSplit;
  final int interpolationOrder;
  final DType dtype;

  // fit()'s statistics: per channel, float32 as numpy keeps them; null until fit.
  private volatile float[] mean;
  private volatile float[] std;
  private volatile float[] principalComponents;
  private final LegacyRandomState globalState;

  private ImageDataGenerator(Builder b) {
    if (!"channels_last".equals(b.dataFormat) && !"channels_first".equals(b.dataFormat)) {
      throw new IllegalArgumentException(
          "`data_format` should be `\"channels_last\"` (channel after row and column) or"
              + " `\"channels_first\"` (channel before row and column). Received: "
              + b.dataFormat);
    }
    if (b.validationSplit != 0 && !(0 < b.validationSplit && b.validationSplit < 1)) {
      throw new IllegalArgumentException(
          "`validation_split` must be strictly between 0 and 1.  Received: " + b.validationSplit);
    }
    if (b.zoomRange == null || b.zoomRange.length != 2) {
      throw new IllegalArgumentException(
          "`zoom_range` should be a float or a tuple or list of two floats. Received: "
              + (b.zoomRange == null ? "None" : Arrays.toString(b.zoomRange)));
    }
    if (b.brightnessRange != null && b.brightnessRange.length != 2) {
      throw new IllegalArgumentException(
          "`brightness_range should be tuple or list of two floats. Received: "
              + Arrays.toString(b.brightnessRange));
    }
    if (b.dtype != DType.FLOAT32 && b.dtype != DType.FLOAT64) {
      throw new IllegalArgumentException(
          "Expected `dtype` to be \"float32\" or \"float64\". Received: dtype="
              + b.dtype.kerasName());
    }
    this.mode = AffineTransformations.mode(b.fillMode);
    this.interpolationOrder = AffineTransformations.checkOrder(b.interpolationOrder);
    boolean fc = b.featurewiseCenter;
    boolean fstd = b.featurewiseStdNormalization;
    boolean sc = b.samplewiseCenter;
    // Keras' overrides, with its warnings.
    if (b.zcaWhitening) {
      if (!fc) {
        fc = true;
        Warnings.warn(
            "This ImageDataGenerator specifies `zca_whitening`, which overrides setting of"
                + " `featurewise_center`.");
      }
      if (fstd) {
        fstd = false;
        Warnings.warn(
            "This ImageDataGenerator specifies `zca_whitening` which overrides setting"
                + " of`featurewise_std_normalization`.");
      }
    }
    if (fstd && !fc) {
      fc = true;
      Warnings.warn(
          "This ImageDataGenerator specifies `featurewise_std_normalization`, which overrides"
              + " setting of `featurewise_center`.");
    }
    if (b.samplewiseStdNormalization && !sc) {
      sc = true;
      Warnings.warn(
          "This ImageDataGenerator specifies `samplewise_std_normalization`, which overrides"
              + " setting of `samplewise_center`.");
    }
    this.featurewiseCenter = fc;
    this.samplewiseCenter = sc;
    this.featurewiseStdNormalization = fstd;
    this.samplewiseStdNormalization = b.samplewiseStdNormalization;
    this.zcaWhitening = b.zcaWhitening;
    this.zcaEpsilon = b.zcaEpsilon;
    this.rotationRange = b.rotationRange;
    this.widthShiftRange = b.widthShiftRange;
    this.heightShiftRange = b.heightShiftRange;
    this.brightnessRange = b.brightnessRange == null ? null : b.brightnessRange.clone();
    this.shearRange = b.shearRange;
    this.zoomRange = b.zoomRange.clone();
    this.channelShiftRange = b.channelShiftRange;
    this.fillMode = b.fillMode;
    this.cval = b.cval;
    this.horizontalFlip = b.horizontalFlip;
    this.verticalFlip = b.verticalFlip;
    this.rescale = b.rescale;
    this.preprocessingFunction = b.preprocessingFunction;
    this.dataFormat = b.dataFormat;
    this.channelsLast = "channels_last".equals(b.dataFormat);
    this.validationSplit = b.validationSplit;
    this.dtype = b.dtype;
    this.globalState = new LegacyRandomState(RngUtils.streamSeed() & 0xFFFFFFFFL);
  }

  /** A generator with all of Keras' defaults (no augmentation, no standardisation). */
  public static ImageDataGenerator create() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * From Keras' keyword map ({@code ImageDataGenerator(**kwargs)}): the keys of {@link #KEYWORDS};
   * {@code preprocessing_function} must be a {@code UnaryOperator<NDArray>}.
   *
   * @throws IllegalArgumentException for an unknown key (listing the valid ones) or a bad value
   */
  public static ImageDataGenerator fromConfig(Map<String, ?> config) {
    Builder b = builder();
    for (Map.Entry<String, ?> e : config.entrySet()) {
      String k = e.getKey();
      Object v = e.getValue();
      switch (k) {
        case "featurewise_center" -> b.featurewiseCenter(Kwargs.toBool(k, v));
        case "samplewise_center" -> b.samplewiseCenter(Kwargs.toBool(k, v));
        case "featurewise_std_normalization" -> b.featurewiseStdNormalization(Kwargs.toBool(k, v));
        case "samplewise_std_normalization" -> b.samplewiseStdNormalization(Kwargs.toBool(k, v));
        case "zca_whitening" -> b.zcaWhitening(Kwargs.toBool(k, v));
        case "zca_epsilon" -> b.zcaEpsilon(Kwargs.toDouble(k, v));
        case "rotation_range" -> b.rotationRange(Kwargs.toDouble(k, v));
        case "width_shift_range" -> b.widthShiftRange = shift(k, v);
        case "height_shift_range" -> b.heightShiftRange = shift(k, v);
        case "brightness_range" -> b.brightnessRange = v == null ? null : pair(k, v, "brightness");
        case "shear_range" -> b.shearRange(Kwargs.toDouble(k, v));
        case "zoom_range" ->
            b.zoomRange =
                v instanceof Number && !(v instanceof Boolean)
                    ? new double[] {1 - ((Number) v).doubleValue(), 1 + ((Number) v).doubleValue()}
                    : pair(k, v, "zoom");
        case "channel_shift_range" -> b.channelShiftRange(Kwargs.toDouble(k, v));
        case "fill_mode" -> b.fillMode(str(k, v));
        case "cval" -> b.cval(Kwargs.toDouble(k, v));
        case "horizontal_flip" -> b.horizontalFlip(Kwargs.toBool(k, v));
        case "vertical_flip" -> b.verticalFlip(Kwargs.toBool(k, v));
        case "rescale" -> b.rescale(v == null ? null : Kwargs.toDouble(k, v));
        case "preprocessing_function" -> b.preprocessingFunction(function(v));
        case "data_format" -> b.dataFormat(v == null ? DATA_FORMAT_DEFAULT : str(k, v));
        case "validation_split" -> b.validationSplit(Kwargs.toDouble(k, v));
        case "interpolation_order" -> b.interpolationOrder(Kwargs.toInt(k, v));
        case "dtype" -> b.dtype(v == null ? DTYPE_DEFAULT : str(k, v));
        default ->
            throw new IllegalArgumentException(
                "Unknown argument `"
                    + k
                    + "` for ImageDataGenerator. Expected one of "
                    + KEYWORDS
                    + ". Received: "
                    + k
                    + "="
                    + v);
      }
    }
    return b.build();
  }

  private static ShiftRange shift(String k, Object v) {
    if (v instanceof Integer || v instanceof Long || v instanceof Short) {
      return ShiftRange.ofInt(((Number) v).intValue());
    }
    if (v instanceof Number n && !(v instanceof Boolean))
      return ShiftRange.ofFloat(n.doubleValue());
    if (v instanceof List<?> l && l.stream().allMatch(o -> o instanceof Number)) {
      @SuppressWarnings("unchecked")
      List<? extends Number> nums = (List<? extends Number>) l;
      return ShiftRange.ofList(nums);
    }
    throw new IllegalArgumentException(
        "Expected `"
            + k
            + "` to be a float, an int or a list of numbers. Received: "
            + k
            + "="
            + v);
  }

  private static double[] pair(String k, Object v, String which) {
    List<?> l = v instanceof double[] d ? Arrays.stream(d).boxed().toList() : null;
    if (l == null && v instanceof List<?> list) l = list;
    if (l == null && v instanceof Object[] arr) l = Arrays.asList(arr);
    if (l == null || l.size() != 2 || !l.stream().allMatch(o -> o instanceof Number)) {
      String shown = l == null ? String.valueOf(v) : l.toString();
      if (which.equals("zoom")) {
        throw new IllegalArgumentException(
            "`zoom_range` should be a float or a tuple or list of two floats. Received: " + shown);
      }
      throw new IllegalArgumentException(
          "`brightness_range should be tuple or list of two floats. Received: " + shown);
    }
    return new double[] {((Number) l.get(0)).doubleValue(), ((Number) l.get(1)).doubleValue()};
  }

  private static String str(String k, Object v) {
    if (v instanceof String s) return s;
    throw new IllegalArgumentException(
        "Expected `" + k + "` to be a string. Received: " + k + "=" + v);
  }

  @SuppressWarnings("unchecked")
  private static UnaryOperator<NDArray> function(Object v) {
    if (v == null || v instanceof UnaryOperator<?>) return (UnaryOperator<NDArray>) v;
    throw new IllegalArgumentException(
        "Expected `preprocessing_function` to be a UnaryOperator<NDArray>. Received: "
            + "preprocessing_function="
            + v);
  }

  // ---- Keras' attributes ----------------------------------------------------------------------

  /** {@code data_format}. */
  public String dataFormat() {
    return dataFormat;
  }

  /** {@code zoom_range} after Keras' normalisation to {@code [lower, upper]}. */
  public double[] zoomRange() {
    return zoomRange.clone();
  }

  /** {@code featurewise_center}, after the overrides of zca and std normalisation. */
  public boolean featurewiseCenter() {
    return featurewiseCenter;
  }

  /** {@code featurewise_std_normalization}, after the override of zca. */
  public boolean featurewiseStdNormalization() {
    return featurewiseStdNormalization;
  }

  /** {@code samplewise_center}, after the override of samplewise std normalisation. */
  public boolean samplewiseCenter() {
    return samplewiseCenter;
  }

  /** {@code validation_split}. */
  public double validationSplit() {
    return validationSplit;
  }

  /** {@code dtype} of the batches. */
  public DType dtype() {
    return dtype;
  }

  /** The per-channel mean from {@link #fit}, shaped for broadcasting like Keras', or null. */
  public NDArray mean() {
    float[] m = mean;
    return m == null ? null : NDArray.of(m.clone(), broadcastShape(m.length));
  }

  /** The per-channel std from {@link #fit}, shaped for broadcasting like Keras', or null. */
  public NDArray std() {
    float[] s = std;
    return s == null ? null : NDArray.of(s.clone(), broadcastShape(s.length));
  }

  /** The ZCA matrix from {@link #fit} ({@code principal_components}), or null. */
  public NDArray principalComponents() {
    float[] p = principalComponents;
    if (p == null) return null;
    int d = (int) Math.round(Math.sqrt(p.length));
    return NDArray.of(p.clone(), d, d);
  }

  private long[] broadcastShape(int c) {
    return channelsLast ? new long[] {1, 1, c} : new long[] {c, 1, 1};
  }

  // ---- the random transform -------------------------------------------------------------------

  /**
   * {@code get_random_transform(img_shape)}: draws from this generator's random state (Keras:
   * numpy's global state).
   */
  public TransformParameters getRandomTransform(long[] imgShape) {
    synchronized (globalState) {
      return getRandomTransform(imgShape, globalState);
    }
  }

  /**
   * {@code get_random_transform(img_shape, seed)}: reseeds this generator's random state with
   * {@code seed} first when it is not null, as Keras reseeds numpy's.
   */
  public TransformParameters getRandomTransform(long[] imgShape, Long seed) {
    synchronized (globalState) {
      if (seed != null) globalState.seed(seed);
      return getRandomTransform(imgShape, globalState);
    }
  }

  /** The draws of get_random_transform, in Keras' order, from {@code rs}. */
  TransformParameters getRandomTransform(long[] imgShape, LegacyRandomState rs) {
    if (imgShape.length != 3) {
      throw new IllegalArgumentException(
          "Expected `imgShape` to be the shape of a single image (rank 3). Received: imgShape="
              + Arrays.toString(imgShape));
    }
    int rows = (int) imgShape[channelsLast ? 0 : 1];
    int cols = (int) imgShape[channelsLast ? 1 : 2];
    double theta = rotationRange != 0 ? rs.uniform(-rotationRange, rotationRange) : 0;
    double tx = heightShiftRange.draw(rows, rs);
    double ty = widthShiftRange.draw(cols, rs);
    double shear = shearRange != 0 ? rs.uniform(-shearRange, shearRange) : 0;
    double zx = 1;
    double zy = 1;
    if (!(zoomRange[0] == 1 && zoomRange[1] == 1)) {
      zx = rs.uniform(zoomRange[0], zoomRange[1]);
      zy = rs.uniform(zoomRange[0], zoomRange[1]);
    }
    // Keras draws both flips whatever the settings.
    boolean flipH = rs.randomSample() < 0.5 && horizontalFlip;
    boolean flipV = rs.randomSample() < 0.5 && verticalFlip;
    Double channelShift =
        channelShiftRange != 0 ? rs.uniform(-channelShiftRange, channelShiftRange) : null;
    Double brightness =
        brightnessRange != null ? rs.uniform(brightnessRange[0], brightnessRange[1]) : null;
    return new TransformParameters(
        theta, tx, ty, shear, zx, zy, flipH, flipV, channelShift, brightness);
  }

  /**
   * {@code apply_transform(x, transform_parameters)}: affine resampling, channel shift, flips,
   * brightness, in Keras' order.
   *
   * @param x a single image (rank 3) in this generator's data format
   */
  public NDArray applyTransform(NDArray x, TransformParameters params) {
    return applyTransform(Img.of(x, channelsLast, "x"), params).toNDArray(dtype);
  }

  Img applyTransform(Img x, TransformParameters p) {
    Img out =
        AffineTransformations.affine(
            x,
            p.theta(),
            p.tx(),
            p.ty(),
            p.shear(),
            p.zx(),
            p.zy(),
            mode,
            cval,
            interpolationOrder);
    if (out == x) out = x.copy();
    if (p.channelShiftIntensity() != null) {
      AffineTransformations.channelShift(out, p.channelShiftIntensity());
    }
    if (p.flipHorizontal()) out = flip(out, false);
    if (p.flipVertical()) out = flip(out, true);
    if (p.brightness() != null) {
      if (!channelsLast) {
        throw new UnsupportedOperationException(
            "`brightness_range` with data_format=\"channels_first\": keras_preprocessing reads"
                + " the image as channels last there; not reproduced.");
      }
      AffineTransformations.brightnessShift(out, p.brightness());
    }
    return out;
  }

  /** Reverses the rows or the columns of {@code x} in place. */
  private static Img flip(Img x, boolean rows) {
    float[] d = x.data;
    int n = rows ? x.rows / 2 : x.rows;
    int m = rows ? x.cols : x.cols / 2;
    for (int r = 0; r < n; r++)
      for (int c = 0; c < m; c++) {
        int r2 = rows ? x.rows - 1 - r : r;
        int c2 = rows ? c : x.cols - 1 - c;
        for (int k = 0; k < x.channels; k++) {
          int a = x.at(r, c, k);
          int b = x.at(r2, c2, k);
          float t = d[a];
          d[a] = d[b];
          d[b] = t;
        }
      }
    return x;
  }

  /** {@code random_transform(x)}: a random transform from this generator's state, applied. */
  public NDArray randomTransform(NDArray x) {
    return randomTransform(x, null);
  }

  /** {@code random_transform(x, seed)}. */
  public NDArray randomTransform(NDArray x, Long seed) {
    return applyTransform(x, getRandomTransform(x.shape(), seed));
  }

  // ---- standardisation ------------------------------------------------------------------------

  /**
   * {@code standardize(x)}: {@code preprocessing_function}, {@code rescale}, samplewise centre and
   * normalisation, featurewise centre and normalisation, ZCA, in Keras' order and in float32 as
   * numpy computes them (its pairwise sums included). Keras changes {@code x} in place; this
   * returns a new array.
   *
   * @param x one image (rank 3) or a batch (rank 4) in this generator's data format
   */
  public NDArray standardize(NDArray x) {
    long[] s = x.shape();
    if (s.length == 4) {
      int n = (int) s[0];
      long[] one = Arrays.copyOfRange(s, 1, 4);
      float[] out = new float[(int) x.size()];
      int per = (int) (x.size() / Math.max(n, 1));
      for (int i = 0; i < n; i++) {
        Img img = Img.of(x.slice(i, i + 1).reshape(one), channelsLast, "x");
        System.arraycopy(standardize(img).data, 0, out, i * per, per);
      }
      return NDArray.of(out, s).astype(dtype);
    }
    return standardize(Img.of(x, channelsLast, "x")).toNDArray(dtype);
  }

  Img standardize(Img x) {
    if (preprocessingFunction != null) {
      NDArray r = preprocessingFunction.apply(x.toNDArray(DType.FLOAT32));
      if (r == null || !Arrays.equals(r.shape(), x.shape())) {
        throw new IllegalArgumentException(
            "Expected `preprocessingFunction` to return an image of shape "
                + Arrays.toString(x.shape())
                + ". Received: "
                + (r == null ? "null" : "shape " + Arrays.toString(r.shape())));
      }
      x = new Img(r.toFloatArray(), x.rows, x.cols, x.channels, x.channelsLast);
    }
    float[] d = x.data;
    if (rescale != null && rescale != 0) {
      float f = (float) (double) rescale;
      for (int i = 0; i < d.length; i++) d[i] *= f;
    }
    if (samplewiseCenter) {
      float m = Stats.mean(d);
      for (int i = 0; i < d.length; i++) d[i] -= m;
    }
    if (samplewiseStdNormalization) {
      float sd = Stats.std(d) + 1e-6f;
      for (int i = 0; i < d.length; i++) d[i] /= sd;
    }
    float[] m = mean;
    float[] sd = std;
    float[] pc = principalComponents;
    if (featurewiseCenter) {
      if (m != null) {
        for (int i = 0; i < d.length; i++) d[i] -= m[channelOf(x, i)];
      } else {
        Warnings.warn(notFit("featurewise_center"));
      }
    }
    if (featurewiseStdNormalization) {
      if (sd != null) {
        for (int i = 0; i < d.length; i++) d[i] /= sd[channelOf(x, i)] + 1e-6f;
      } else {
        Warnings.warn(notFit("featurewise_std_normalization"));
      }
    }
    if (zcaWhitening) {
      if (pc != null) {
        float[] w = Zca.whiten(d, pc);
        System.arraycopy(w, 0, d, 0, d.length);
      } else {
        Warnings.warn(notFit("zca_whitening"));
      }
    }
    return x;
  }

  private static int channelOf(Img x, int flat) {
    return x.channelsLast ? flat % x.channels : flat / (x.rows * x.cols);
  }

  private static String notFit(String what) {
    return "This ImageDataGenerator specifies `"
        + what
        + "`, but it hasn't been fit on any training data. Fit it first by calling"
        + " `.fit(numpy_data)`.";
  }

  // ---- fit ------------------------------------------------------------------------------------

  /** {@code fit(x)}: the featurewise statistics (mean, std, ZCA) of {@code x}. */
  public void fit(NDArray x) {
    fit(x, false, 1, null);
  }

  /**
   * {@code fit(x, augment, rounds, seed)}: with {@code augment}, the statistics are those of {@code
   * rounds} randomly transformed copies of {@code x}.
   *
   * @throws IllegalArgumentException when {@code x} is not of rank 4 (Keras' message)
   */
  public void fit(NDArray x, boolean augment, int rounds, Long seed) {
    long[] s = x.shape();
    if (s.length != 4) {
      throw new IllegalArgumentException(
          "Input to `.fit()` should have rank 4. Got array with shape: " + pyShape(s));
    }
    int channelAxis = channelsLast ? 3 : 1;
    if (s[channelAxis] != 1 && s[channelAxis] != 3 && s[channelAxis] != 4) {
      Warnings.warn(
          "Expected input to be images (as Numpy array) following the data format convention \""
              + dataFormat
              + "\" (channels on axis "
              + channelAxis
              + "), i.e. expected either 1, 3 or 4 channels on axis "
              + channelAxis
              + ". However, it was passed an array with shape "
              + pyShape(s)
              + " ("
              + s[channelAxis]
              + " channels).");
    }
    if (rounds < 1) {
      throw new IllegalArgumentException(
          "Expected `rounds` to be at least 1. Received: rounds=" + rounds);
    }
    float[] data = x.toFloatArray();
    int n = (int) s[0];
    int per = n == 0 ? 0 : data.length / n;
    long[] one = Arrays.copyOfRange(s, 1, 4);
    if (rescale != null && rescale != 0) {
      float f = (float) (double) rescale;
      for (int i = 0; i < data.length; i++) data[i] *= f;
    }
    if (augment) {
      float[] ax = new float[data.length * rounds];
      synchronized (globalState) {
        if (seed != null) globalState.seed(seed);
        for (int r = 0; r < rounds; r++)
          for (int i = 0; i < n; i++) {
            Img img =
                Img.of(
                    NDArray.of(Arrays.copyOfRange(data, i * per, (i + 1) * per), one),
                    channelsLast,
                    "x");
            Img t = applyTransform(img, getRandomTransform(one, globalState));
            System.arraycopy(t.data, 0, ax, (i + r * n) * per, per);
          }
      }
      data = ax;
      n *= rounds;
    }
    int ch = (int) s[channelAxis];
    int hw = (int) (s[1] * s[2] * s[3] / ch);
    if (featurewiseCenter) {
      float[] m = Stats.channelMeans(data, n, hw, ch, channelsLast);
      Stats.subtractChannels(data, m, hw, ch, channelsLast);
      this.mean = m;
    }
    if (featurewiseStdNormalization) {
      float[] sd = Stats.channelStds(data, n, hw, ch, channelsLast);
      Stats.divideChannels(data, sd, hw, ch, channelsLast);
      this.std = sd;
    }
    if (zcaWhitening) {
      this.principalComponents = Zca.principalComponents(data, n, per, zcaEpsilon);
    }
  }

  static String pyShape(long[] s) {
    StringBuilder b = new StringBuilder("(");
    for (int i = 0; i < s.length; i++) {
      if (i > 0) b.append(", ");
      b.append(s[i]);
    }
    if (s.length == 1) b.append(',');
    return b.append(')').toString();
  }

  // ---- iterators ------------------------------------------------------------------------------

  /**
   * {@code flow(x, y)} with Keras' defaults (batch size 32, shuffled, no seed): a {@link
   * NumpyArrayIterator}, a {@code Sequence} of augmented batches. {@code y} may be null.
   */
  public NumpyArrayIterator flow(NDArray x, NDArray y) {
    return flow(x, y, FlowOptions.builder().build());
  }

  /** {@code flow(x, y, batch_size, shuffle, sample_weight, seed, subset)}. */
  public NumpyArrayIterator flow(NDArray x, NDArray y, FlowOptions options) {
    return new NumpyArrayIterator(x, y, this, options);
  }

  /**
   * {@code flow_from_directory(directory)} with Keras' defaults: one class per subdirectory, images
   * resized to 256x256 RGB.
   */
  public DirectoryIterator flowFromDirectory(Path directory) {
    return flowFromDirectory(directory, DirectoryOptions.builder().build());
  }

  /** {@code flow_from_directory(directory, target_size, color_mode, classes, class_mode, ...)}. */
  public DirectoryIterator flowFromDirectory(Path directory, DirectoryOptions options) {
    return new DirectoryIterator(directory, this, options);
  }

  /** The builder of {@link ImageDataGenerator}: Keras' keyword arguments, Keras' defaults. */
  public static final class Builder {
    private boolean featurewiseCenter = FEATUREWISE_CENTER_DEFAULT;
    private boolean samplewiseCenter = SAMPLEWISE_CENTER_DEFAULT;
    private boolean featurewiseStdNormalization = FEATUREWISE_STD_NORMALIZATION_DEFAULT;
    private boolean samplewiseStdNormalization = SAMPLEWISE_STD_NORMALIZATION_DEFAULT;
    private boolean zcaWhitening = ZCA_WHITENING_DEFAULT;
    private double zcaEpsilon = ZCA_EPSILON_DEFAULT;
    private double rotationRange = ROTATION_RANGE_DEFAULT;
    private ShiftRange widthShiftRange = ShiftRange.ofFloat(WIDTH_SHIFT_RANGE_DEFAULT);
    private ShiftRange heightShiftRange = ShiftRange.ofFloat(HEIGHT_SHIFT_RANGE_DEFAULT);
    private double[] brightnessRange = BRIGHTNESS_RANGE_DEFAULT;
    private double shearRange = SHEAR_RANGE_DEFAULT;
    private double[] zoomRange = {1 - ZOOM_RANGE_DEFAULT, 1 + ZOOM_RANGE_DEFAULT};
    private double channelShiftRange = CHANNEL_SHIFT_RANGE_DEFAULT;
    private String fillMode = FILL_MODE_DEFAULT;
    private double cval = CVAL_DEFAULT;
    private boolean horizontalFlip = HORIZONTAL_FLIP_DEFAULT;
    private boolean verticalFlip = VERTICAL_FLIP_DEFAULT;
    private Double rescale = RESCALE_DEFAULT;
    private UnaryOperator<NDArray> preprocessingFunction;
    private String dataFormat = DATA_FORMAT_DEFAULT;
    private double validationSplit = VALIDATION_SPLIT_DEFAULT;
    private int interpolationOrder = INTERPOLATION_ORDER_DEFAULT;
    private DType dtype = DType.FLOAT32;

    private Builder() {}

    /** Keras {@code featurewise_center}: subtract the dataset's per-channel mean. Default false. */
    public Builder featurewiseCenter(boolean v) {
      featurewiseCenter = v;
      return this;
    }

    /** Keras {@code samplewise_center}: subtract each sample's mean. Default false. */
    public Builder samplewiseCenter(boolean v) {
      samplewiseCenter = v;
      return this;
    }

    /** Keras {@code featurewise_std_normalization}: divide by the dataset's std. Default false. */
    public Builder featurewiseStdNormalization(boolean v) {
      featurewiseStdNormalization = v;
      return this;
    }

    /** Keras {@code samplewise_std_normalization}: divide each sample by its std. Default false. */
    public Builder samplewiseStdNormalization(boolean v) {
      samplewiseStdNormalization = v;
      return this;
    }

    /** Keras {@code zca_whitening}. Default false. */
    public Builder zcaWhitening(boolean v) {
      zcaWhitening = v;
      return this;
    }

    /** Keras {@code zca_epsilon}. Default {@code 1e-6}. */
    public Builder zcaEpsilon(double v) {
      zcaEpsilon = v;
      return this;
    }

    /** Keras {@code rotation_range}: degrees, uniform in [-v, v). Default 0. */
    public Builder rotationRange(double v) {
      rotationRange = v;
      return this;
    }

    /** Keras {@code width_shift_range} as a float: a fraction of the width below 1, else pixels. */
    public Builder widthShiftRange(double v) {
      widthShiftRange = ShiftRange.ofFloat(v);
      return this;
    }

    /** Keras {@code width_shift_range} as an int: numpy {@code choice(v)} pixels, random sign. */
    public Builder widthShiftRange(int v) {
      widthShiftRange = ShiftRange.ofInt(v);
      return this;
    }

    /** Keras {@code width_shift_range} as a list: a choice from it, random sign. */
    public Builder widthShiftRange(List<? extends Number> v) {
      widthShiftRange = ShiftRange.ofList(v);
      return this;
    }

    /** Keras {@code height_shift_range} as a float. Default 0.0. */
    public Builder heightShiftRange(double v) {
      heightShiftRange = ShiftRange.ofFloat(v);
      return this;
    }

    /** Keras {@code height_shift_range} as an int. */
    public Builder heightShiftRange(int v) {
      heightShiftRange = ShiftRange.ofInt(v);
      return this;
    }

    /** Keras {@code height_shift_range} as a list. */
    public Builder heightShiftRange(List<? extends Number> v) {
      heightShiftRange = ShiftRange.ofList(v);
      return this;
    }

    /** Keras {@code brightness_range}: [lower, upper] factors. Default None (no shift). */
    public Builder brightnessRange(double lower, double upper) {
      brightnessRange = new double[] {lower, upper};
      return this;
    }

    /** Keras {@code shear_range}: degrees, counter-clockwise. Default 0.0. */
    public Builder shearRange(double v) {
      shearRange = v;
      return this;
    }

    /** Keras {@code zoom_range} as a float z: [1 - z, 1 + z]. Default 0.0. */
    public Builder zoomRange(double v) {
      zoomRange = new double[] {1 - v, 1 + v};
      return this;
    }

    /** Keras {@code zoom_range} as [lower, upper]. */
    public Builder zoomRange(double lower, double upper) {
      zoomRange = new double[] {lower, upper};
      return this;
    }

    /** Keras {@code channel_shift_range}. Default 0.0. */
    public Builder channelShiftRange(double v) {
      channelShiftRange = v;
      return this;
    }

    /** Keras {@code fill_mode}: constant, nearest, reflect or wrap. Default "nearest". */
    public Builder fillMode(String v) {
      fillMode = v;
      return this;
    }

    /** Keras {@code cval}: the value outside the image with fill mode constant. Default 0.0. */
    public Builder cval(double v) {
      cval = v;
      return this;
    }

    /** Keras {@code horizontal_flip}. Default false. */
    public Builder horizontalFlip(boolean v) {
      horizontalFlip = v;
      return this;
    }

    /** Keras {@code vertical_flip}. Default false. */
    public Builder verticalFlip(boolean v) {
      verticalFlip = v;
      return this;
    }

    /** Keras {@code rescale}: multiply by this before anything else; null or 0: none. */
    public Builder rescale(Double v) {
      rescale = v;
      return this;
    }

    /**
     * Keras {@code preprocessing_function}: applied to each image (rank 3, float32) after
     * augmentation, first in {@link #standardize}; must return the same shape, and be safe to call
     * from several worker threads at once. Default none.
     */
    public Builder preprocessingFunction(UnaryOperator<NDArray> v) {
      preprocessingFunction = v;
      return this;
    }

    /** Keras {@code data_format}: "channels_last" or "channels_first". Default channels_last. */
    public Builder dataFormat(String v) {
      dataFormat = v;
      return this;
    }

    /** Keras {@code validation_split}: the fraction for {@code subset="validation"}. Default 0. */
    public Builder validationSplit(double v) {
      validationSplit = v;
      return this;
    }

    /** Keras {@code interpolation_order}: 0 (nearest) or 1 (bilinear). Default 1. */
    public Builder interpolationOrder(int v) {
      interpolationOrder = v;
      return this;
    }

    /** Keras {@code dtype} of the batches: "float32" or "float64". Default "float32". */
    public Builder dtype(String v) {
      dtype = DType.of(v);
      return this;
    }

    /**
     * Checks the arguments as Keras' {@code __init__} does (and {@code fill_mode} and {@code
     * interpolation_order}, which Keras leaves to scipy at the first transform).
     *
     * @throws IllegalArgumentException with Keras' message
     */
    public ImageDataGenerator build() {
      return new ImageDataGenerator(this);
    }
  }

  static final Set<String> SUBSETS = Set.of("training", "validation");
}
