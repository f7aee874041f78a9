package jkeras.preprocessing.image;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One sample's random transform, as {@code ImageDataGenerator.get_random_transform} returns it
 * (Keras' dict keys in {@link #toMap()}): rotation {@code theta} in degrees, shifts {@code tx}
 * (rows) and {@code ty} (columns) in pixels, {@code shear} in degrees, zooms {@code zx}, {@code
 * zy}, the two flips, and the optional channel shift and brightness (null when the generator does
 * not draw them).
 *
 * <pre>{@code
 * TransformParameters p = TransformParameters.identity().withTheta(90);
 * NDArray rotated = datagen.applyTransform(image, p);
 * }</pre>
 */
public record TransformParameters(
    double theta,
    double tx,
    double ty,
    double shear,
    double zx,
    double zy,
    boolean flipHorizontal,
    boolean flipVertical,
    Double channelShiftIntensity,
    Double brightness) {

  /** No change: {@code theta=0, tx=0, ty=0, shear=0, zx=1, zy=1}, no flips, no shifts. */
  public static TransformParameters identity() {
    return new TransformParameters(0, 0, 0, 0, 1, 1, false, false, null, null);
  }

  public TransformParameters withTheta(double v) {
    return new TransformParameters(
        v, tx, ty, shear, zx, zy, flipHorizontal, flipVertical, channelShiftIntensity, brightness);
  }

  public TransformParameters withShift(double tx, double ty) {
    return new TransformParameters(
        theta,
        tx,
        ty,
        shear,
        zx,
        zy,
        flipHorizontal,
        flipVertical,
        channelShiftIntensity,
        brightness);
  }

  public TransformParameters withShear(double v) {
    return new TransformParameters(
        theta, tx, ty, v, zx, zy, flipHorizontal, flipVertical, channelShiftIntensity, brightness);
  }

  public TransformParameters withZoom(double zx, double zy) {
    return new TransformParameters(
        theta,
        tx,
        ty,
        shear,
        zx,
        zy,
        flipHorizontal,
        flipVertical,
        channelShiftIntensity,
        brightness);
  }

  public TransformParameters withFlips(boolean horizontal, boolean vertical) {
    return new TransformParameters(
        theta, tx, ty, shear, zx, zy, horizontal, vertical, channelShiftIntensity, brightness);
  }

  public TransformParameters withChannelShiftIntensity(Double v) {
    return new TransformParameters(
        theta, tx, ty, shear, zx, zy, flipHorizontal, flipVertical, v, brightness);
  }

  public TransformParameters withBrightness(Double v) {
    return new TransformParameters(
        theta, tx, ty, shear, zx, zy, flipHorizontal, flipVertical, channelShiftIntensity, v);
  }

  /** Keras' dict, snake_case keys in Keras' order. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("theta", theta);
    m.put("tx", tx);
    m.put("ty", ty);
    m.put("shear", shear);
    m.put("zx", zx);
    m.put("zy", zy);
    m.put("flip_horizontal", flipHorizontal);
    m.put("flip_vertical", flipVertical);
    m.put("channel_shift_intensity", channelShiftIntensity);
    m.put("brightness", brightness);
    return m;
  }

  /**
   * From Keras' dict; missing keys take {@link #identity()}'s values, as {@code apply_transform}'s
   * {@code .get(key, default)} does.
   */
  public static TransformParameters fromMap(Map<String, ?> m) {
    return new TransformParameters(
        num(m, "theta", 0),
        num(m, "tx", 0),
        num(m, "ty", 0),
        num(m, "shear", 0),
        num(m, "zx", 1),
        num(m, "zy", 1),
        truth(m.get("flip_horizontal")),
        truth(m.get("flip_vertical")),
        m.get("channel_shift_intensity") == null ? null : num(m, "channel_shift_intensity", 0),
        m.get("brightness") == null ? null : num(m, "brightness", 0));
  }

  private static double num(Map<String, ?> m, String k, double dflt) {
    Object v = m.get(k);
    if (v == null) return dflt;
    if (v instanceof Boolean b) return b ? 1 : 0;
    if (v instanceof Number n) return n.doubleValue();
    throw new IllegalArgumentException(
        "Expected `" + k + "` to be a number. Received: " + k + "=" + v);
  }

  // Keras multiplies the flip draw by the bool setting, so the value may be 0/1 or a bool.
  private static boolean truth(Object v) {
    if (v == null) return false;
    if (v instanceof Boolean b) return b;
    if (v instanceof Number n) return n.doubleValue() != 0;
    throw new IllegalArgumentException("Expected a flip to be a bool. Received: " + v);
  }
}
