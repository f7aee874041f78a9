package jkeras.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import jkeras.data.Batch;
import jkeras.data.NDArray;
import jkeras.data.Npy;
import jkeras.preprocessing.image.DirectoryIterator;
import jkeras.preprocessing.image.DirectoryOptions;
import jkeras.preprocessing.image.FlowOptions;
import jkeras.preprocessing.image.ImageDataGenerator;
import jkeras.preprocessing.image.NumpyArrayIterator;
import jkeras.preprocessing.image.TransformParameters;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * ImageDataGenerator against keras_preprocessing 1.1.2 (Keras 2.3.1's): the cases of {@code
 * image/cases.json} are run by {@code python/image_compat.py} in {@code .venv-keras231} and here,
 * with the generator built by {@code ImageDataGenerator.fromConfig} from the same keyword map.
 *
 * <p>Exact: every epoch's index order, every sample's transform parameters, labels, the directory
 * listing and brightness-shifted pixels. Within a tolerance: pixels after the affine resampling
 * (1e-4 on 0..255 values: scipy and this code agree bit for bit in practice, the tolerance only
 * covers libm's cos/sin), standardised values (1e-6) and the fitted mean/std (1e-6 relative).
 * Resized PNGs (nearest, bilinear, bicubic, lanczos; L and RGB) exactly.
 */
@Tag("compat")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImageCompatTest {
  private static final Path DIR = Path.of(System.getProperty("jkeras.compat.dir", "."));
  @TempDir static Path out;
  private JsonNode cases;
  private final ObjectMapper json = new ObjectMapper();

  @BeforeAll
  void runKerasPreprocessing() throws Exception {
    Path python = DIR.resolve("../.venv-keras231/bin/python").normalize();
    assertThat(python).as("no venv (scripts/setup-python.sh --with-keras231 creates it)").exists();
    cases = json.readTree(DIR.resolve("image/cases.json").toFile());
    Process p =
        new ProcessBuilder(
                python.toString(),
                DIR.resolve("python/image_compat.py").toString(),
                DIR.resolve("image/cases.json").toString(),
                out.toString())
            .redirectErrorStream(true)
            .redirectOutput(out.resolve("python.log").toFile())
            .start();
    boolean done = p.waitFor(300, TimeUnit.SECONDS);
    if (!done) p.destroyForcibly().waitFor();
    assertThat(p.exitValue())
        .as("image_compat.py failed:%n%s", Files.readString(out.resolve("python.log")))
        .isZero();
  }

  private Map<String, Object> kwargs(JsonNode c) {
    Map<String, Object> m = new LinkedHashMap<>();
    c.get("kwargs")
        .fields()
        .forEachRemaining(e -> m.put(e.getKey(), json.convertValue(e.getValue(), Object.class)));
    return m;
  }

  @TestFactory
  Stream<DynamicTest> flowAgreesWithKerasPreprocessing() {
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode c : cases.get("flow")) {
      tests.add(DynamicTest.dynamicTest(c.get("name").asText(), () -> checkFlow(c)));
    }
    return tests.stream();
  }

  private void checkFlow(JsonNode c) throws Exception {
    String name = c.get("name").asText();
    Map<String, NDArray> ref = Npy.loadNpz(out.resolve(name + ".npz"));
    ImageDataGenerator gen = ImageDataGenerator.fromConfig(kwargs(c));
    boolean fit = c.path("fit").asBoolean(false);
    if (fit) {
      gen.fit(ref.get("x"));
      assertClose(gen.mean(), ref.get("mean"), 1e-6, true, name + " mean");
      assertClose(gen.std(), ref.get("std"), 1e-6, true, name + " std");
    }
    FlowOptions.Builder o =
        FlowOptions.builder()
            .batchSize(c.get("batch_size").asInt())
            .seed(c.get("seed").asLong())
            .shuffle(c.path("shuffle").asBoolean(true));
    if (c.has("subset")) o.subset(c.get("subset").asText());
    NumpyArrayIterator it = gen.flow(ref.get("x"), ref.get("y"), o.build());
    List<NDArray> xs = new ArrayList<>();
    List<NDArray> ys = new ArrayList<>();
    List<TransformParameters> params = new ArrayList<>();
    int[] orders = ref.get("orders").toIntArray();
    int epochs = c.get("epochs").asInt();
    for (int e = 0; e < epochs; e++) {
      for (int i = 0; i < it.size(); i++) {
        if (e == 0) params.addAll(List.of(it.transformParameters(i)));
        Batch b = it.get(i);
        xs.add((NDArray) b.x());
        ys.add((NDArray) b.y());
      }
      int[] order = it.indexArray();
      for (int k = 0; k < order.length; k++) {
        assertThat(order[k])
            .as("%s epoch %d order[%d]", name, e, k)
            .isEqualTo(orders[e * order.length + k]);
      }
      it.onEpochEnd();
    }
    double[] p = ref.get("params").toDoubleArray();
    assertThat(params).hasSize(p.length / 10);
    for (int i = 0; i < params.size(); i++) {
      double[] mine = flat(params.get(i));
      for (int k = 0; k < 10; k++) {
        assertThat(Double.valueOf(mine[k]))
            .as("%s sample %d parameter %d", name, i, k)
            .isEqualTo(Double.valueOf(p[i * 10 + k]));
      }
    }
    assertThat(NDArray.concatenate(ys).toIntArray())
        .containsExactly(ref.get("batches_y").toIntArray());
    boolean standardised = name.equals("augment_nearest") || fit;
    assertClose(
        NDArray.concatenate(xs), ref.get("batches_x"), standardised ? 1e-6 : 1e-4, false, name);
  }

  private static double[] flat(TransformParameters t) {
    return new double[] {
      t.theta(),
      t.tx(),
      t.ty(),
      t.shear(),
      t.zx(),
      t.zy(),
      t.flipHorizontal() ? 1 : 0,
      t.flipVertical() ? 1 : 0,
      t.channelShiftIntensity() == null ? Double.NaN : t.channelShiftIntensity(),
      t.brightness() == null ? Double.NaN : t.brightness()
    };
  }

  private static void assertClose(NDArray a, NDArray b, double tol, boolean relative, String what) {
    assertThat(a.shape()).as(what + " shape").containsExactly(b.shape());
    float[] x = a.toFloatArray();
    float[] y = b.toFloatArray();
    double worst = 0;
    for (int i = 0; i < x.length; i++) {
      double d = Math.abs(x[i] - y[i]);
      if (relative) d /= Math.max(1e-12, Math.abs(y[i]));
      worst = Math.max(worst, d);
    }
    System.out.printf(
        "image compat %-32s max %s diff %.3g (tolerance %.0e)%n",
        what, relative ? "relative" : "abs", worst, tol);
    assertThat(worst).as(what).isLessThanOrEqualTo(tol);
  }

  @TestFactory
  Stream<DynamicTest> flowFromDirectoryAgreesWithKerasPreprocessing() {
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode c : cases.get("directory")) {
      tests.add(DynamicTest.dynamicTest(c.get("name").asText(), () -> checkDirectory(c)));
    }
    return tests.stream();
  }

  private void checkDirectory(JsonNode c) throws Exception {
    String name = c.get("name").asText();
    Map<String, NDArray> ref = Npy.loadNpz(out.resolve(name + ".npz"));
    ImageDataGenerator gen =
        ImageDataGenerator.builder()
            .validationSplit(c.path("validation_split").asDouble(0))
            .build();
    DirectoryOptions.Builder o =
        DirectoryOptions.builder()
            .targetSize(c.get("target_size").get(0).asInt(), c.get("target_size").get(1).asInt())
            .colorMode(c.get("color_mode").asText())
            .interpolation(c.get("interpolation").asText())
            .classMode("sparse")
            .batchSize(100)
            .shuffle(false);
    if (c.has("subset")) o.subset(c.get("subset").asText());
    DirectoryIterator it = gen.flowFromDirectory(out.resolve("images"), o.build());
    assertThat(it.classes()).containsExactly(ref.get("classes").toIntArray());
    assertThat(String.join("\n", it.filenames()))
        .isEqualTo(Files.readString(out.resolve(name + ".filenames.txt")));
    Batch b = it.get(0);
    assertClose((NDArray) b.x(), ref.get("x"), 0, false, name);
    assertThat(((NDArray) b.y()).toFloatArray()).containsExactly(ref.get("y").toFloatArray());
  }
}
