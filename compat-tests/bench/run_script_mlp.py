"""The ``jkeras run`` speed row's Keras script: MLP 784-128-10 (relu, softmax), Adam,
sparse_categorical_crossentropy with accuracy, batch 32, as a Keras 2 user writes it. It times
itself, after warm-up, so interpreter and JVM start-up are not counted:

- ``train_on_batch``: ``--steps`` calls on one fixed batch;
- ``fit``: one epoch of ``fit(x, y, batch_size=32, shuffle=False, verbose=0)`` over ``--steps``
  batches (after a warm-up ``fit`` of ``--warmup`` batches).

Prints one JSON line: ``{"train_on_batch_ms": ..., "fit_ms": ...}`` (milliseconds per step).
``scripts/bench.sh run-script`` runs it under ``jkeras run`` and, with ``keras`` resolving to
tf-keras, under Python (``as_tf_keras.py``); ``jkeras.bench.ScriptTwin`` is the same model driven
from Java.
"""

import argparse
import json
import time

import numpy as np
from keras.layers import Dense
from keras.models import Sequential

ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
ap.add_argument("--steps", type=int, default=500)
ap.add_argument("--warmup", type=int, default=200)
ap.add_argument("--batch-size", type=int, default=32)
args = ap.parse_args()

b = args.batch_size
rng = np.random.RandomState(0)
x = rng.rand(args.steps * b, 784).astype("float32")
y = rng.randint(0, 10, args.steps * b).astype("int32")

model = Sequential([Dense(128, activation="relu", input_shape=(784,)), Dense(10, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])

xb, yb = x[:b], y[:b]
for _ in range(args.warmup):
    model.train_on_batch(xb, yb)
t0 = time.perf_counter()
for _ in range(args.steps):
    model.train_on_batch(xb, yb)
tob = (time.perf_counter() - t0) * 1000 / args.steps

warm = min(args.warmup, args.steps) * b
model.fit(x[:warm], y[:warm], batch_size=b, epochs=1, shuffle=False, verbose=0)
t0 = time.perf_counter()
model.fit(x, y, batch_size=b, epochs=1, shuffle=False, verbose=0)
fit = (time.perf_counter() - t0) * 1000 / args.steps

print(json.dumps({"train_on_batch_ms": round(tob, 4), "fit_ms": round(fit, 4)}), flush=True)
