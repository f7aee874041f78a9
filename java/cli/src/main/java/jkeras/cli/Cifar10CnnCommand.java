package jkeras.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import jkeras.callbacks.History;
import jkeras.data.NDArray;
import jkeras.data.Npy;
import jkeras.layers.Activation;
import jkeras.layers.Conv2D;
import jkeras.layers.Dense;
import jkeras.layers.Dropout;
import jkeras.layers.Flatten;
import jkeras.layers.MaxPooling2D;
import jkeras.models.Sequential;
import jkeras.optimizers.RMSprop;
import jkeras.preprocessing.image.FlowOptions;
import jkeras.preprocessing.image.ImageDataGenerator;
import jkeras.python.Python;
import jkeras.python.PythonSequence;
import jkeras.python.PythonSource;
import jkeras.trainers.CompileOptions;
import jkeras.trainers.FitOptions;
import jkeras.utils.NpUtils;
import jkeras.utils.RngUtils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The seed article's second example, Keras 2.3.1's {@code examples/cifar10_cnn.py}, ported: the
 * same model, {@code RMSprop(lr=0.0001, decay=1e-6)}, the same {@code ImageDataGenerator} settings
 * (shifts of 0.1, horizontal flips), {@code fit_generator(datagen.flow(x_train, y_train,
 * batch_size=32), validation_data=(x_test, y_test), workers=4)}. The data is CIFAR-10-shaped and
 * generated here (32x32 RGB, 10 classes of coloured, oriented stripes under noise): nothing is
 * downloaded.
 */
@Command(
    name = "cifar10-cnn",
    mixinStandardHelpOptions = true,
    description =
        "Keras 2.3.1's examples/cifar10_cnn.py: a CNN trained with ImageDataGenerator.flow and"
            + " fitGenerator(workers=4), on generated CIFAR-10-shaped data.")
final class Cifar10CnnCommand implements Callable<Integer> {
  @Option(
      names = "--epochs",
      defaultValue = "3",
      description = "Epochs (default: ${DEFAULT-VALUE}; the Keras script runs 100).")
  int epochs;

  @Option(
      names = "--workers",
      defaultValue = "4",
      description = "Keras `workers` (default: ${DEFAULT-VALUE}, as in the script).")
  int workers;

  @Option(
      names = "--samples",
      defaultValue = "5000",
      description = "Generated training images (default: ${DEFAULT-VALUE}; CIFAR-10 has 50000).")
  int samples;

  @Option(
      names = "--test-samples",
      defaultValue = "1000",
      description = "Generated validation images (default: ${DEFAULT-VALUE}; CIFAR-10 has 10000).")
  int testSamples;

  @Option(
      names = "--batch-size",
      defaultValue = "32",
      description = "batch_size (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(
      names = "--seed",
      defaultValue = "42",
      description = "Seed for data, weights and augmentation (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--python-datagen",
      description =
          "Augment with keras_preprocessing's ImageDataGenerator in Python"
              + " (python/examples/cifar10_datagen.py) through the bridge, as the article writes it.")
  boolean pythonDatagen;

  @Option(
      names = "--use-multiprocessing",
      description = "Keras `use_multiprocessing` (with --python-datagen: Python worker processes).")
  boolean useMultiprocessing;

  @Option(
      names = "--verbose",
      defaultValue = "1",
      description = "Keras `verbose` (default: ${DEFAULT-VALUE}).")
  int verbose;

  PrintStream out = System.out;

  static final int NUM_CLASSES = 10;

  @Override
  public Integer call() throws java.io.IOException {
    RngUtils.setRandomSeed(seed);
    NDArray[] train = cifarLike(samples, seed);
    NDArray[] test = cifarLike(testSamples, seed + 1);
    // x_train.astype('float32') / 255, y to_categorical, as the script does.
    NDArray xTrain = train[0].divide(255);
    NDArray xTest = test[0].divide(255);
    NDArray yTrain = NpUtils.toCategorical(train[1], NUM_CLASSES);
    NDArray yTest = NpUtils.toCategorical(test[1], NUM_CLASSES);

    try (Sequential model = new Sequential()) {
      model.add(Conv2D.builder(32, 3, 3).padding("same").inputShape(32, 32, 3).build());
      model.add(Activation.builder("relu").build());
      model.add(Conv2D.builder(32, 3, 3).build());
      model.add(Activation.builder("relu").build());
      model.add(MaxPooling2D.builder().poolSize(2, 2).build());
      model.add(Dropout.builder(0.25).build());
      model.add(Conv2D.builder(64, 3, 3).padding("same").build());
      model.add(Activation.builder("relu").build());
      model.add(Conv2D.builder(64, 3, 3).build());
      model.add(Activation.builder("relu").build());
      model.add(MaxPooling2D.builder().poolSize(2, 2).build());
      model.add(Dropout.builder(0.25).build());
      model.add(Flatten.builder().build());
      model.add(Dense.builder(512).build());
      model.add(Activation.builder("relu").build());
      model.add(Dropout.builder(0.5).build());
      model.add(Dense.builder(NUM_CLASSES).build());
      model.add(Activation.builder("softmax").build());
      model.compile(
          CompileOptions.builder()
              .loss("categorical_crossentropy")
              .optimizer(RMSprop.builder().learningRate(0.0001).decay(1e-6).build())
              .metrics(List.of("accuracy"))
              .build());
      if (verbose > 0) model.summary(out);

      // The script's ImageDataGenerator keywords (those it sets to non-defaults and the defaults it
      // spells out), through fromConfig so the port reads like the Python.
      Map<String, Object> kwargs = new java.util.LinkedHashMap<>();
      kwargs.put("featurewise_center", false);
      kwargs.put("samplewise_center", false);
      kwargs.put("featurewise_std_normalization", false);
      kwargs.put("samplewise_std_normalization", false);
      kwargs.put("zca_whitening", false);
      kwargs.put("zca_epsilon", 1e-06);
      kwargs.put("rotation_range", 0);
      kwargs.put("width_shift_range", 0.1);
      kwargs.put("height_shift_range", 0.1);
      kwargs.put("shear_range", 0.);
      kwargs.put("zoom_range", 0.);
      kwargs.put("channel_shift_range", 0.);
      kwargs.put("fill_mode", "nearest");
      kwargs.put("cval", 0.);
      kwargs.put("horizontal_flip", true);
      kwargs.put("vertical_flip", false);
      kwargs.put("rescale", null);
      kwargs.put("preprocessing_function", null);
      kwargs.put("data_format", null);
      kwargs.put("validation_split", 0.0);
      ImageDataGenerator datagen = ImageDataGenerator.fromConfig(kwargs);
      datagen.fit(xTrain);

      out.printf(
          Locale.ROOT,
          "fit_generator(datagen.flow(x_train, y_train, batch_size=%d), epochs=%d,"
              + " validation_data=(x_test, y_test), workers=%d, use_multiprocessing=%s)"
              + "  # %s datagen, %d train / %d test images%n",
          batchSize,
          epochs,
          workers,
          useMultiprocessing ? "True" : "False",
          pythonDatagen ? "Python (keras_preprocessing)" : "Java",
          samples,
          testSamples);
      FitOptions fit =
          FitOptions.builder()
              .epochs(epochs)
              .validationData(xTest, yTest)
              .workers(workers)
              .useMultiprocessing(useMultiprocessing)
              .verbose(verbose)
              .build();
      long start = System.nanoTime();
      History history;
      if (pythonDatagen) {
        // The same arrays, handed to the unchanged Python pipeline as .npy files.
        Path root = Path.of(System.getProperty("jkeras.root", "."));
        Path dir = root.resolve("target/cifar10-cnn");
        Files.createDirectories(dir);
        Npy.save(dir.resolve("x_train.npy"), xTrain);
        Npy.save(dir.resolve("y_train.npy"), yTrain);
        PythonSource source =
            PythonSource.fromFile(
                root.resolve("python/examples/cifar10_datagen.py"),
                "flow",
                dir.resolve("x_train.npy").toString(),
                dir.resolve("y_train.npy").toString(),
                batchSize,
                seed);
        try (PythonSequence flow = Python.sequence(source)) {
          history = model.fitGenerator(flow, fit);
        }
      } else {
        history =
            model.fitGenerator(
                datagen.flow(
                    xTrain, yTrain, FlowOptions.builder().batchSize(batchSize).seed(seed).build()),
                fit);
      }
      double secs = (System.nanoTime() - start) / 1e9;
      List<Double> loss = history.history().get("loss");
      List<Double> valAcc = history.history().get("val_accuracy");
      out.printf(
          Locale.ROOT,
          "%nloss %.4f -> %.4f, val_accuracy %.4f -> %.4f, %.1f s (%.1f s/epoch)%n",
          loss.get(0),
          loss.get(loss.size() - 1),
          valAcc.get(0),
          valAcc.get(valAcc.size() - 1),
          secs,
          secs / epochs);
      return loss.get(loss.size() - 1) < loss.get(0) || epochs == 1 ? 0 : 1;
    }
  }

  /**
   * CIFAR-10-shaped data: {@code n} images 32x32x3 with values 0..255 and labels 0..9. Class k is
   * stripes of orientation k * 18 degrees in a class colour, at a random phase, under noise.
   */
  static NDArray[] cifarLike(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] x = new float[n * 32 * 32 * 3];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      int k = r.nextInt(NUM_CLASSES);
      y[i] = k;
      double angle = Math.toRadians(k * 18);
      double cos = Math.cos(angle);
      double sin = Math.sin(angle);
      double phase = r.nextDouble() * 2 * Math.PI;
      double[] colour = {
        0.5 + 0.5 * Math.cos(k * 0.63),
        0.5 + 0.5 * Math.cos(k * 0.63 + 2.1),
        0.5 + 0.5 * Math.cos(k * 0.63 + 4.2)
      };
      for (int row = 0; row < 32; row++)
        for (int col = 0; col < 32; col++) {
          double s = 0.5 + 0.5 * Math.sin((col * cos + row * sin) * 0.6 + phase);
          for (int c = 0; c < 3; c++) {
            double v = 255 * (0.25 * s * colour[c] + 0.75 * r.nextDouble());
            x[((i * 32 + row) * 32 + col) * 3 + c] = (float) Math.floor(v);
          }
        }
    }
    return new NDArray[] {NDArray.of(x, n, 32, 32, 3), NDArray.of(y)};
  }
}
