package jkeras.saving;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import jkeras.data.NDArray;
import jkeras.saving.KerasFile.Format;
import jkeras.saving.KerasFile.LayerWeights;
import jkeras.saving.KerasFile.NamedArray;

/**
 * Reads and writes Keras' files (Keras 2.3.1's {@code keras/engine/saving.py}, tf-keras' {@code
 * hdf5_format.py}, Keras 3's {@code saving_lib.py}): the HDF5 model and weights files and Keras 3's
 * {@code .keras} zip and {@code .weights.h5}. Which one a file is comes from its content (the HDF5
 * signature or a zip), never from its name. Every write is atomic ({@link AtomicFiles}).
 */
public final class KerasFiles {
  private KerasFiles() {}

  /** What jkeras records as {@code keras_version}: the Keras whose behaviour it follows. */
  public static final String KERAS_VERSION = "2.3.1";

  /** What jkeras records as {@code backend}: it runs TensorFlow's kernels. */
  public static final String BACKEND = "tensorflow";

  private static final byte[] HDF5_SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

  // ---------------------------------------------------------------- reading

  /**
   * Reads a Keras file of any kind.
   *
   * @throws IOException when the file is missing, truncated, damaged or not a Keras file; the
   *     message names the file and what was found
   */
  public static KerasFile read(Path path) throws IOException {
    if (!Files.isRegularFile(path))
      throw new java.nio.file.NoSuchFileException(
          path.toString(), null, "No file or directory found at " + path);
    byte[] head = new byte[8];
    int n;
    try (InputStream in = Files.newInputStream(path)) {
      n = in.readNBytes(head, 0, 8);
    }
    if (n == 8 && java.util.Arrays.equals(head, HDF5_SIGNATURE)) return readHdf5(path);
    if (n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4)
      return readZip(path);
    throw new IOException(
        "Not a Keras file: "
            + path
            + " is neither HDF5 (Keras' .h5) nor a zip (Keras 3's .keras); its first bytes are "
            + hex(head, n)
            + ".");
  }

  private static String hex(byte[] b, int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) sb.append(String.format("%02x", b[i] & 0xff));
    return n == 0 ? "(empty file)" : sb.toString();
  }

  private static KerasFile readHdf5(Path path) throws IOException {
    try (H5.File f = H5.File.open(path)) {
      H5.Group root = f.root();
      if (root.hasAttribute("layer_names")) {
        return new KerasFile(
            Format.H5_WEIGHTS,
            first(root.readStrings("keras_version")),
            first(root.readStrings("backend")),
            null,
            null,
            readKeras2Layers(root),
            List.of());
      }
      if (root.hasAttribute("model_config") || root.exists("model_weights")) {
        Map<String, Object> config = jsonAttribute(root, "model_config", path);
        Map<String, Object> training = jsonAttribute(root, "training_config", path);
        List<LayerWeights> layers =
            root.exists("model_weights")
                ? readKeras2Layers(root.child("model_weights"))
                : List.of();
        List<NamedArray> opt = List.of();
        if (root.exists("optimizer_weights")) {
          H5.Group og = root.child("optimizer_weights");
          List<String> names = chunkedStrings(og, "weight_names");
          List<NamedArray> o = new ArrayList<>();
          for (String name : names) o.add(new NamedArray(name, og.readArray(name)));
          opt = o;
        }
        return new KerasFile(
            Format.H5_MODEL,
            first(root.readStrings("keras_version")),
            first(root.readStrings("backend")),
            config,
            training,
            layers,
            opt);
      }
      if (root.exists("layers") || root.exists("vars") || root.exists("optimizer")) {
        return keras3Weights(root, Format.KERAS3_WEIGHTS, null, null, null);
      }
      throw new IOException(
          "Not a Keras file: the HDF5 file "
              + path
              + " has no `model_config`, `model_weights`, `layer_names` or Keras 3 `layers` group.");
    }
  }

  private static String first(List<String> l) {
    return l == null || l.isEmpty() ? null : l.get(0);
  }

  private static Map<String, Object> jsonAttribute(H5.Group g, String name, Path path)
      throws IOException {
    String s = first(g.readStrings(name));
    if (s == null) return null;
    try {
      return Json.parseObject(s);
    } catch (IllegalArgumentException e) {
      throw new IOException(
          "The `" + name + "` of " + path + " is not valid JSON: " + e.getMessage(), e);
    }
  }

  /** Keras' {@code load_attributes_from_hdf5_group}: {@code name}, or {@code name0, name1, ...}. */
  private static List<String> chunkedStrings(H5.Group g, String name) throws IOException {
    List<String> v = g.readStrings(name);
    if (v != null) return v;
    List<String> out = new ArrayList<>();
    for (int i = 0; ; i++) {
      List<String> chunk = g.readStrings(name + i);
      if (chunk == null) break;
      out.addAll(chunk);
    }
    return out;
  }

  private static List<LayerWeights> readKeras2Layers(H5.Group g) throws IOException {
    List<LayerWeights> out = new ArrayList<>();
    for (String layer : chunkedStrings(g, "layer_names")) {
      H5.Group lg = g.child(layer);
      if (!g.exists(layer)) {
        out.add(new LayerWeights(layer, List.of(), List.of()));
        continue;
      }
      List<String> names = chunkedStrings(lg, "weight_names");
      List<NDArray> values = new ArrayList<>();
      for (String w : names) {
        if (!lg.exists(w))
          throw new IOException(
              "The weight `"
                  + w
                  + "` of layer `"
                  + layer
                  + "` is listed but missing in "
                  + g.file().path());
        values.add(lg.readArray(w));
      }
      out.add(new LayerWeights(layer, names, values));
    }
    return out;
  }

  /** Keras 3's weights: every group holding {@code vars/0, 1, ...}, by its path. */
  private static KerasFile keras3Weights(
      H5.Group root,
      Format format,
      String version,
      Map<String, Object> config,
      Map<String, Object> compile)
      throws IOException {
    List<LayerWeights> layers = new ArrayList<>();
    List<NamedArray> opt = new ArrayList<>();
    collectVars(root, "", layers);
    List<LayerWeights> keep = new ArrayList<>();
    for (LayerWeights lw : layers) {
      if (lw.name().equals("optimizer")) {
        for (int i = 0; i < lw.values().size(); i++)
          opt.add(new NamedArray(lw.weightNames().get(i), lw.values().get(i)));
      } else {
        keep.add(lw);
      }
    }
    return new KerasFile(format, version, null, config, compile, keep, opt);
  }

  private static void collectVars(H5.Group g, String path, List<LayerWeights> out)
      throws IOException {
    for (String child : g.children()) {
      if (!g.isGroup(child)) continue;
      H5.Group c = g.child(child);
      String p = path.isEmpty() ? child : path + "/" + child;
      if (child.equals("vars")) {
        List<String> names = new ArrayList<>();
        List<NDArray> values = new ArrayList<>();
        for (int i = 0; c.exists(Integer.toString(i)); i++) {
          names.add("vars/" + i);
          values.add(c.readArray(Integer.toString(i)));
        }
        if (!values.isEmpty()) out.add(new LayerWeights(path, names, values));
      } else {
        collectVars(c, p, out);
      }
    }
  }

  private static KerasFile readZip(Path path) throws IOException {
    try (ZipFile z = new ZipFile(path.toFile())) {
      ZipEntry config = z.getEntry("config.json");
      ZipEntry weights = z.getEntry("model.weights.h5");
      if (config == null)
        throw new IOException("Not a .keras file: the zip " + path + " has no config.json.");
      Map<String, Object> cfg;
      try {
        cfg =
            Json.parseObject(
                new String(z.getInputStream(config).readAllBytes(), StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw new IOException(
            "The config.json of " + path + " is not valid JSON: " + e.getMessage(), e);
      }
      String version = null;
      ZipEntry meta = z.getEntry("metadata.json");
      if (meta != null) {
        Map<String, Object> m =
            Json.parseObject(
                new String(z.getInputStream(meta).readAllBytes(), StandardCharsets.UTF_8));
        if (m.get("keras_version") instanceof String s) version = s;
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> compile =
          cfg.get("compile_config") instanceof Map<?, ?> c ? (Map<String, Object>) c : null;
      if (weights == null)
        return new KerasFile(Format.KERAS, version, null, cfg, compile, List.of(), List.of());
      Path tmp = Files.createTempFile("jkeras-", ".weights.h5");
      try {
        try (InputStream in = z.getInputStream(weights)) {
          Files.copy(in, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        try (H5.File f = H5.File.open(tmp)) {
          return keras3Weights(f.root(), Format.KERAS, version, cfg, compile);
        }
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (java.util.zip.ZipException e) {
      throw new IOException("Could not read " + path + " as a .keras zip: " + e.getMessage(), e);
    }
  }

  // ---------------------------------------------------------------- writing

  /**
   * Writes {@code file} at {@code path} in its format, atomically: HDF5 for {@link
   * Format#H5_MODEL}, {@link Format#H5_WEIGHTS} and {@link Format#KERAS3_WEIGHTS}, the zip for
   * {@link Format#KERAS}.
   */
  public static void write(Path path, KerasFile file) throws IOException {
    AtomicFiles.write(
        path,
        tmp -> {
          switch (file.format()) {
            case H5_MODEL -> writeH5Model(tmp, file);
            case H5_WEIGHTS -> {
              try (H5.File f = H5.File.create(tmp)) {
                writeKeras2Layers(f.root(), file);
              }
            }
            case KERAS3_WEIGHTS -> {
              try (H5.File f = H5.File.create(tmp)) {
                writeKeras3(f.root(), file);
              }
            }
            case KERAS -> writeZip(tmp, file);
          }
        });
  }

  private static void writeH5Model(Path tmp, KerasFile file) throws IOException {
    try (H5.File f = H5.File.create(tmp)) {
      H5.Group root = f.root();
      root.writeString("keras_version", version(file));
      root.writeString("backend", BACKEND);
      root.writeString("model_config", Json.write(file.modelConfig()));
      if (file.trainingConfig() != null)
        root.writeString("training_config", Json.write(file.trainingConfig()));
      writeKeras2Layers(root.createGroup("model_weights"), file);
      if (!file.optimizerWeights().isEmpty()) {
        H5.Group og = root.createGroup("optimizer_weights");
        List<String> names = new ArrayList<>();
        for (NamedArray a : file.optimizerWeights()) names.add(a.name());
        og.writeStringArray("weight_names", names);
        for (NamedArray a : file.optimizerWeights()) {
          if (a.value().rank() == 0 && a.name().contains("iter"))
            og.writeLong(a.name(), (long) a.value().floatsView()[0]);
          else og.writeArray(a.name(), a.value());
        }
      }
    }
  }

  private static String version(KerasFile file) {
    return file.kerasVersion() != null ? file.kerasVersion() : KERAS_VERSION;
  }

  /** Keras 2's layout: {@code layer_names}, one group per layer with {@code weight_names}. */
  private static void writeKeras2Layers(H5.Group g, KerasFile file) throws IOException {
    List<String> names = new ArrayList<>();
    for (LayerWeights lw : file.layerWeights()) names.add(lw.name());
    g.writeStringArray("layer_names", names);
    g.writeString("backend", BACKEND);
    g.writeString("keras_version", version(file));
    for (LayerWeights lw : file.layerWeights()) {
      H5.Group lg = g.createGroup(lw.name());
      lg.writeStringArray("weight_names", lw.weightNames());
      for (int i = 0; i < lw.values().size(); i++)
        lg.writeArray(lw.weightNames().get(i), lw.values().get(i));
    }
  }

  /** Keras 3's layout: {@code <object path>/vars/0, 1, ...} and {@code optimizer/vars/...}. */
  private static void writeKeras3(H5.Group root, KerasFile file) throws IOException {
    for (LayerWeights lw : file.layerWeights()) {
      H5.Group vars = root.createGroup(lw.name() + "/vars");
      for (int i = 0; i < lw.values().size(); i++)
        vars.writeArray(Integer.toString(i), lw.values().get(i));
    }
    if (!file.optimizerWeights().isEmpty()) {
      H5.Group vars = root.createGroup("optimizer/vars");
      for (int i = 0; i < file.optimizerWeights().size(); i++) {
        NamedArray a = file.optimizerWeights().get(i);
        if (i == 0 && a.value().rank() == 0) vars.writeLong("0", (long) a.value().floatsView()[0]);
        else vars.writeArray(Integer.toString(i), a.value());
      }
    }
  }

  private static void writeZip(Path tmp, KerasFile file) throws IOException {
    Path weights =
        Files.createTempFile(tmp.toAbsolutePath().getParent(), ".jkeras-", ".weights.h5");
    try {
      try (H5.File f = H5.File.create(weights)) {
        writeKeras3(f.root(), file);
      }
      Map<String, Object> config = new LinkedHashMap<>(file.modelConfig());
      if (file.trainingConfig() != null) config.put("compile_config", file.trainingConfig());
      Map<String, Object> meta = new LinkedHashMap<>();
      meta.put("keras_version", version(file));
      meta.put(
          "date_saved",
          LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd@HH:mm:ss")));
      try (ZipOutputStream zos = new ZipOutputStream(Files.newOutputStream(tmp))) {
        put(zos, "metadata.json", Json.write(meta).getBytes(StandardCharsets.UTF_8));
        put(zos, "config.json", Json.write(config).getBytes(StandardCharsets.UTF_8));
        zos.putNextEntry(new ZipEntry("model.weights.h5"));
        Files.copy(weights, zos);
        zos.closeEntry();
      }
    } finally {
      Files.deleteIfExists(weights);
    }
  }

  private static void put(ZipOutputStream zos, String name, byte[] bytes) throws IOException {
    zos.putNextEntry(new ZipEntry(name));
    zos.write(bytes);
    zos.closeEntry();
  }

  @SuppressWarnings("unused")
  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    in.transferTo(out);
    return out.toByteArray();
  }
}
