package jkeras.preprocessing.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import jkeras.data.Batch;
import jkeras.data.NDArray;
import jkeras.internal.Warnings;
import jkeras.utils.LegacyRandomState;

/**
 * keras_preprocessing's {@code DirectoryIterator}, what {@link
 * ImageDataGenerator#flowFromDirectory} returns: one class per subdirectory (sorted by name unless
 * {@code classes} is given), the images of each class from a sorted recursive walk (directories
 * sorted by path, files by name; extensions png, jpg, jpeg, bmp, ppm, tif, tiff), as Keras lists
 * them. Images are decoded when their batch is computed; a file that cannot be decoded fails that
 * batch with an error naming it. Safe for several workers; see {@link ImageIterator}.
 */
public final class DirectoryIterator extends ImageIterator {
  /** Keras' {@code white_list_formats}. */
  public static final List<String> WHITE_LIST_FORMATS =
      List.of("png", "jpg", "jpeg", "bmp", "ppm", "tif", "tiff");

  private final Path directory;
  private final DirectoryOptions options;
  private final List<String> filenames;
  private final List<Path> filepaths;
  private final int[] classes;
  private final Map<String, Integer> classIndices;
  private final long[] imageShape;

  private record Listing(List<String> filenames, int[] classes, Map<String, Integer> indices) {}

  DirectoryIterator(Path directory, ImageDataGenerator gen, DirectoryOptions o) {
    this(directory, gen, o, list(directory, gen, o));
  }

  private DirectoryIterator(Path directory, ImageDataGenerator gen, DirectoryOptions o, Listing l) {
    super(l.filenames.size(), o.batchSize(), o.shuffle(), o.seed(), gen);
    this.directory = directory;
    this.options = o;
    this.filenames = List.copyOf(l.filenames);
    List<Path> paths = new ArrayList<>();
    for (String f : filenames) paths.add(directory.resolve(f));
    this.filepaths = Collections.unmodifiableList(paths);
    this.classes = l.classes;
    this.classIndices = Collections.unmodifiableMap(l.indices);
    int ch = o.colorMode.equals("rgba") ? 4 : o.colorMode.equals("rgb") ? 3 : 1;
    this.imageShape =
        gen.channelsLast ? new long[] {o.rows, o.cols, ch} : new long[] {ch, o.rows, o.cols};
  }

  private static Listing list(Path directory, ImageDataGenerator gen, DirectoryOptions o) {
    if (!Files.isDirectory(directory)) {
      throw new IllegalArgumentException(
          "Expected `directory` to be a directory. Received: directory=" + directory);
    }
    double[] split = null;
    if (o.subset() != null) {
      double v = gen.validationSplit();
      split = o.subset().equals("validation") ? new double[] {0, v} : new double[] {v, 1};
    }
    List<String> classNames = o.classes;
    if (classNames == null || classNames.isEmpty()) {
      classNames = new ArrayList<>();
      try (Stream<Path> s = Files.list(directory)) {
        for (Path p : (Iterable<Path>) s::iterator) {
          if (Files.isDirectory(p)) classNames.add(p.getFileName().toString());
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot list " + directory, e);
      }
      Collections.sort(classNames);
    }
    Map<String, Integer> indices = new LinkedHashMap<>();
    for (int i = 0; i < classNames.size(); i++) indices.put(classNames.get(i), i);
    List<String> files = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    for (String cls : classNames) {
      Path dir = directory.resolve(cls);
      List<String> valid = validFiles(dir, o.followLinks);
      if (split != null) {
        int n = valid.size();
        valid = valid.subList((int) (split[0] * n), (int) (split[1] * n));
      }
      for (String rel : valid) {
        files.add(cls + "/" + rel);
        labels.add(indices.get(cls));
      }
    }
    int[] cl = labels.stream().mapToInt(Integer::intValue).toArray();
    System.out.println(
        "Found " + files.size() + " images belonging to " + classNames.size() + " classes.");
    return new Listing(files, cl, indices);
  }

  /** Keras' _iter_valid_files: os.walk sorted by directory path, files sorted by name. */
  private static List<String> validFiles(Path dir, boolean followLinks) {
    List<Path> dirs = new ArrayList<>();
    Set<FileVisitOption> opts =
        followLinks
            ? EnumSet.of(FileVisitOption.FOLLOW_LINKS)
            : EnumSet.noneOf(FileVisitOption.class);
    if (!Files.isDirectory(dir)) return List.of();
    try (Stream<Path> s =
        Files.walk(dir, Integer.MAX_VALUE, opts.toArray(FileVisitOption[]::new))) {
      // os.walk(followlinks=False) lists a linked directory but does not descend into it.
      java.nio.file.LinkOption[] link =
          followLinks
              ? new java.nio.file.LinkOption[0]
              : new java.nio.file.LinkOption[] {java.nio.file.LinkOption.NOFOLLOW_LINKS};
      s.filter(p -> p.equals(dir) || Files.isDirectory(p, link)).forEach(dirs::add);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot walk " + dir, e);
    }
    dirs.sort((a, b) -> a.toString().compareTo(b.toString()));
    List<String> out = new ArrayList<>();
    for (Path d : dirs) {
      List<String> names = new ArrayList<>();
      try (Stream<Path> s = Files.list(d)) {
        for (Path p : (Iterable<Path>) s::iterator) {
          if (!Files.isDirectory(p)) names.add(p.getFileName().toString());
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot list " + d, e);
      }
      Collections.sort(names);
      for (String name : names) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".tiff")) {
          Warnings.warn(
              "Using \".tiff\" files with multiple bands will cause distortion. Please verify your"
                  + " output.");
        }
        if (WHITE_LIST_FORMATS.stream().anyMatch(lower::endsWith)) {
          out.add(dir.relativize(d.resolve(name)).toString().replace('\\', '/'));
        }
      }
    }
    return out;
  }

  /** Keras {@code filenames}: paths relative to the directory, {@code class/file.png}. */
  public List<String> filenames() {
    return filenames;
  }

  /** Keras {@code filepaths}. */
  public List<Path> filepaths() {
    return filepaths;
  }

  /** Keras {@code classes}: the class index of every file. */
  public int[] classes() {
    return classes.clone();
  }

  /** Keras {@code class_indices}: class name to index. */
  public Map<String, Integer> classIndices() {
    return classIndices;
  }

  /** Keras {@code samples}. */
  public int samples() {
    return filenames.size();
  }

  /** Keras {@code num_classes}. */
  public int numClasses() {
    return classIndices.size();
  }

  /** Keras {@code directory}. */
  public Path directory() {
    return directory;
  }

  @Override
  long[] imageShape() {
    return imageShape.clone();
  }

  @Override
  Batch batchOf(int[] indexArray, LegacyRandomState rs) {
    ImageDataGenerator g = generator;
    int per = (int) (imageShape[0] * imageShape[1] * imageShape[2]);
    float[] out = new float[indexArray.length * per];
    int[] target = {options.rows, options.cols};
    for (int i = 0; i < indexArray.length; i++) {
      Path file = filepaths.get(indexArray[i]);
      Img img =
          ImageUtils.load(file, options.colorMode, target, options.interpolation, g.channelsLast);
      TransformParameters p = g.getRandomTransform(imageShape, rs);
      Img t = g.standardize(g.applyTransform(img, p));
      System.arraycopy(t.data, 0, out, i * per, per);
    }
    int b = indexArray.length;
    NDArray bx =
        NDArray.adoptFloats(out, b, imageShape[0], imageShape[1], imageShape[2]).astype(g.dtype);
    String mode = options.classMode;
    if (mode == null) return Batch.ofInputs(bx);
    if (mode.equals("input")) return Batch.of(bx, bx);
    float[] y;
    NDArray by;
    if (mode.equals("categorical")) {
      int k = numClasses();
      y = new float[b * k];
      for (int i = 0; i < b; i++) y[i * k + classes[indexArray[i]]] = 1f;
      by = NDArray.of(y, b, k);
    } else {
      y = new float[b];
      for (int i = 0; i < b; i++) y[i] = classes[indexArray[i]];
      by = NDArray.of(y, b);
    }
    return Batch.of(bx, by.astype(g.dtype));
  }
}
