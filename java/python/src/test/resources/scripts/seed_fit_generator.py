"""The seed article's first example, verbatim (generate_arrays_from_file + fit_generator), with the model it
implies, a callback of the script's own, and `tensorflow.keras` imports; then checks that TensorFlow's Python
runtime never entered the process."""

import os
import sys
import tempfile

import numpy as np
import tensorflow as tf
from tensorflow.keras import callbacks
from tensorflow.keras.layers import Concatenate, Dense, Input


def process_line(line):
    values = [float(v) for v in line.split()]
    return (np.array([values[0:4]]), np.array([values[4:7]]), np.array([[values[7]]]))


def generate_arrays_from_file(path):
    while True:
        with open(path) as f:
            for line in f:
                # create numpy arrays of input data
                # and labels, from each line in the file
                x1, x2, y = process_line(line)
                yield ({'input_1': x1, 'input_2': x2}, {'output': y})


class EpochRecorder(callbacks.Callback):
    def on_train_begin(self, logs=None):
        self.seen = []

    def on_epoch_end(self, epoch, logs=None):
        self.seen.append((epoch, sorted(logs), self.params["epochs"], self.model is model))
        logs["doubled_loss"] = 2 * logs["loss"]


rng = np.random.RandomState(0)
folder = os.path.join(tempfile.mkdtemp(), "my_folder")
with open(folder, "w") as f:
    for _ in range(100):
        v = rng.rand(7)
        f.write(" ".join("%.5f" % t for t in v) + " %.5f\n" % (v[:4].sum() - v[4:].sum()))

input_1 = Input(shape=(4,), name="input_1")
input_2 = Input(shape=(3,), name="input_2")
hidden = Dense(16, activation="relu")(Concatenate()([input_1, input_2]))
output = Dense(1, name="output")(hidden)
model = tf.keras.Model(inputs=[input_1, input_2], outputs=output)
model.compile(optimizer="adam", loss="mse")
recorder = EpochRecorder()
history = model.fit_generator(generate_arrays_from_file(folder), steps_per_epoch=100, epochs=3, callbacks=[recorder])
assert recorder.seen == [(e, ["loss"], 3, True) for e in range(3)], recorder.seen
assert history.history["doubled_loss"] == [2 * v for v in history.history["loss"]], history.history
assert history.history["loss"][-1] < history.history["loss"][0], history.history

# TensorFlow never enters the JVM: `tensorflow` is the shim, and TensorFlow's Python extension is not loaded.
assert getattr(sys.modules["tensorflow"], "__jkeras_shim__", False), sys.modules["tensorflow"]
assert not [m for m in sys.modules if m.startswith(("tensorflow.python", "tf_keras.src", "keras.src"))]
with open("/proc/self/maps") as maps:
    native = [line.split()[-1] for line in maps if "_pywrap_tensorflow" in line or "pywrap_tf" in line]
assert not native, native
print("NO_TENSORFLOW_RUNTIME")
