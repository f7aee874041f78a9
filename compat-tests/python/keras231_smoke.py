"""What real Keras 2.3.1 runs in .venv-keras231 with keras231_patches: one line per feature.

Not part of the test command (the compat runner exercises what jkeras has); run it after changing
the patches or the pins, and keep compat-tests/README.md's list in step:

    .venv-keras231/bin/python compat-tests/python/keras231_smoke.py

Exit status 1 when a feature listed as working fails.
"""

import contextlib
import io
import os
import sys
import tempfile

import keras231_patches

with contextlib.redirect_stderr(io.StringIO()):
    import keras
keras231_patches.after_import(keras)

import numpy as np
from keras import callbacks as C
from keras import layers as L
from keras.models import Sequential, load_model, model_from_json
from keras.preprocessing.image import ImageDataGenerator

TMP = tempfile.mkdtemp(prefix="keras231-smoke-")
X = np.random.default_rng(0).standard_normal((64, 8)).astype("float32")
Y = np.random.default_rng(1).standard_normal((64, 1)).astype("float32")


def path(name):
    return os.path.join(TMP, name)


def mlp():
    m = Sequential(
        [L.Dense(8, activation="relu", input_shape=(8,)), L.Dropout(0.5), L.BatchNormalization(), L.Dense(1)]
    )
    m.compile("adam", "mse", metrics=["mae"])
    return m


def compiled(model, loss="mse"):
    model.compile("adam", loss)
    return model


def fit(model, x, y, **kw):
    return model.fit(x, y, verbose=0, **kw).history


class Batches(keras.utils.Sequence):
    def __len__(self):
        return 4

    def __getitem__(self, i):
        return X[i * 16 : (i + 1) * 16], Y[i * 16 : (i + 1) * 16]


def checkpoint_then_load_model():
    fit(
        mlp(),
        X,
        Y,
        epochs=2,
        validation_split=0.25,
        callbacks=[C.ModelCheckpoint(path("best.h5"), save_best_only=True)],
    )
    return fit(load_model(path("best.h5")), X, Y)


def save_and_load_weights():
    m = mlp()
    m.save_weights(path("w.h5"))
    m.load_weights(path("w.h5"))


def predict_then_fit():
    m = mlp()
    m.predict(X)
    return fit(m, X, Y)


def embedding_lstm():
    m = Sequential([L.Embedding(20, 8, input_length=5), L.LSTM(6), L.Dense(1)])
    return fit(compiled(m), np.random.randint(0, 20, (32, 5)), np.random.randn(32, 1))


def bidirectional_gru_masked():
    m = Sequential([L.Embedding(10, 4, mask_zero=True, input_length=6), L.Bidirectional(L.GRU(3)), L.Dense(1)])
    return fit(compiled(m), np.random.randint(0, 9, (16, 6)), np.random.randn(16, 1))


def stateful_lstm():
    m = compiled(Sequential([L.LSTM(3, stateful=True, batch_input_shape=(2, 5, 2)), L.Dense(1)]))
    fit(m, np.random.randn(4, 5, 2), np.random.randn(4, 1), batch_size=2, shuffle=False)
    m.reset_states()


def conv_lstm_2d():
    m = Sequential([L.ConvLSTM2D(2, 3, input_shape=(2, 5, 5, 1)), L.Flatten(), L.Dense(1)])
    return fit(compiled(m), np.random.randn(4, 2, 5, 5, 1), np.random.randn(4, 1))


def cnn():
    m = Sequential(
        [
            L.Conv2D(4, 3, activation="relu", input_shape=(8, 8, 1)),
            L.BatchNormalization(),
            L.MaxPooling2D(),
            L.Flatten(),
            L.Dense(1),
        ]
    )
    return fit(compiled(m), np.random.randn(16, 8, 8, 1), np.random.randn(16, 1))


def callbacks():
    return fit(
        mlp(),
        X,
        Y,
        epochs=3,
        validation_split=0.25,
        callbacks=[
            C.EarlyStopping(patience=5, restore_best_weights=True),
            C.ReduceLROnPlateau(patience=0),
            C.CSVLogger(path("log.csv")),
            C.TerminateOnNaN(),
            C.TensorBoard(path("tb")),
        ],
    )


def learning_rate_scheduler():
    return fit(mlp(), X, Y, epochs=2, callbacks=[C.LearningRateScheduler(lambda e: 0.01 / (e + 1))])


def image_data_generator_processes():
    m = compiled(Sequential([L.Flatten(input_shape=(8, 8, 1)), L.Dense(1)]))
    flow = ImageDataGenerator(rotation_range=10).flow(np.random.rand(32, 8, 8, 1), np.random.rand(32, 1), batch_size=8)
    return m.fit_generator(flow, epochs=1, workers=4, use_multiprocessing=True, verbose=0).history


def sequence_threads_and_processes():
    m = mlp()
    m.fit_generator(Batches(), epochs=1, workers=2, verbose=0)
    return m.fit_generator(Batches(), epochs=1, workers=2, use_multiprocessing=True, verbose=0).history


def lambda_layer_save_load():
    m = compiled(Sequential([L.Lambda(lambda t: t * 2, input_shape=(8,)), L.Dense(1)]))
    m.save(path("lambda.h5"))
    return load_model(path("lambda.h5")).count_params()


def json_yaml_round_trip():
    m = mlp()
    model_from_json(m.to_json())
    return m.to_yaml()[:10]


def application_without_weights():
    return keras.applications.MobileNet(weights=None, input_shape=(32, 32, 3), alpha=0.25).count_params()


WORKING = [
    checkpoint_then_load_model,
    save_and_load_weights,
    predict_then_fit,
    embedding_lstm,
    bidirectional_gru_masked,
    stateful_lstm,
    conv_lstm_2d,
    cnn,
    callbacks,
    learning_rate_scheduler,
    image_data_generator_processes,
    sequence_threads_and_processes,
    lambda_layer_save_load,
    json_yaml_round_trip,
    application_without_weights,
]

# Known not to work here, and why (compat-tests/README.md lists them too).
NOT_WORKING = {
    "plot_model": (
        lambda: keras.utils.plot_model(mlp(), path("m.png")),
        "needs pydot and the graphviz binary, not installed",
    ),
    "multi_gpu_model": (
        lambda: keras.utils.multi_gpu_model(mlp(), gpus=2),
        "calls tf.config.experimental_list_devices, removed in TensorFlow 2.1 (and no GPUs)",
    ),
    "keras.datasets": (
        lambda: keras.datasets.mnist.load_data(path("mnist.npz")),
        "downloads from the internet, which this machine cannot reach (so do pretrained weights)",
    ),
}


def main():
    failed = 0
    for feature in WORKING:
        keras.backend.clear_session()
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                feature()
            print(f"works        {feature.__name__}")
        except Exception as e:  # every failure is reported, the run goes on
            failed += 1
            print(f"FAILS        {feature.__name__}: {type(e).__name__}: {str(e).splitlines()[0][:200]}")
    for name, (feature, why) in NOT_WORKING.items():
        keras.backend.clear_session()
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                feature()
            print(f"works now    {name} (listed as not working: {why})")
        except Exception as e:  # reported likewise
            print(f"not working  {name}: {why} ({type(e).__name__})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
