package jkeras.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jkeras.backend.CallContext;
import jkeras.backend.K;
import jkeras.data.NDArray;
import jkeras.models.Model;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Keras' Lambda layer with Java functions: the four function forms, output shapes (inferred, given,
 * computed), arguments, masks, and configs (Keras' bytecode configs need a registered function).
 */
class LambdaTest {
  static final NDArray X = NDArray.of(new float[] {1, -2, 3, 4}, 2, 2);

  @Nested
  @Tag("native")
  class Functions {
    @Test
    void aFunctionOfOneTensor() {
      assertThat(Run.predict(new Lambda(x -> K.square(x)), X).toFloatArray())
          .containsExactly(1, 4, 9, 16);
    }

    @Test
    void argumentsReachTheFunctionAsKerasKeywordArguments() {
      Lambda cube =
          Lambda.builder((x, args) -> K.pow(x, ((Number) args.get("p")).doubleValue()))
              .arguments(Map.of("p", 3))
              .build();
      assertThat(Run.predict(cube, X).toFloatArray()).containsExactly(1, -8, 27, 64);
      assertThat(cube.arguments()).containsEntry("p", 3);
    }

    @Test
    void aFunctionOfAListOfTensors() {
      Lambda cat =
          Lambda.listBuilder(xs -> K.concatenate(List.of(xs.get(0), K.negative(xs.get(1)))))
              .build();
      NDArray out = Run.predict(cat, List.of(X, X));
      assertThat(out.shape()).containsExactly(2, 4);
      assertThat(out.toFloatArray()).containsExactly(1, -2, -1, 2, 3, 4, -3, -4);
    }

    @Test
    void aListFunctionWithArguments() {
      Lambda w =
          Lambda.listBuilder(
                  (xs, args) -> K.add(xs.get(0), K.multiply(xs.get(1), (Double) args.get("w"))))
              .arguments(Map.of("w", 0.5))
              .build();
      assertThat(Run.predict(w, List.of(X, X)).toFloatArray()).containsExactly(1.5f, -3, 4.5f, 6);
    }

    @Test
    void aFunctionOfOneTensorCalledOnAListExplainsTheListForm() {
      assertThatThrownBy(() -> new Lambda(x -> x).apply(List.of(Input.create(2), Input.create(2))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Lambda.listBuilder(xs -> ...)");
    }
  }

  @Nested
  @Tag("native")
  class OutputShapes {
    @Test
    void isInferredFromTheFunctionAsKerasDoesOnTensorFlow() {
      assertThat(new Lambda(x -> K.sum(x, 1)).apply(Input.create(-1, 3)).shape())
          .containsExactly(-1, 3);
      assertThat(new Lambda(x -> K.expandDims(x, 1)).apply(Input.create(4)).shape())
          .containsExactly(-1, 1, 4);
    }

    @Test
    void aGivenShapeExcludesTheBatchAxis() {
      Lambda l = Lambda.builder(x -> K.reshape(x, -1, 4)).outputShape(4).build();
      assertThat(l.apply(Input.create(2, 2)).shape()).containsExactly(-1, 4);
      assertThat(l.getConfig()).containsEntry("output_shape", List.of(4));
    }

    @Test
    void aShapeFunctionGetsTheInputShape() {
      Lambda l =
          Lambda.builder(x -> K.repeat(x, 3)).outputShape(s -> new long[] {s[0], 3, s[1]}).build();
      assertThat(l.apply(Input.create(5)).shape()).containsExactly(-1, 3, 5);
    }
  }

  @Nested
  @Tag("native")
  class Masks {
    @Test
    void noMaskFunctionDropsTheMaskSilentlyAsKeras() {
      KerasTensor in = Input.create(2, 2);
      KerasTensor out = new Reshape(4).apply(new Lambda(x -> x).apply(new Masking().apply(in)));
      try (Model m = new Model(in, out)) {
        assertThat(m.predictOnBatch(X.reshape(1, 2, 2)).toFloatArray())
            .containsExactly(1, -2, 3, 4);
      }
    }

    @Test
    void theFunctionReadsTheInputMaskFromTheCallContext() {
      NDArray x = NDArray.of(new float[] {0, 0, 1, 1, 2, 2}, 1, 3, 2);
      Lambda mask =
          Lambda.builder(t -> K.castToFloatx(CallContext.current().inputMask(0)))
              .outputShape(s -> new long[] {s[0], s[1]})
              .build();
      NDArray out = Run.predict(ins -> mask.apply(new Masking().apply(ins.get(0))), List.of(x));
      assertThat(out.toFloatArray()).containsExactly(0, 1, 1);
    }

    @Test
    void aMaskFunctionGivesTheOutputMask() {
      NDArray x = NDArray.of(new float[] {0, 0, 1, 1, 2, 2}, 1, 3, 2);
      Lambda keepsMask = Lambda.builder(t -> K.multiply(t, 2)).mask((xs, ms) -> ms.get(0)).build();
      NDArray out =
          Run.predict(
              ins ->
                  new MergeLayersTest.ShowMask()
                      .apply(keepsMask.apply(new Masking().apply(ins.get(0)))),
              List.of(x));
      assertThat(out.toFloatArray()).containsExactly(0, 1, 1);
      assertThat(keepsMask.supportsMasking()).isTrue();
    }
  }

  @Nested
  class Configs {
    /** Keras 2.3.1's to_json() of Lambda(lambda x: K.square(x), name='sq'), bytecode included. */
    Map<String, Object> kerasLambdaConfig(String name) {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("name", name);
      c.put("trainable", true);
      c.put("dtype", "float32");
      c.put(
          "function",
          Arrays.asList(
              "4wEAAAAAAAAAAAAAAAMAAAADAAAA8yoAAACXAHQBAAAAAAAAAAAAAGoBAAAAAAAAAAB8AKYBAACr\n",
              null,
              null));
      c.put("function_type", "lambda");
      c.put("output_shape", null);
      c.put("output_shape_type", "raw");
      c.put("arguments", Map.of());
      return c;
    }

    @Test
    void aKerasLambdaNeedsAJavaFunctionRegisteredUnderItsName() {
      assertThatThrownBy(() -> Layers.deserialize("Lambda", kerasLambdaConfig("sq_unregistered")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "Lambda layer `sq_unregistered` holds a Python lambda (its bytecode, function_type"
                  + " 'lambda'), which jkeras cannot run. Register a Java function for it before"
                  + " deserializing: Layers.registerLambda(\"sq_unregistered\", x -> ...)"
                  + " (Layers.registerListLambda for a Lambda called on a list).");
    }

    @Test
    @Tag("native")
    void aRegisteredFunctionReplacesTheKerasLambda() {
      Layers.registerLambda("sq_registered", x -> K.square(x));
      Layer l = Layers.deserialize("Lambda", kerasLambdaConfig("sq_registered"));
      assertThat(Run.predict(l, X).toFloatArray()).containsExactly(1, 4, 9, 16);
      assertThat(l.getConfig())
          .containsEntry("function", "sq_registered")
          .containsEntry("function_type", "function");
    }

    @Test
    @Tag("native")
    void aJavaLambdaConfigRoundTripsThroughItsFunctionName() {
      Layers.registerLambda(
          "cube_fn", (x, args) -> K.pow(x, ((Number) args.get("p")).doubleValue()));
      Lambda cube =
          Lambda.builder((x, args) -> K.pow(x, ((Number) args.get("p")).doubleValue()))
              .functionName("cube_fn")
              .arguments(Map.of("p", 3))
              .outputShape(2)
              .name("cube")
              .build();
      Map<String, Object> c = cube.getConfig();
      assertThat(List.copyOf(c.keySet()))
          .containsExactly(
              "name",
              "trainable",
              "dtype",
              "function",
              "function_type",
              "output_shape",
              "output_shape_type",
              "arguments");
      Layer again = Layers.deserialize("Lambda", c);
      assertThat(again.getConfig()).isEqualTo(c);
      assertThat(Run.predict(again, X).toFloatArray()).containsExactly(1, -8, 27, 64);
    }

    @Test
    void theFunctionNameDefaultsToTheLayerName() {
      assertThat(Lambda.builder(x -> x).name("my_lambda").build().getConfig())
          .containsEntry("function", "my_lambda");
    }
  }
}
