"""tf-keras train_on_batch step time of the small CNN (28x28x1, Conv2D 32 3x3 relu, MaxPooling2D 2,
Flatten, Dense 10 softmax; batch 64, Adam, sparse_categorical_crossentropy + accuracy): the
counterpart of java/core's jkeras.layers.CnnStepTime, a measurement aid until the benchmark
harness has a CNN row. Usage: .venv/bin/python compat-tests/bench/tfkeras_cnn_step_time.py [steps]
"""

import os
import statistics
import sys
import time

os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import numpy as np
import tf_keras as keras

keras.utils.set_random_seed(1)
m = keras.Sequential(
    [
        keras.Input((28, 28, 1)),
        keras.layers.Conv2D(32, 3, activation="relu"),
        keras.layers.MaxPooling2D(2),
        keras.layers.Flatten(),
        keras.layers.Dense(10, activation="softmax"),
    ]
)
m.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
rng = np.random.default_rng(0)
x = rng.standard_normal((64, 28, 28, 1)).astype("float32")
y = rng.integers(0, 10, 64).astype("int32")
for _ in range(30):
    m.train_on_batch(x, y)
steps = int(sys.argv[1]) if len(sys.argv) > 1 else 200
reps = []
for _ in range(5):
    t = time.perf_counter()
    for _ in range(steps):
        m.train_on_batch(x, y)
    reps.append((time.perf_counter() - t) / steps * 1000)
print(
    "tf-keras ms/step per repetition:",
    " ".join(f"{r:.2f}" for r in reps),
    "median",
    f"{statistics.median(reps):.2f}",
)
