package jkeras.preprocessing.image;

import java.util.List;

/**
 * The keyword arguments of {@code flow_from_directory(directory, ...)}, Keras' defaults: {@code
 * target_size=(256, 256)}, {@code color_mode='rgb'}, {@code classes=None} (the sorted
 * subdirectories), {@code class_mode='categorical'}, {@code batch_size=32}, {@code shuffle=True},
 * {@code seed=None}, {@code follow_links=False}, {@code subset=None}, {@code
 * interpolation='nearest'}.
 *
 * <pre>{@code
 * datagen.flowFromDirectory(dir, DirectoryOptions.builder().targetSize(32, 32).classMode("sparse").build());
 * }</pre>
 */
public final class DirectoryOptions extends IteratorOptions {
  public static final int[] TARGET_SIZE_DEFAULT = {256, 256};
  public static final String COLOR_MODE_DEFAULT = "rgb";
  public static final String CLASS_MODE_DEFAULT = "categorical";
  public static final boolean FOLLOW_LINKS_DEFAULT = false;
  public static final String INTERPOLATION_DEFAULT = "nearest";

  /** Keras' {@code color_mode} values. */
  public static final List<String> COLOR_MODES = List.of("grayscale", "rgb", "rgba");

  /** Keras' {@code class_mode} values; {@code null} is Keras' None (images only). */
  public static final List<String> CLASS_MODES =
      List.of("categorical", "binary", "sparse", "input");

  final int rows;
  final int cols;
  final String colorMode;
  final List<String> classes;
  final String classMode;
  final boolean followLinks;
  final String interpolation;

  private DirectoryOptions(Builder b) {
    super(b);
    this.rows = b.rows;
    this.cols = b.cols;
    this.colorMode = b.colorMode;
    this.classes = b.classes == null ? null : List.copyOf(b.classes);
    this.classMode = b.classMode;
    this.followLinks = b.followLinks;
    this.interpolation = b.interpolation;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The builder: Keras' keywords camelCased. */
  public static final class Builder extends IteratorOptions.Builder<Builder> {
    private int rows = TARGET_SIZE_DEFAULT[0];
    private int cols = TARGET_SIZE_DEFAULT[1];
    private String colorMode = COLOR_MODE_DEFAULT;
    private List<String> classes;
    private String classMode = CLASS_MODE_DEFAULT;
    private boolean followLinks = FOLLOW_LINKS_DEFAULT;
    private String interpolation = INTERPOLATION_DEFAULT;

    private Builder() {}

    /** Keras {@code target_size=(height, width)}: every image is resized to it. Default 256x256. */
    public Builder targetSize(int height, int width) {
      rows = height;
      cols = width;
      return this;
    }

    /** Keras {@code color_mode}: "grayscale", "rgb" or "rgba" (1, 3, 4 channels). Default rgb. */
    public Builder colorMode(String v) {
      colorMode = v;
      return this;
    }

    /** Keras {@code classes}: the subdirectories to use, in label order. Default: all, sorted. */
    public Builder classes(List<String> v) {
      classes = v;
      return this;
    }

    /**
     * Keras {@code class_mode}: "categorical" (one-hot), "binary", "sparse" (float labels), "input"
     * (the images again) or null (no labels). Default categorical.
     */
    public Builder classMode(String v) {
      classMode = v;
      return this;
    }

    /** Keras {@code follow_links}: descend into symbolic links to directories. Default false. */
    public Builder followLinks(boolean v) {
      followLinks = v;
      return this;
    }

    /**
     * Keras {@code interpolation} of the resize, as PIL does it: nearest, bilinear, bicubic,
     * hamming, box or lanczos. Default nearest.
     */
    public Builder interpolation(String v) {
      interpolation = v;
      return this;
    }

    /**
     * @throws IllegalArgumentException with Keras' messages
     */
    public DirectoryOptions build() {
      if (!COLOR_MODES.contains(colorMode)) {
        throw new IllegalArgumentException(
            "Invalid color mode: " + colorMode + "; expected \"rgb\", \"rgba\", or \"grayscale\".");
      }
      if (classMode != null && !CLASS_MODES.contains(classMode)) {
        throw new IllegalArgumentException(
            "Invalid class_mode: "
                + classMode
                + "; expected one of: {'categorical', 'binary', 'sparse', 'input', None}");
      }
      if (subset != null && !ImageDataGenerator.SUBSETS.contains(subset)) {
        throw new IllegalArgumentException(
            "Invalid subset name: " + subset + ";expected \"training\" or \"validation\"");
      }
      if (!ImageUtils.INTERPOLATIONS.contains(interpolation)) {
        throw new IllegalArgumentException(
            "Invalid interpolation method "
                + interpolation
                + " specified. Supported methods are "
                + String.join(", ", ImageUtils.INTERPOLATIONS));
      }
      if (rows < 1 || cols < 1) {
        throw new IllegalArgumentException(
            "Expected `targetSize` to be positive. Received: targetSize=("
                + rows
                + ", "
                + cols
                + ")");
      }
      checkIteratorArguments();
      return new DirectoryOptions(this);
    }
  }
}
