package jkeras.legacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import jkeras.callbacks.Callback;
import jkeras.callbacks.History;
import jkeras.data.Batch;
import jkeras.data.NDArray;
import jkeras.internal.Warnings;
import jkeras.testing.Endless;
import jkeras.testing.Sequences;
import jkeras.trainers.EvaluateOptions;
import jkeras.trainers.FitOptions;
import jkeras.trainers.PredictOptions;
import jkeras.utils.BatchSized;
import jkeras.utils.Sequence;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The expected warning and error texts were produced by running Keras 2.3.1's own {@code
 * legacy_generator_methods_support} decorator (keras/legacy/interfaces.py at tag 2.3.1) around stub
 * methods with Keras 2.3.1's signatures, under CPython 3.11, with generator stand-ins whose {@code
 * str()} is the same as the Java stand-ins' {@code toString()}. CPython 3.11 prefixes the class
 * name to the function in binding errors ("M.fit_generator()"); the Keras-era CPython did not.
 */
class GeneratorMethodsTest {

  static final String SEMANTICS =
      "The semantics of the Keras 2 argument `steps_per_epoch` is not the same as the Keras 1 argument"
          + " `samples_per_epoch`. `steps_per_epoch` is the number of batches to draw from the generator at"
          + " each epoch. Basically steps_per_epoch = samples_per_epoch/batch_size. Similarly"
          + " `nb_val_samples`->`validation_steps` and `val_samples`->`steps` arguments have changed. Update"
          + " your method calls accordingly.";

  /** A generator stand-in: Python's str() of a generator object, without the address. */
  static class Gen extends Endless<Batch> {
    private final String name;

    Gen(String name) {
      super(i -> Batch.of(NDArray.of(new float[] {1, 2}, 1, 2), NDArray.of(new float[] {0}, 1, 1)));
      this.name = name;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** Keras' iterators with a {@code batch_size} attribute. */
  static final class BatchedGen extends Gen implements BatchSized {
    private final int batchSize;

    BatchedGen(int batchSize) {
      super("<batched iterator>");
      this.batchSize = batchSize;
    }

    @Override
    public int batchSize() {
      return batchSize;
    }
  }

  /** {@code size} batches of one sample: x is the index, y is 0. */
  static Sequence seq(int size) {
    return Sequences.of(
        size,
        index ->
            Batch.of(NDArray.of(new float[] {index}, 1, 1), NDArray.of(new float[] {0}, 1, 1)));
  }

  static final Gen TRAIN = new Gen("<generator object train_generator>");
  static final Gen VAL = new Gen("<generator object val_generator>");

  /** Keyword arguments in call order, as Python 3.7+ keeps them. */
  static Map<String, Object> kw(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
    return m;
  }

  /** What a call did: its warnings in order, then its result or its error message. */
  record Outcome<T>(List<String> warnings, T result, String error) {}

  static <T> Outcome<T> run(Supplier<T> call) {
    List<String> warnings = new ArrayList<>();
    try (AutoCloseable ignored = Warnings.listen(warnings::add)) {
      try {
        return new Outcome<>(warnings, call.get(), null);
      } catch (IllegalArgumentException e) {
        return new Outcome<>(warnings, null, e.getMessage());
      }
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static Outcome<GeneratorMethods.FitCall> fit(List<?> args, Map<String, ?> kwargs) {
    return run(() -> GeneratorMethods.fitGenerator(args, kwargs));
  }

  static String update(String method, String call) {
    return "Update your `" + method + "` call to the Keras 2 API: `" + method + "(" + call + ")`";
  }

  @Nested
  class KerasInterfaceTest {
    // Keras' tests/keras/legacy/interface_test.py test_generator_methods_interface.

    /** The Keras 1 keywords of interface_test's evaluate_generator and predict_generator calls. */
    static Map<String, Object> legacyInferenceKwargs(Object generator) {
      return kw(
          "generator",
          generator,
          "val_samples",
          2,
          "nb_worker",
          1,
          "pickle_safe",
          false,
          "max_q_size",
          3);
    }

    /** Those calls as the Keras 2 update warning shows them. */
    static final String LEGACY_INFERENCE_CALL =
        "generator=<generator..., steps=2, workers=1, use_multiprocessing=False, max_queue_size=3";

    @Test
    void fitGeneratorConvertsEveryLegacyName() {
      var o =
          fit(
              List.of(),
              kw(
                  "generator",
                  TRAIN,
                  "samples_per_epoch",
                  1,
                  "validation_data",
                  VAL,
                  "nb_val_samples",
                  1,
                  "nb_worker",
                  1,
                  "pickle_safe",
                  true,
                  "max_q_size",
                  3));
      assertThat(o.error()).isNull();
      assertThat(o.warnings())
          .containsExactly(
              SEMANTICS,
              update(
                  "fit_generator",
                  "generator=<generator..., validation_data=<generator..., steps_per_epoch=1, validation_steps=1,"
                      + " workers=1, use_multiprocessing=True, max_queue_size=3"));
      FitOptions opt = o.result().options();
      assertThat(o.result().generator()).isSameAs(TRAIN);
      assertThat(opt.stepsPerEpoch()).isEqualTo(1);
      assertThat(opt.validationGenerator()).isSameAs(VAL);
      assertThat(opt.validationSteps()).isEqualTo(1);
      assertThat(opt.workers()).isEqualTo(1);
      assertThat(opt.useMultiprocessing()).isTrue();
      assertThat(opt.maxQueueSize()).isEqualTo(3);
      assertThat(opt.epochs()).isEqualTo(1);
    }

    @Test
    void evaluateGeneratorConvertsItsLegacyNames() {
      var o =
          run(() -> GeneratorMethods.evaluateGenerator(List.of(), legacyInferenceKwargs(TRAIN)));
      assertThat(o.warnings())
          .containsExactly(SEMANTICS, update("evaluate_generator", LEGACY_INFERENCE_CALL));
      EvaluateOptions opt = o.result().options();
      assertThat(opt.steps()).isEqualTo(2);
      assertThat(opt.workers()).isEqualTo(1);
      assertThat(opt.useMultiprocessing()).isFalse();
      assertThat(opt.maxQueueSize()).isEqualTo(3);
      assertThat(opt.verbose()).isZero();
    }

    @Test
    void predictGeneratorConvertsItsLegacyNames() {
      Gen pred = new Gen("<generator object pred_generator>");
      var o = run(() -> GeneratorMethods.predictGenerator(List.of(), legacyInferenceKwargs(pred)));
      assertThat(o.warnings())
          .containsExactly(SEMANTICS, update("predict_generator", LEGACY_INFERENCE_CALL));
      PredictOptions opt = o.result().options();
      assertThat(o.result().generator()).isSameAs(pred);
      assertThat(opt.steps()).isEqualTo(2);
      assertThat(opt.maxQueueSize()).isEqualTo(3);
      assertThat(opt.verbose()).isZero();
    }
  }

  @Nested
  class SamplesPerEpoch {
    @Test
    void isDividedByTheBatchSizeOfABatchSizedGenerator() {
      var o = fit(List.of(new BatchedGen(32)), kw("samples_per_epoch", 100));
      assertThat(o.warnings())
          .containsExactly(update("fit_generator", "<batched i..., steps_per_epoch=3"));
      assertThat(o.result().options().stepsPerEpoch()).isEqualTo(100 / 32);
    }

    @Test
    void isUsedUnchangedOtherwiseAndAloneDoesNotWarnAboutSemantics() {
      var o = fit(List.of(TRAIN), kw("samples_per_epoch", 100));
      assertThat(o.warnings())
          .containsExactly(update("fit_generator", "<generator..., steps_per_epoch=100"));
      assertThat(o.result().options().stepsPerEpoch()).isEqualTo(100);
    }

    @Test
    void floorDividesAFloatToAWholeFloat() {
      var o = fit(List.of(new BatchedGen(32)), kw("samples_per_epoch", 100.0));
      assertThat(o.warnings())
          .containsExactly(update("fit_generator", "<batched i..., steps_per_epoch=3.0"));
      assertThat(o.result().options().stepsPerEpoch()).isEqualTo(3);
    }

    @Test
    void silentlyReplacesAStepsPerEpochKeywordInItsPlace() {
      var o =
          fit(
              List.of(),
              kw(
                  "generator",
                  new BatchedGen(32),
                  "steps_per_epoch",
                  5,
                  "samples_per_epoch",
                  64,
                  "epochs",
                  2));
      assertThat(o.warnings())
          .containsExactly(
              update("fit_generator", "generator=<batched i..., steps_per_epoch=2, epochs=2"));
      assertThat(o.result().options().stepsPerEpoch()).isEqualTo(2);
      assertThat(o.result().options().epochs()).isEqualTo(2);
    }

    @Test
    void withPositionalStepsIsRenamedAndCollidesWithThem() {
      var o = fit(List.of(TRAIN, 5), kw("samples_per_epoch", 10));
      assertThat(o.warnings())
          .containsExactly(
              SEMANTICS, update("fit_generator", "<generator..., 5, steps_per_epoch=10"));
      assertThat(o.error())
          .isEqualTo("fit_generator() got multiple values for argument 'steps_per_epoch'");
    }

    @Test
    void belongsToFitOnly() {
      var o =
          run(() -> GeneratorMethods.evaluateGenerator(List.of(TRAIN), kw("samples_per_epoch", 2)));
      assertThat(o.warnings())
          .containsExactly(update("evaluate_generator", "<generator..., steps_per_epoch=2"));
      assertThat(o.error())
          .isEqualTo("evaluate_generator() got an unexpected keyword argument 'steps_per_epoch'");
    }

    @Test
    void zeroBatchSizeIsAnError() {
      assertThatThrownBy(
              () ->
                  GeneratorMethods.fitGenerator(
                      List.of(new BatchedGen(0)), kw("samples_per_epoch", 10)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("division or modulo by zero");
    }
  }

  @Nested
  class Renames {
    @Test
    void nbEpochBecomesEpochs() {
      var o = fit(List.of(TRAIN, 10), kw("nb_epoch", 3));
      assertThat(o.warnings())
          .containsExactly(SEMANTICS, update("fit_generator", "<generator..., 10, epochs=3"));
      assertThat(o.result().options().epochs()).isEqualTo(3);
      assertThat(o.result().options().stepsPerEpoch()).isEqualTo(10);
    }

    @Test
    void nbValSamplesIsNotDividedByABatchSize() {
      var o = fit(List.of(new BatchedGen(32), 1), kw("validation_data", VAL, "nb_val_samples", 64));
      assertThat(o.result().options().validationSteps()).isEqualTo(64);
    }

    @Test
    void pickleSafeAloneDoesNotWarnAboutSemantics() {
      var o = run(() -> GeneratorMethods.predictGenerator(List.of(TRAIN), kw("pickle_safe", true)));
      assertThat(o.warnings())
          .containsExactly(update("predict_generator", "<generator..., use_multiprocessing=True"));
      assertThat(o.result().options().useMultiprocessing()).isTrue();
    }

    @Test
    void valSamplesBelongsToEvaluateAndPredict() {
      var o = fit(List.of(TRAIN), kw("val_samples", 2));
      assertThat(o.warnings())
          .containsExactly(SEMANTICS, update("fit_generator", "<generator..., steps=2"));
      assertThat(o.error()).isEqualTo("fit_generator() got an unexpected keyword argument 'steps'");
    }

    @Test
    void keras2CallsDoNotWarn() {
      var o = fit(List.of(TRAIN), kw("epochs", 2));
      assertThat(o.warnings()).isEmpty();
      assertThat(o.result().options().epochs()).isEqualTo(2);
    }

    @Test
    void legacyAndNewNameTogetherIsKerasTypeError() {
      String[][] cases = {
        {"fit", "nb_epoch", "epochs"},
        {"fit", "nb_val_samples", "validation_steps"},
        {"fit", "pickle_safe", "use_multiprocessing"},
        {"evaluate", "nb_worker", "workers"},
        {"evaluate", "val_samples", "steps"},
        {"predict", "max_q_size", "max_queue_size"},
      };
      for (String[] c : cases) {
        Object legacyValue = c[1].equals("pickle_safe") ? (Object) true : (Object) 3;
        Object newValue = c[2].equals("use_multiprocessing") ? (Object) false : (Object) 2;
        Map<String, Object> kwargs = kw(c[1], legacyValue, c[2], newValue);
        Supplier<Object> call =
            switch (c[0]) {
              case "fit" -> () -> GeneratorMethods.fitGenerator(List.of(TRAIN, 1), kwargs);
              case "evaluate" -> () -> GeneratorMethods.evaluateGenerator(List.of(TRAIN), kwargs);
              default -> () -> GeneratorMethods.predictGenerator(List.of(TRAIN), kwargs);
            };
        var o = run(call);
        assertThat(o.error())
            .as(c[1])
            .isEqualTo(
                "For the `"
                    + c[2]
                    + "` argument, the layer received both the legacy"
                    + " keyword argument `"
                    + c[1]
                    + "` and the Keras 2 keyword argument `"
                    + c[2]
                    + "`. Stick to the latter!");
        boolean semantic =
            List.of("nb_epoch", "nb_val_samples", "nb_worker", "val_samples").contains(c[1]);
        assertThat(o.warnings()).as(c[1]).isEqualTo(semantic ? List.of(SEMANTICS) : List.of());
      }
    }
  }

  @Nested
  class WarningText {
    @Test
    void showsAShortValueWhole() {
      var p = fit(List.of(TRAIN), kw("nb_epoch", 2, "class_weight", Map.of(0, 1.0)));
      assertThat(p.warnings().get(1))
          .isEqualTo(update("fit_generator", "<generator..., class_weight={0: 1.0}, epochs=2"));
      var q = fit(List.of(TRAIN), kw("nb_epoch", 2, "class_weight", Map.of("0", 1.0)));
      assertThat(q.warnings().get(1))
          .isEqualTo(update("fit_generator", "<generator..., class_weight={'0': 1.0}, epochs=2"));
    }

    @Test
    void classWeightDictMatchesPython() {
      Map<Integer, Double> cw = new LinkedHashMap<>();
      cw.put(0, 1.0);
      cw.put(1, 2.5);
      var o =
          fit(
              List.of(TRAIN),
              kw("nb_epoch", 2, "verbose", "loud", "class_weight", cw, "validation_data", VAL));
      assertThat(o.warnings())
          .containsExactly(
              SEMANTICS,
              update(
                  "fit_generator",
                  "<generator..., verbose=\"loud\", class_weight={0: 1.0, 1..., validation_data=<generator..., epochs=2"));
      assertThat(o.error())
          .isEqualTo(
              "Expected `verbose` to be an integer. Received: verbose='loud' (java.lang.String)");
    }

    @Test
    void showsAPositionalArrayAsArray() {
      var o = fit(List.of(NDArray.of(new float[] {1, 2})), kw("nb_epoch", 2));
      assertThat(o.warnings())
          .containsExactly(SEMANTICS, update("fit_generator", "array, epochs=2"));
      // Any object may be a generator here: the data adapters decide at fit time what they take.
      assertThat(o.error()).isNull();
    }

    @Test
    void neverCutsAString() {
      var o = fit(List.of(TRAIN), kw("max_q_size", "a very long string value"));
      assertThat(o.warnings())
          .containsExactly(
              update(
                  "fit_generator", "<generator..., max_queue_size=\"a very long string value\""));
    }

    @Test
    void formatsFloatsNoneListsAndTuplesAsPython() {
      var o =
          fit(
              List.of(TRAIN),
              kw("max_q_size", 2.5, "nb_epoch", 1e-05, "nb_worker", 1e16, "nb_val_samples", null));
      assertThat(o.warnings())
          .containsExactly(
              SEMANTICS,
              update(
                  "fit_generator",
                  "<generator..., epochs=1e-05, validation_steps=None, workers=1e+16, max_queue_size=2.5"));
      var l = fit(List.of(TRAIN), kw("nb_epoch", Arrays.asList(1, "a", null, true)));
      assertThat(l.warnings().get(1))
          .isEqualTo(update("fit_generator", "<generator..., epochs=[1, 'a', N..."));
      var t = fit(List.of(TRAIN), kw("nb_epoch", new Object[] {1}));
      assertThat(t.warnings().get(1))
          .isEqualTo(update("fit_generator", "<generator..., epochs=(1,)"));
    }

    @Test
    void pythonFloatRepr() {
      assertThat(jkeras.internal.PyRepr.pyFloat(0.1)).isEqualTo("0.1");
      assertThat(jkeras.internal.PyRepr.pyFloat(3.0)).isEqualTo("3.0");
      assertThat(jkeras.internal.PyRepr.pyFloat(1e-4)).isEqualTo("0.0001");
      assertThat(jkeras.internal.PyRepr.pyFloat(1.5e-5)).isEqualTo("1.5e-05");
      assertThat(jkeras.internal.PyRepr.pyFloat(1e15)).isEqualTo("1000000000000000.0");
      assertThat(jkeras.internal.PyRepr.pyFloat(-2.5e20)).isEqualTo("-2.5e+20");
      assertThat(jkeras.internal.PyRepr.pyFloat(1e100)).isEqualTo("1e+100");
      assertThat(jkeras.internal.PyRepr.pyFloat(12345678.0)).isEqualTo("12345678.0");
    }
  }

  @Nested
  class Binding {
    @Test
    void moreThanThreePositionalArgumentsIsKerasTypeError() {
      var o = fit(List.of(TRAIN, 1, 2, 3), kw());
      assertThat(o.warnings()).isEmpty();
      assertThat(o.error())
          .isEqualTo(
              "`fit_generator` can accept only 3 positional arguments ('generator',"
                  + " 'steps_per_epoch', 'epochs'), but you passed the following positional arguments:"
                  + " [<generator object train_generator>, 1, 2, 3]");
    }

    @Test
    void positionalLimitNamesFitsArgumentsForEvaluateToo() {
      var o =
          run(
              () ->
                  GeneratorMethods.evaluateGenerator(
                      Arrays.asList(TRAIN, "a", 2.5, null), kw("nb_worker", 2)));
      assertThat(o.warnings()).containsExactly(SEMANTICS);
      assertThat(o.error())
          .isEqualTo(
              "`evaluate_generator` can accept only 3 positional arguments ('generator',"
                  + " 'steps_per_epoch', 'epochs'), but you passed the following positional arguments:"
                  + " [<generator object train_generator>, 'a', 2.5, None]");
    }

    @Test
    void evaluatePositionalArgumentsAreGeneratorStepsCallbacks() {
      History h = new History();
      var o =
          run(
              () ->
                  GeneratorMethods.evaluateGenerator(
                      Arrays.asList(TRAIN, 4, null), kw("nb_worker", 2)));
      assertThat(o.warnings())
          .containsExactly(
              SEMANTICS, update("evaluate_generator", "<generator..., 4, None, workers=2"));
      assertThat(o.result().options().steps()).isEqualTo(4);
      assertThat(o.result().options().workers()).isEqualTo(2);
      var p = GeneratorMethods.predictGenerator(List.of(TRAIN, 4, List.of(h)), kw());
      assertThat(p.options().callbacks()).containsExactly(h);
    }

    @Test
    void unknownKeywordIsPythonTypeError() {
      var o = fit(List.of(TRAIN), kw("foo", 1));
      assertThat(o.error()).isEqualTo("fit_generator() got an unexpected keyword argument 'foo'");
      var p = fit(List.of(TRAIN), kw("nb_epoch", 2, "foo", 1));
      assertThat(p.warnings())
          .containsExactly(SEMANTICS, update("fit_generator", "<generator..., foo=1, epochs=2"));
      assertThat(p.error()).isEqualTo("fit_generator() got an unexpected keyword argument 'foo'");
      assertThatThrownBy(
              () -> GeneratorMethods.predictGenerator(List.of(TRAIN), kw("validation_data", VAL)))
          .hasMessage("predict_generator() got an unexpected keyword argument 'validation_data'");
    }

    @Test
    void keywordRepeatingAPositionalIsPythonTypeError() {
      var o = fit(List.of(TRAIN, 1, 2), kw("generator", TRAIN));
      assertThat(o.error())
          .isEqualTo("fit_generator() got multiple values for argument 'generator'");
    }

    @Test
    void missingGeneratorIsPythonTypeError() {
      var o = fit(List.of(), kw("steps_per_epoch", 1, "nb_epoch", 2));
      assertThat(o.warnings())
          .containsExactly(SEMANTICS, update("fit_generator", "steps_per_epoch=1, epochs=2"));
      assertThat(o.error())
          .isEqualTo("fit_generator() missing 1 required positional argument: 'generator'");
      assertThatThrownBy(() -> GeneratorMethods.evaluateGenerator(null, null))
          .hasMessage("evaluate_generator() missing 1 required positional argument: 'generator'");
    }
  }

  @Nested
  class Values {
    @Test
    void defaultsAreKeras231s() {
      FitOptions f = GeneratorMethods.fitGenerator(List.of(TRAIN), null).options();
      assertThat(f.stepsPerEpoch()).isNull();
      assertThat(f.epochs()).isEqualTo(1);
      assertThat(f.verbose()).isEqualTo(1);
      assertThat(f.callbacks()).isEmpty();
      assertThat(f.hasValidationData()).isFalse();
      assertThat(f.validationSteps()).isNull();
      assertThat(f.validationFreq()).isEqualTo(1);
      assertThat(f.classWeight()).isNull();
      assertThat(f.maxQueueSize()).isEqualTo(10);
      assertThat(f.workers()).isEqualTo(1);
      assertThat(f.useMultiprocessing()).isFalse();
      assertThat(f.shuffle()).isTrue();
      assertThat(f.initialEpoch()).isZero();
      assertThat(f.batchSize()).isNull();
      EvaluateOptions e = GeneratorMethods.evaluateGenerator(List.of(TRAIN), Map.of()).options();
      assertThat(e.verbose()).isZero();
      assertThat(e.steps()).isNull();
      assertThat(e.maxQueueSize()).isEqualTo(10);
      assertThat(e.workers()).isEqualTo(1);
      PredictOptions p = GeneratorMethods.predictGenerator(List.of(seq(3)), Map.of()).options();
      assertThat(p.verbose()).isZero();
      assertThat(p.steps()).isNull();
    }

    @Test
    void mapsEveryFitKeyword() {
      History h = new History();
      Sequence seq = seq(4);
      var call =
          GeneratorMethods.fitGenerator(
              List.of(),
              kw(
                  "generator",
                  seq,
                  "steps_per_epoch",
                  7L,
                  "epochs",
                  3.0,
                  "verbose",
                  2,
                  "callbacks",
                  List.of(h),
                  "validation_data",
                  TRAIN,
                  "validation_steps",
                  2,
                  "validation_freq",
                  List.of(1, 3),
                  "class_weight",
                  kw("0", 1, "1", 2.5),
                  "max_queue_size",
                  4,
                  "workers",
                  0,
                  "use_multiprocessing",
                  true,
                  "shuffle",
                  false,
                  "initial_epoch",
                  1));
      FitOptions f = call.options();
      assertThat(call.generator()).isSameAs(seq);
      assertThat(f.stepsPerEpoch()).isEqualTo(7);
      assertThat(f.epochs()).isEqualTo(3);
      assertThat(f.verbose()).isEqualTo(2);
      assertThat(f.callbacks()).containsExactly(h);
      assertThat(f.validationGenerator()).isSameAs(TRAIN);
      assertThat(f.validationSteps()).isEqualTo(2);
      assertThat(f.validationFreq()).isEqualTo(List.of(1, 3));
      assertThat(f.shouldValidate(0)).isTrue();
      assertThat(f.shouldValidate(1)).isFalse();
      assertThat(f.classWeight()).containsExactly(Map.entry(0, 1.0), Map.entry(1, 2.5));
      assertThat(f.maxQueueSize()).isEqualTo(4);
      assertThat(f.workers()).isZero();
      assertThat(f.useMultiprocessing()).isTrue();
      assertThat(f.shuffle()).isFalse();
      assertThat(f.initialEpoch()).isEqualTo(1);
    }

    @Test
    void mapsEveryEvaluateAndPredictKeyword() {
      History h = new History();
      Map<String, Object> kwargs =
          kw(
              "steps",
              5,
              "callbacks",
              List.of(h),
              "max_queue_size",
              2,
              "workers",
              3,
              "use_multiprocessing",
              true,
              "verbose",
              true);
      EvaluateOptions e = GeneratorMethods.evaluateGenerator(List.of(TRAIN), kwargs).options();
      PredictOptions p = GeneratorMethods.predictGenerator(List.of(TRAIN), kwargs).options();
      assertThat(List.of(e.steps(), e.maxQueueSize(), e.workers(), e.verbose()))
          .containsExactly(5, 2, 3, 1);
      assertThat(List.of(p.steps(), p.maxQueueSize(), p.workers(), p.verbose()))
          .containsExactly(5, 2, 3, 1);
      assertThat(e.callbacks()).containsExactly(h);
      assertThat(p.callbacks()).containsExactly(h);
      assertThat(e.useMultiprocessing()).isTrue();
      assertThat(p.useMultiprocessing()).isTrue();
    }

    @Test
    void validationFreqAsAnInt() {
      FitOptions f =
          GeneratorMethods.fitGenerator(List.of(TRAIN), kw("validation_freq", 2L)).options();
      assertThat(f.validationFreq()).isEqualTo(2);
      assertThat(f.shouldValidate(0)).isFalse();
      assertThat(f.shouldValidate(1)).isTrue();
      assertThatThrownBy(
              () -> GeneratorMethods.fitGenerator(List.of(TRAIN), kw("validation_freq", 0)))
          .hasMessage("`validation_freq` can not be less than 1.");
      assertThatThrownBy(
              () -> GeneratorMethods.fitGenerator(List.of(TRAIN), kw("validation_freq", "2")))
          .hasMessage(
              "`validation_freq` must be an Integer or `collections.Container` (e.g. list, tuple, etc.)");
      assertThatThrownBy(
              () -> GeneratorMethods.fitGenerator(List.of(TRAIN), kw("validation_freq", 1.5)))
          .hasMessage(
              "`validation_freq` must be an Integer or `collections.Container` (e.g. list, tuple, etc.)");
    }

    @Test
    void nonIntegralNumberForAnIntIsAnErrorNamingIt() {
      assertThatThrownBy(() -> GeneratorMethods.fitGenerator(List.of(TRAIN), kw("epochs", 2.5)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "Expected `epochs` to be an integer. Received: epochs=2.5 (java.lang.Double)");
      assertThatThrownBy(() -> GeneratorMethods.evaluateGenerator(List.of(TRAIN, 1.5), kw()))
          .hasMessage("Expected `steps` to be an integer. Received: steps=1.5 (java.lang.Double)");
      assertThatThrownBy(
              () -> GeneratorMethods.fitGenerator(List.of(TRAIN), kw("workers", 3_000_000_000L)))
          .hasMessageStartingWith("Expected `workers` to be an integer.");
      assertThatThrownBy(
              () -> GeneratorMethods.fitGenerator(List.of(TRAIN), kw("initial_epoch", true)))
          .hasMessage(
              "Expected `initial_epoch` to be an integer. Received: initial_epoch=True (java.lang.Boolean)");
      assertThatThrownBy(() -> GeneratorMethods.fitGenerator(List.of(TRAIN), kw("epochs", null)))
          .hasMessage("Expected `epochs` to be an integer. Received: epochs=None (NoneType)");
    }

    @Test
    void otherTypeErrorsNameTheArgumentAndWhatWasReceived() {
      assertThatThrownBy(() -> GeneratorMethods.fitGenerator(List.of(TRAIN), kw("shuffle", 1)))
          .hasMessage(
              "Expected `shuffle` to be a boolean. Received: shuffle=1 (java.lang.Integer)");
      assertThatThrownBy(
              () -> GeneratorMethods.fitGenerator(List.of(TRAIN), kw("callbacks", List.of("x"))))
          .hasMessage(
              "Expected `callbacks` to be a list of jkeras.callbacks.Callback. Received: callbacks=['x']"
                  + " (java.util.ImmutableCollections$List12)");
      assertThatThrownBy(
              () -> GeneratorMethods.fitGenerator(List.of(TRAIN), kw("class_weight", List.of(1.0))))
          .hasMessageStartingWith("Expected `class_weight` to be a dict from class index");
      assertThatThrownBy(
              () -> GeneratorMethods.fitGenerator(List.of(TRAIN), kw("class_weight", kw("a", 1.0))))
          .hasMessageStartingWith("Expected `class_weight` to be a dict from class index")
          .hasMessageContaining("class_weight={'a': 1.0}");
      assertThatThrownBy(
              () ->
                  GeneratorMethods.fitGenerator(
                      List.of(new BatchedGen(2)), kw("samples_per_epoch", "x")))
          .hasMessageStartingWith("Expected `samples_per_epoch` to be a number.");
    }

    @Test
    void optionBuilderChecksStillApply() {
      assertThatThrownBy(() -> GeneratorMethods.fitGenerator(List.of(TRAIN), kw("epochs", -1)))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Nested
  class ValidationData {
    final NDArray x = NDArray.of(new float[] {1, 2, 3, 4}, 2, 2);
    final NDArray y = NDArray.of(new float[] {0, 1}, 2, 1);
    final NDArray sw = NDArray.of(new float[] {1, 0.5f}, 2);

    FitOptions fitWith(Object validationData) {
      return GeneratorMethods.fitGenerator(List.of(TRAIN), kw("validation_data", validationData))
          .options();
    }

    @Test
    void aPairOrATripleOfArrays() {
      FitOptions pair = fitWith(List.of(x, y));
      assertThat(pair.validationX()).isSameAs(x);
      assertThat(pair.validationY()).isSameAs(y);
      assertThat(pair.validationSampleWeight()).isNull();
      FitOptions triple = fitWith(new Object[] {x, y, sw});
      assertThat(triple.validationSampleWeight()).isSameAs(sw);
      FitOptions noWeights = fitWith(new Object[] {x, y, null});
      assertThat(noWeights.validationSampleWeight()).isNull();
      assertThat(fitWith(Batch.of(x, y)).validationY()).isSameAs(y);
    }

    @Test
    void listsAndMapsOfArrays() {
      FitOptions f = fitWith(List.of(List.of(x, x), Map.of("out", y)));
      assertThat(f.validationX()).isInstanceOf(jkeras.data.ArrayData.ListData.class);
      assertThat(((jkeras.data.ArrayData.ListData) f.validationX()).arrays()).containsExactly(x, x);
      assertThat(((jkeras.data.ArrayData.MapData) f.validationY()).arrays())
          .containsExactly(Map.entry("out", y));
    }

    @Test
    void aSequenceOrAnIterator() {
      Sequence seq = seq(2);
      assertThat(fitWith(seq).validationGenerator()).isSameAs(seq);
      assertThat(fitWith(VAL).validationGenerator()).isSameAs(VAL);
    }

    @Test
    void falsyValuesMeanNoValidationAsInPython() {
      assertThat(fitWith(List.of()).hasValidationData()).isFalse();
      assertThat(fitWith(new Object[0]).hasValidationData()).isFalse();
      assertThat(fitWith(seq(0)).hasValidationData()).isFalse();
      assertThat(fitWith(null).hasValidationData()).isFalse();
    }

    @Test
    void anyOtherShapeIsKerasValueError() {
      assertThatThrownBy(() -> fitWith(List.of(x)))
          .hasMessage(
              "`validation_data` should be a tuple `(val_x, val_y, val_sample_weight)` or `(val_x, val_y)`."
                  + " Found: [array(shape=[2, 2], dtype=float32, [1.00000, 2.00000, 3.00000, 4.00000])]");
      assertThatThrownBy(() -> fitWith(List.of(x, y, sw, sw)))
          .hasMessageStartingWith(
              "`validation_data` should be a tuple `(val_x, val_y, val_sample_weight)`");
      assertThatThrownBy(() -> fitWith(5))
          .hasMessage(
              "`validation_data` should be a tuple `(val_x, val_y, val_sample_weight)` or `(val_x, val_y)`."
                  + " Found: 5");
      assertThatThrownBy(() -> fitWith(Arrays.asList(x, null)))
          .hasMessageStartingWith("`validation_data` should be a tuple");
    }

    @Test
    void elementsOfTheWrongTypeAreATypeError() {
      assertThatThrownBy(() -> fitWith(List.of("a", y)))
          .hasMessageStartingWith(
              "Expected `validation_data` to be a tuple (val_x, val_y[, val_sample_weight])")
          .hasMessageContaining("Received: validation_data=['a', array(shape=[2, 1]");
      assertThatThrownBy(() -> fitWith(List.of(x, y, List.of(sw))))
          .hasMessageContaining("per-output weights are not supported");
    }
  }

  @Test
  void callbacksMayBeAnyCallbackSubclass() {
    Callback c = new Callback() {};
    var f = GeneratorMethods.fitGenerator(List.of(TRAIN), kw("callbacks", List.of(c))).options();
    assertThat(f.callbacks()).containsExactly(c);
  }
}
