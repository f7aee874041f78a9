package jkeras.python;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link KerasScript}: unmodified Keras scripts run in the JVM through the keras shim. */
@Tag("native")
@Tag("python")
class KerasScriptTest {
  @TempDir Path tmp;

  @Test
  void aSequentialScriptTrainsAndPrintsInOrderWithKerasOutput() {
    ScriptRun r = ScriptRun.of(ScriptRun.script("train_sequential.py"), "--flag", "x");
    assertThat(r.code()).as(r.err()).isZero();
    String out = r.out();
    assertThat(out).contains("argv ['--flag', 'x']");
    // The script's prints and the Java summary and progress lines, in the order they were made.
    int argv = out.indexOf("argv");
    int summary = out.indexOf("Model: \"sequential");
    int params = out.indexOf("Total params: 353");
    int train = out.indexOf("Train on 192 samples, validate on 64 samples");
    int epoch3 = out.indexOf("Epoch 3/5");
    int evaluate = out.indexOf("evaluate ");
    assertThat(new int[] {argv, summary, params, train, epoch3, evaluate}).isSorted();
    assertThat(argv).isNotNegative();
    assertThat(out).containsPattern(" - \\d+s - loss: \\d\\.\\d{4} - accuracy: ");
    assertThat(out).endsWith("DONE\n");
  }

  @Test
  void aSmallCnnInTfKerasStyleTrains() {
    ScriptRun r = ScriptRun.of(ScriptRun.script("small_cnn.py"));
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).endsWith("CNN_TRAINED\n");
  }

  @Test
  void theSeedExampleRunsVerbatimWithAScriptCallbackAndNoTensorFlowRuntime() {
    ScriptRun r = ScriptRun.of(ScriptRun.script("seed_fit_generator.py"));
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("100/100 [==============================]", "NO_TENSORFLOW_RUNTIME");
  }

  @Test
  void aScriptSequenceFeedsWorkerProcessesWithTheSameLossesAsInProcess() {
    ScriptRun r = ScriptRun.of(ScriptRun.script("sequence_workers.py"));
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("SAME_LOSSES");
  }

  @Test
  void thePerStepCallsReuseJavaArraysWithoutCarryingOneCallsBatchIntoTheNext() {
    ScriptRun r = ScriptRun.of(ScriptRun.script("on_batch_slots.py"));
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).endsWith("SAME_AS_GENERAL_PATH\n");
  }

  @Test
  void theNativeFastPathOfThePerStepCallsGivesTheGeneralPathsScoresAndErrors() {
    ScriptRun r = ScriptRun.of(ScriptRun.script("on_batch_native.py"));
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).endsWith("NATIVE_SAME_AS_GENERAL_PATH\n");
  }

  @Test
  void fitEvaluateAndPredictReadArraysInPlaceWithTheCopyingPathsResults() {
    ScriptRun r = ScriptRun.of(ScriptRun.script("fit_in_place.py"));
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).endsWith("FIT_IN_PLACE_SAME\n");
  }

  @Test
  void aKerasNameJkerasLacksStopsTheScriptNamingItsFileAndLine() throws IOException {
    Path script = tmp.resolve("uses_convlstm.py");
    Files.writeString(
        script,
        "import keras\nfrom keras.layers import Dense\nfrom keras.layers import ConvLSTM2D\n");
    ScriptRun r = ScriptRun.of(script);
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err())
        .startsWith("Traceback (most recent call last):\n  File \"" + script + "\", line 3")
        .contains(
            "NotSupportedError: not supported by jkeras yet: keras.layers.ConvLSTM2D ("
                + script
                + ", line 3)")
        .doesNotContain("jkeras/shim/");
  }

  @Test
  void anUnsupportedKeywordValueAndTensorFlowApiFailClearly() throws IOException {
    Path script = tmp.resolve("lambda_activation.py");
    Files.writeString(
        script,
        "from keras.layers import Dense\ntry:\n    Dense(4, activation=lambda x: x)\n"
            + "except NotImplementedError as e:\n    print(e)\n"
            + "import tensorflow as tf\ntf.constant(1)\n");
    ScriptRun r = ScriptRun.of(script);
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out())
        .contains(
            "not supported by jkeras yet: a Python function (<lambda>) as a Keras argument ("
                + script
                + ", line 3)");
    assertThat(r.err())
        .contains("not supported by jkeras yet: tensorflow.constant (" + script + ", line 7)");
  }

  @Test
  void exitCodesAreThoseOfPython() throws IOException {
    Path exits = tmp.resolve("exits.py");
    Files.writeString(exits, "import sys\nprint('before')\nsys.exit(3)\n");
    ScriptRun r = ScriptRun.of(exits);
    assertThat(r.code()).isEqualTo(3);
    assertThat(r.out()).isEqualTo("before\n");

    Path raises = tmp.resolve("raises.py");
    Files.writeString(raises, "def f():\n    raise ValueError('boom')\n\nf()\n");
    r = ScriptRun.of(raises);
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err())
        .isEqualTo(
            "Traceback (most recent call last):\n"
                + "  File \""
                + raises
                + "\", line 4, in <module>\n    f()\n"
                + "  File \""
                + raises
                + "\", line 2, in f\n    raise ValueError('boom')\n"
                + "ValueError: boom\n");

    Path message = tmp.resolve("message.py");
    Files.writeString(message, "raise SystemExit('bad input')\n");
    r = ScriptRun.of(message);
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("bad input\n");
  }

  @Test
  void aWarningRaisedOnAWorkerThreadShowsWhileTheCallRuns() throws IOException {
    // flow's Sequence is read on Java worker threads (workers=1), where standardize warns
    Path script = tmp.resolve("worker_warning.py");
    Files.writeString(
        script,
        "import sys\nimport numpy as np\nfrom keras.models import Sequential\n"
            + "from keras.layers import Dense, Flatten\nfrom keras.callbacks import Callback\n"
            + "from keras.preprocessing.image import ImageDataGenerator\n"
            + "class Mark(Callback):\n"
            + "    def on_epoch_end(self, epoch, logs=None):\n"
            + "        print('EPOCH_END', epoch, file=sys.stderr, flush=True)\n"
            + "x, y = np.random.rand(16, 4, 4, 1), np.random.rand(16, 1)\n"
            + "m = Sequential([Flatten(input_shape=(4, 4, 1)), Dense(1)])\n"
            + "m.compile('sgd', 'mse')\n"
            + "flow = ImageDataGenerator(featurewise_center=True).flow(x, y, batch_size=4)\n"
            + "m.fit_generator(flow, steps_per_epoch=4, epochs=3, verbose=0, callbacks=[Mark()])\n"
            + "print('DONE', file=sys.stderr)\n");
    ScriptRun r = ScriptRun.of(script);
    assertThat(r.code()).as(r.err()).isZero();
    String warning = "UserWarning: This ImageDataGenerator specifies `featurewise_center`, but it";
    assertThat(r.err()).contains(script + ":14: " + warning, "EPOCH_END 2", "DONE");
    // given during the call (at a batch end), not when the run ends
    assertThat(r.err().indexOf(warning)).isLessThan(r.err().indexOf("EPOCH_END 2"));
  }

  @Test
  void kerasWarningsArePythonWarningsAtTheScriptsLineUnderItsFilters() throws IOException {
    Path script = tmp.resolve("legacy.py");
    Files.writeString(
        script,
        "import warnings\nimport numpy as np\nfrom keras.models import Sequential\n"
            + "from keras.layers import Dense\n"
            + "def gen():\n    while True:\n        yield np.ones((4, 3)), np.ones((4, 1))\n"
            + "m = Sequential([Dense(1, input_shape=(3,))])\nm.compile('sgd', 'mse')\n"
            + "for _ in range(2):\n"
            + "    m.fit_generator(gen(), samples_per_epoch=8, nb_epoch=1, verbose=0)\n"
            + "warnings.simplefilter('ignore')\n"
            + "m.fit_generator(gen(), samples_per_epoch=8, nb_epoch=1, verbose=0)\n");
    ScriptRun r = ScriptRun.of(script);
    assertThat(r.code()).as(r.err()).isZero();
    String at = script + ":11: UserWarning: ";
    assertThat(r.err())
        .startsWith(at + "The semantics of the Keras 2 argument `steps_per_epoch`")
        .contains(
            "\n  m.fit_generator(gen(), samples_per_epoch=8, nb_epoch=1, verbose=0)\n",
            // the generator as Keras names it: str(gen) = "<generator object gen at 0x...>", cut at
            // 10
            at
                + "Update your `fit_generator` call to the Keras 2 API: `fit_generator(<generator..., ");
    // once per line, as Python shows a warning; none after the script's filter
    assertThat(r.err().split("UserWarning", -1)).hasSize(3);
  }

  @Test
  void aMissingScriptIsAnArgumentError() {
    assertThatThrownBy(() -> KerasScript.runFile(tmp.resolve("nope.py")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("No such Python script")
        .hasMessageContaining("nope.py");
  }
}
