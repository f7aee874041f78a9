package jkeras.layers;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Squeeze;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The TensorFlow ops behind the convolution and pooling layers, built as Keras 2.3.1's TensorFlow
 * backend builds them on a CPU (and as {@code tf.nn.convolution} lowers them):
 *
 * <ul>
 *   <li>Every op runs channels-last: TensorFlow's CPU kernels support NHWC only, and Keras' backend
 *       without a GPU ({@code _has_nchw_support()} false) transposes a channels-first input to
 *       channels-last, runs the op and transposes back ({@code _preprocess_conv2d_input}).
 *   <li>A 1D op is its 2D op on an added axis of size 1 ({@code tf.nn.conv1d}, Keras' {@code
 *       _Pooling1D}).
 *   <li>A dilation rate above 1 is {@code SpaceToBatchND}, the op with rate 1 and {@code "VALID"}
 *       padding, then {@code BatchToSpaceND} ({@code tf.nn.with_space_to_batch}, what {@code
 *       tf.nn.convolution} and {@code tf.nn.depthwise_conv2d} do for dilated convolutions). This is
 *       also what makes them trainable here: the C++ gradient of {@code Conv2D}, the one TensorFlow
 *       Java differentiates with, ignores the op's {@code dilations}.
 * </ul>
 *
 * Every op used has a registered C++ gradient ({@code Conv2D}, {@code Conv2DBackpropInput}, {@code
 * DepthwiseConv2dNative}, {@code MaxPoolV2}, {@code AvgPool}, {@code SpaceToBatchND}, {@code
 * BatchToSpaceND}, {@code ResizeNearestNeighbor}, {@code ResizeBilinear}, {@code Pad}, {@code
 * StridedSlice}, {@code Tile}, {@code Transpose}, {@code ExpandDims}, {@code Squeeze}); only first
 * derivatives are taken, so no gradient of a gradient op is needed.
 */
final class ConvOps {
  private ConvOps() {}

  /** channels_first to channels_last: NCW to NWC, NCHW to NHWC. */
  static Operand<TFloat32> toChannelsLast(Ops tf, Operand<TFloat32> x) {
    int rank = x.shape().numDimensions();
    int[] perm = rank == 3 ? new int[] {0, 2, 1} : new int[] {0, 2, 3, 1};
    return tf.linalg.transpose(x, tf.constant(perm));
  }

  /** channels_last to channels_first: NWC to NCW, NHWC to NCHW. */
  static Operand<TFloat32> toChannelsFirst(Ops tf, Operand<TFloat32> x) {
    int rank = x.shape().numDimensions();
    int[] perm = rank == 3 ? new int[] {0, 2, 1} : new int[] {0, 3, 1, 2};
    return tf.linalg.transpose(x, tf.constant(perm));
  }

  /** Runs {@code op} on {@code x} channels-last, transposing around it when channels-first. */
  static Operand<TFloat32> channelsLast(
      Ops tf, Operand<TFloat32> x, boolean channelsFirst, UnaryOperator<Operand<TFloat32>> op) {
    if (!channelsFirst) return op.apply(x);
    return toChannelsFirst(tf, op.apply(toChannelsLast(tf, x)));
  }

  static String tfPadding(String padding) {
    return padding.toUpperCase(Locale.ROOT);
  }

  private static List<Long> ones(int n) {
    List<Long> l = new ArrayList<>();
    for (int i = 0; i < n; i++) l.add(1L);
    return l;
  }

  /** [1, s..., 1] for a channels-last op of 1 or 2 spatial axes (1D as 2D with height 1). */
  private static long[] longs(List<Long> l) {
    return l.stream().mapToLong(Long::longValue).toArray();
  }

  private static List<Long> window(int[] s) {
    List<Long> l = new ArrayList<>();
    l.add(1L);
    if (s.length == 1) l.add(1L);
    for (int v : s) l.add((long) v);
    l.add(1L);
    return l;
  }

  private static boolean dilated(int[] rates) {
    for (int r : rates) if (r != 1) return true;
    return false;
  }

  /**
   * Keras' {@code K.conv1d}/{@code K.conv2d} on a channels-last input, {@code padding} "valid" or
   * "same": {@code Conv2D} (1D on an added height axis), dilations through space-to-batch.
   */
  static Operand<TFloat32> conv(
      Ops tf,
      Operand<TFloat32> x,
      Operand<TFloat32> kernel,
      int[] kernelSize,
      int[] strides,
      String padding,
      int[] dilation) {
    if (dilated(dilation)) {
      int[] unit = new int[strides.length];
      java.util.Arrays.fill(unit, 1);
      return withSpaceToBatch(
          tf, x, dilation, kernelSize, padding, xs -> conv2d(tf, xs, kernel, unit, "valid"));
    }
    return conv2d(tf, x, kernel, strides, padding);
  }

  private static Operand<TFloat32> conv2d(
      Ops tf, Operand<TFloat32> x, Operand<TFloat32> kernel, int[] strides, String padding) {
    if (strides.length == 2) return tf.nn.conv2d(x, kernel, window(strides), tfPadding(padding));
    // tf.nn.conv1d: NWC -> N1WC, (k, in, out) -> (1, k, in, out), Conv2D, squeeze the axis.
    Operand<TFloat32> y =
        tf.nn.conv2d(
            tf.expandDims(x, tf.constant(1)),
            tf.expandDims(kernel, tf.constant(0)),
            window(strides),
            tfPadding(padding));
    return tf.squeeze(y, Squeeze.axis(List.of(1L)));
  }

  /** Keras' {@code K.depthwise_conv2d} on NHWC ({@code tf.nn.depthwise_conv2d}). */
  static Operand<TFloat32> depthwise(
      Ops tf,
      Operand<TFloat32> x,
      Operand<TFloat32> depthwiseKernel,
      int[] kernelSize,
      int[] strides,
      String padding,
      int[] dilation) {
    if (dilated(dilation)) {
      return withSpaceToBatch(
          tf,
          x,
          dilation,
          kernelSize,
          padding,
          xs -> tf.nn.depthwiseConv2dNative(xs, depthwiseKernel, ones(4), "VALID"));
    }
    return tf.nn.depthwiseConv2dNative(x, depthwiseKernel, window(strides), tfPadding(padding));
  }

  /**
   * {@code tf.nn.with_space_to_batch}: {@code op} (a "valid", unit-stride op) on the input
   * rearranged so that a dilated window becomes a dense one. {@code x} is channels-last with
   * spatial axes 1..n; {@code kernelSize} gives the base paddings of "same".
   */
  static Operand<TFloat32> withSpaceToBatch(
      Ops tf,
      Operand<TFloat32> x,
      int[] rates,
      int[] kernelSize,
      String padding,
      UnaryOperator<Operand<TFloat32>> op) {
    int n = rates.length;
    int[] start = new int[n];
    int[] end = new int[n];
    if (padding.equals("same")) {
      for (int i = 0; i < n; i++) {
        int extra = (kernelSize[i] - 1) * rates[i];
        start[i] = extra / 2;
        end[i] = extra - start[i];
      }
    }
    long[] shape = x.shape().asArray();
    boolean known = true;
    for (int i = 1; i <= n; i++) known &= shape[i] >= 0;
    Operand<TInt32> block = tf.constant(rates);
    Operand<TInt32> paddings;
    Operand<TInt32> crops;
    if (known) {
      // tf.required_space_to_batch_paddings: pad the end up to a multiple of the rate, crop it
      // after.
      int[][] p = new int[n][2];
      int[][] c = new int[n][2];
      for (int i = 0; i < n; i++) {
        long full = shape[i + 1] + start[i] + end[i];
        int extra = (int) ((rates[i] - full % rates[i]) % rates[i]);
        p[i] = new int[] {start[i], end[i] + extra};
        c[i] = new int[] {0, extra};
      }
      paddings = tf.constant(p);
      crops = tf.constant(c);
    } else {
      Operand<TInt32> spatial =
          tf.slice(tf.shape(x), tf.constant(new int[] {1}), tf.constant(new int[] {n}));
      int[] both = new int[n];
      for (int i = 0; i < n; i++) both[i] = start[i] + end[i];
      Operand<TInt32> full = tf.math.add(spatial, tf.constant(both));
      Operand<TInt32> extra =
          tf.math.floorMod(tf.math.sub(block, tf.math.floorMod(full, block)), block);
      paddings =
          tf.stack(
              List.of(tf.constant(start), tf.math.add(tf.constant(end), extra)),
              org.tensorflow.op.core.Stack.axis(1L));
      crops =
          tf.stack(List.of(tf.constant(new int[n]), extra), org.tensorflow.op.core.Stack.axis(1L));
    }
    Operand<TFloat32> converted = tf.spaceToBatchNd(x, block, paddings);
    return tf.batchToSpaceNd(op.apply(converted), block, crops);
  }

  /** Keras' {@code K.pool2d} (and {@code _Pooling1D} on an added axis) on a channels-last input. */
  static Operand<TFloat32> pool(
      Ops tf, Operand<TFloat32> x, boolean max, int[] poolSize, int[] strides, String padding) {
    boolean oneD = poolSize.length == 1;
    // Keras' _Pooling1D adds the axis after the steps (pool (p, 1)); the same windows as here.
    Operand<TFloat32> in = oneD ? tf.expandDims(x, tf.constant(1)) : x;
    Operand<TFloat32> y;
    if (max) {
      // TensorFlow's MaxPool with the window as attributes, as tf.nn.max_pool2d builds it (TF
      // Java's tf.nn.maxPool is MaxPoolV2, window as tensors): oneDNN has kernels for MaxPool and
      // its gradient, none for the V2 pair, whose gradient took 10x longer on the small CNN.
      y =
          tf.scope()
              .opBuilder("MaxPool", "MaxPool")
              .addInput(in.asOutput())
              .setAttr("ksize", longs(window(poolSize)))
              .setAttr("strides", longs(window(strides)))
              .setAttr("padding", tfPadding(padding))
              .build()
              .<TFloat32>output(0);
    } else {
      y = tf.nn.avgPool(in, window(poolSize), window(strides), tfPadding(padding));
    }
    return oneD ? tf.squeeze(y, Squeeze.axis(List.of(1L))) : y;
  }

  /**
   * Keras' {@code ZeroPadding1D}/{@code 2D} on a channels-last input: {@code pads[i]} (start, end)
   * zeros around spatial axis {@code 1 + i}.
   */
  static Operand<TFloat32> zeroPad(Ops tf, Operand<TFloat32> x, int[][] pads) {
    int[][] all = new int[pads.length + 2][];
    all[0] = new int[] {0, 0};
    System.arraycopy(pads, 0, all, 1, pads.length);
    all[pads.length + 1] = new int[] {0, 0};
    return tf.pad(x, tf.constant(all), tf.constant(0f));
  }

  /**
   * Keras' {@code _Cropping.call} on a channels-last input: removes {@code crops[i]} (start, end)
   * from spatial axis {@code 1 + i} ({@code x[:, a:-b, ...]}, an end of 0 keeping the axis' end).
   */
  static Operand<TFloat32> crop(Ops tf, Operand<TFloat32> x, int[][] crops) {
    int rank = x.shape().numDimensions();
    int[] begin = new int[rank];
    int[] end = new int[rank];
    int[] strides = new int[rank];
    java.util.Arrays.fill(strides, 1);
    long beginMask = 0;
    long endMask = 0;
    for (int d = 0; d < rank; d++) {
      if (d >= 1 && d <= crops.length) {
        begin[d] = crops[d - 1][0];
        if (crops[d - 1][1] == 0) endMask |= 1L << d;
        else end[d] = -crops[d - 1][1];
      } else {
        beginMask |= 1L << d;
        endMask |= 1L << d;
      }
    }
    return tf.stridedSlice(
        x,
        tf.constant(begin),
        tf.constant(end),
        tf.constant(strides),
        org.tensorflow.op.core.StridedSlice.beginMask(beginMask),
        org.tensorflow.op.core.StridedSlice.endMask(endMask));
  }
}
