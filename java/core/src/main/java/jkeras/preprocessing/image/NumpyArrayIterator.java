package jkeras.preprocessing.image;

import java.util.Arrays;
import java.util.TreeSet;
import jkeras.data.Batch;
import jkeras.data.NDArray;
import jkeras.internal.Warnings;
import jkeras.utils.LegacyRandomState;

/**
 * keras_preprocessing's {@code NumpyArrayIterator}, what {@link ImageDataGenerator#flow} returns:
 * batches of augmented, standardised images from an array of rank 4, with their labels ({@code y}
 * rows, any dtype) and sample weights when given. A batch is {@code x}, {@code (x, y)} or {@code
 * (x, y, sample_weight)}. Safe for several workers; see {@link ImageIterator} for threads and
 * seeds.
 */
public final class NumpyArrayIterator extends ImageIterator {
  private final float[] x;
  private final long[] imageShape;
  private final int perImage;
  private final NDArray y;
  private final NDArray sampleWeight;

  NumpyArrayIterator(NDArray x, NDArray y, ImageDataGenerator gen, FlowOptions o) {
    this(Prepared.of(x, y, gen, o), gen, o);
  }

  private NumpyArrayIterator(Prepared p, ImageDataGenerator gen, FlowOptions o) {
    super((int) p.x.dim(0), o.batchSize(), o.shuffle(), o.seed(), gen);
    this.x = p.x.toFloatArray();
    this.imageShape = Arrays.copyOfRange(p.x.shape(), 1, 4);
    this.perImage = (int) (imageShape[0] * imageShape[1] * imageShape[2]);
    this.y = p.y;
    this.sampleWeight = p.sampleWeight;
  }

  /** The arguments checked and split as Keras' {@code __init__} does, before the state is made. */
  private record Prepared(NDArray x, NDArray y, NDArray sampleWeight) {
    static Prepared of(NDArray x, NDArray y, ImageDataGenerator gen, FlowOptions o) {
      if (x == null)
        throw new IllegalArgumentException("Expected `x` to be an array. Received: null");
      NDArray sw = o.sampleWeight();
      if (y != null && x.rank() > 0 && y.rank() > 0 && x.dim(0) != y.dim(0)) {
        throw new IllegalArgumentException(
            "`x` (images tensor) and `y` (labels) should have the same length. Found: x.shape = "
                + ImageDataGenerator.pyShape(x.shape())
                + ", y.shape = "
                + ImageDataGenerator.pyShape(y.shape()));
      }
      if (sw != null && x.rank() > 0 && sw.rank() > 0 && x.dim(0) != sw.dim(0)) {
        throw new IllegalArgumentException(
            "`x` (images tensor) and `sample_weight` should have the same length. Found: x.shape"
                + " = "
                + ImageDataGenerator.pyShape(x.shape())
                + ", sample_weight.shape = "
                + ImageDataGenerator.pyShape(sw.shape()));
      }
      String subset = o.subset();
      if (subset != null) {
        if (!ImageDataGenerator.SUBSETS.contains(subset)) {
          throw new IllegalArgumentException(
              "Invalid subset name: " + subset + "; expected \"training\" or \"validation\".");
        }
        int split = (int) (x.dim(0) * gen.validationSplit());
        if (y != null && !uniques(y.slice(0, split)).equals(uniques(y.slice(split, y.dim(0))))) {
          throw new IllegalArgumentException(
              "Training and validation subsets have different number of classes after the split."
                  + " If your numpy arrays are sorted by the label, you might want to shuffle them.");
        }
        long from = subset.equals("validation") ? 0 : split;
        long to = subset.equals("validation") ? split : x.dim(0);
        x = x.slice(from, to);
        if (y != null) y = y.slice(from, to);
        if (sw != null) sw = sw.slice(from, to);
      }
      if (x.rank() != 4) {
        throw new IllegalArgumentException(
            "Input data in `NumpyArrayIterator` should have rank 4. You passed an array with shape "
                + ImageDataGenerator.pyShape(x.shape()));
      }
      int ca = gen.channelsLast ? 3 : 1;
      long c = x.dim(ca);
      if (c != 1 && c != 3 && c != 4) {
        Warnings.warn(
            "NumpyArrayIterator is set to use the data format convention \""
                + gen.dataFormat
                + "\" (channels on axis "
                + ca
                + "), i.e. expected either 1, 3, or 4 channels on axis "
                + ca
                + ". However, it was passed an array with shape "
                + ImageDataGenerator.pyShape(x.shape())
                + " ("
                + c
                + " channels).");
      }
      return new Prepared(x, y, sw);
    }

    private static TreeSet<Double> uniques(NDArray a) {
      TreeSet<Double> s = new TreeSet<>();
      for (double d : a.toDoubleArray()) s.add(d);
      return s;
    }
  }

  @Override
  long[] imageShape() {
    return imageShape.clone();
  }

  @Override
  Batch batchOf(int[] indexArray, LegacyRandomState rs) {
    ImageDataGenerator g = generator;
    int rows = (int) imageShape[g.channelsLast ? 0 : 1];
    int cols = (int) imageShape[g.channelsLast ? 1 : 2];
    int ch = (int) imageShape[g.channelsLast ? 2 : 0];
    float[] out = new float[indexArray.length * perImage];
    for (int i = 0; i < indexArray.length; i++) {
      int j = indexArray[i];
      Img img =
          new Img(
              Arrays.copyOfRange(x, j * perImage, (j + 1) * perImage),
              rows,
              cols,
              ch,
              g.channelsLast);
      TransformParameters p = g.getRandomTransform(imageShape, rs);
      Img t = g.standardize(g.applyTransform(img, p));
      System.arraycopy(t.data, 0, out, i * perImage, perImage);
    }
    NDArray bx =
        NDArray.adoptFloats(out, indexArray.length, imageShape[0], imageShape[1], imageShape[2])
            .astype(g.dtype);
    if (y == null) return Batch.ofInputs(bx);
    NDArray by = y.take(indexArray);
    if (sampleWeight == null) return Batch.of(bx, by);
    return Batch.of(bx, by, sampleWeight.take(indexArray));
  }
}
