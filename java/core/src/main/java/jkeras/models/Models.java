package jkeras.models;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import jkeras.saving.Configs;
import jkeras.saving.Json;
import jkeras.utils.CustomObjects;

/**
 * Keras' model-level functions ({@code keras.models}): {@code load_model}, {@code save_model},
 * {@code model_from_json}, {@code model_from_config}.
 *
 * <pre>{@code
 * try (Model model = Models.loadModel(Path.of("trained_in_python.h5"))) {   // compiled as saved
 *   model.fit(x, y, FitOptions.builder().epochs(2).build());                // training resumes
 *   model.save(Path.of("fine_tuned.h5"));                                   // tf-keras loads it
 * }
 * }</pre>
 */
public final class Models {
  private Models() {}

  /**
   * Keras' {@code load_model(filepath)}: a model saved by jkeras, Keras 2.3.1, tf-keras ({@code
   * .h5}) or Keras 3 ({@code .keras}), with its weights, compiled as it was saved and with the
   * optimizer's state, so {@code fit} resumes where the saved training stopped.
   *
   * @throws IOException when the file is missing, truncated, damaged or not a Keras file
   * @throws IllegalArgumentException when the config names a layer, loss or metric jkeras does not
   *     know (the message names it and how to register it), or the weights do not fit
   */
  public static Model loadModel(Path path) throws IOException {
    return loadModel(path, Map.of(), true);
  }

  /**
   * {@code load_model(filepath, custom_objects, compile)}: {@code customObjects} are visible while
   * loading (as in a {@link CustomObjects#scope}); without {@code compile} the model is not
   * compiled.
   */
  public static Model loadModel(Path path, Map<String, ?> customObjects, boolean compile)
      throws IOException {
    try (CustomObjects.Scope s = CustomObjects.scope(customObjects)) {
      return ModelFiles.load(path, compile);
    }
  }

  /** Keras' {@code save_model(model, filepath)}: {@link Model#save(Path)}. */
  public static void saveModel(Model model, Path path) throws IOException {
    model.save(path);
  }

  /**
   * Keras' {@code model_from_json(json_string)}: the model of a {@code to_json()} text, from any
   * Keras (weights are freshly initialized).
   */
  public static Model modelFromJson(String json) {
    return modelFromConfig(Json.parseObject(json));
  }

  /** {@code model_from_json(json_string, custom_objects)}. */
  public static Model modelFromJson(String json, Map<String, ?> customObjects) {
    try (CustomObjects.Scope s = CustomObjects.scope(customObjects)) {
      return modelFromJson(json);
    }
  }

  /**
   * Keras' {@code model_from_config(config)}: {@code {"class_name", "config"}} of a model (Keras
   * 2.3.1's, tf-keras' or Keras 3's form).
   */
  public static Model modelFromConfig(Map<String, Object> config) {
    return ModelSerialization.fromConfig(Configs.toKeras2(config));
  }
}
