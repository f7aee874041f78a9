package jkeras.models;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import jkeras.data.NDArray;
import jkeras.layers.Bidirectional;
import jkeras.layers.GRU;
import jkeras.layers.LSTM;
import jkeras.layers.Layer;
import jkeras.layers.TimeDistributed;

/**
 * Keras 2.3.1's {@code preprocess_weights_for_loading}: the layouts other layers saved, converted
 * to the target layer's on load. The layers jkeras has keep one layout in every Keras 2 and 3
 * version (kernels HWIO, Dense kernels (in, out), BatchNormalization's four vectors); what converts
 * is the recurrent family: {@code CuDNNLSTM} weights into an {@code LSTM} (each gate's input kernel
 * from CuDNN's column-major layout, recurrent kernels transposed, the two bias sets summed) and
 * {@code CuDNNGRU} weights into a {@code GRU(reset_after=True)} (the same for the kernels, the bias
 * reshaped to (2, 3 * units)), inside {@code Bidirectional} and {@code TimeDistributed} too.
 */
final class WeightConversions {
  private WeightConversions() {}

  static List<NDArray> forLoading(Layer layer, List<NDArray> values, String originalKerasVersion) {
    if (layer instanceof Bidirectional b) {
      int half = values.size() / 2;
      if (values.size() % 2 != 0) return values;
      List<NDArray> out =
          new ArrayList<>(forLoading(b.forwardLayer(), values.subList(0, half), null));
      out.addAll(forLoading(b.backwardLayer(), values.subList(half, values.size()), null));
      return out;
    }
    if (layer instanceof TimeDistributed t) return forLoading(t.layer(), values, null);
    if (values.size() != 3) return values;
    if (layer instanceof LSTM) return cudnnLstm(values);
    if (layer instanceof GRU g) return cudnnGru(values, g);
    return values;
  }

  /** CuDNNLSTM (bias of 8 * units) into LSTM; an LSTM's own weights unchanged. */
  private static List<NDArray> cudnnLstm(List<NDArray> w) {
    long units = w.get(1).shape()[0];
    long[] bias = w.get(2).shape();
    if (!(bias.length == 1 && bias[0] == 8 * units)) return w;
    float[] b = w.get(2).floatsView();
    float[] summed = new float[(int) (4 * units)];
    for (int i = 0; i < summed.length; i++) summed[i] = b[i] + b[i + summed.length];
    return List.of(
        fromCudnnInput(w.get(0), 4), transposeGates(w.get(1), 4), NDArray.of(summed, 4 * units));
  }

  /** CuDNNGRU (bias of 6 * units) into GRU(reset_after=True); refused for reset_after=False. */
  private static List<NDArray> cudnnGru(List<NDArray> w, GRU target) {
    long units = w.get(1).shape()[0];
    long[] bias = w.get(2).shape();
    if (!(bias.length == 1 && bias[0] == 6 * units)) return w;
    if (!target.resetAfter())
      throw new IllegalArgumentException(
          "CuDNNGRU is not compatible with GRU(reset_after=False): layer `"
              + target.name()
              + "` has weights of shapes "
              + shapes(w)
              + " (a CuDNNGRU's); build it with resetAfter(true) to load them.");
    return List.of(
        fromCudnnInput(w.get(0), 3),
        transposeGates(w.get(1), 3),
        NDArray.of(w.get(2).floatsView(), 2, 3 * units));
  }

  private static String shapes(List<NDArray> w) {
    List<String> s = new ArrayList<>();
    for (NDArray a : w) s.add(Arrays.toString(a.shape()));
    return s.toString();
  }

  /**
   * Each gate's block {@code k} (in, units) of a CuDNN input kernel holds {@code k}'s transpose in
   * row-major order: Keras' {@code kernel.T.reshape(kernel.shape, order='F')}.
   */
  private static NDArray fromCudnnInput(NDArray kernel, int gates) {
    int in = (int) kernel.shape()[0];
    int cols = (int) kernel.shape()[1];
    int units = cols / gates;
    float[] src = kernel.floatsView();
    float[] out = new float[src.length];
    float[] block = new float[in * units];
    for (int g = 0; g < gates; g++) {
      for (int i = 0; i < in; i++)
        for (int j = 0; j < units; j++) block[i * units + j] = src[i * cols + g * units + j];
      // out_block[i][j] = block.flat[j * in + i]
      for (int i = 0; i < in; i++)
        for (int j = 0; j < units; j++) out[i * cols + g * units + j] = block[j * in + i];
    }
    return NDArray.of(out, in, cols);
  }

  /** Each gate's (units, units) block transposed. */
  private static NDArray transposeGates(NDArray kernel, int gates) {
    int rows = (int) kernel.shape()[0];
    int cols = (int) kernel.shape()[1];
    int units = cols / gates;
    float[] src = kernel.floatsView();
    float[] out = new float[src.length];
    for (int g = 0; g < gates; g++)
      for (int i = 0; i < rows; i++)
        for (int j = 0; j < units; j++)
          out[i * cols + g * units + j] = src[j * cols + g * units + i];
    return NDArray.of(out, rows, cols);
  }
}
