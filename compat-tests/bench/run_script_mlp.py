"""The ``jkeras run`` speed row's Keras script: MLP 784-128-10 (relu, softmax), Adam,
sparse_categorical_crossentropy with accuracy, batch 32, as a Keras 2 user writes it. It times
itself, after warm-up, so interpreter and JVM start-up are not counted:

- ``train_on_batch``: ``--repeats`` timed blocks of ``--steps`` calls on one fixed batch;
- ``fit``: ``--repeats`` timed calls of ``fit(x, y, batch_size=32, shuffle=False, verbose=0)``,
  one epoch over ``--steps`` batches each (after a warm-up ``fit`` of ``--warmup`` batches).

Prints one JSON line: per way the median block and the best (fastest) block, in milliseconds per
step (``train_on_batch_ms``, ``train_on_batch_best_ms``, ``fit_ms``, ``fit_best_ms``): on a loaded
machine the best block is the least disturbed one; and the CPU time per step over all blocks, of the
whole process (``*_cpu_ms``: every thread, TensorFlow's included) and of the script's thread
(``*_thread_cpu_ms``), which a shared machine disturbs less than the wall clock.
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
ap.add_argument("--repeats", type=int, default=5)
ap.add_argument("--batch-size", type=int, default=32)
args = ap.parse_args()

b = args.batch_size
rng = np.random.RandomState(0)
x = rng.rand(args.steps * b, 784).astype("float32")
y = rng.randint(0, 10, args.steps * b).astype("int32")

model = Sequential([Dense(128, activation="relu", input_shape=(784,)), Dense(10, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])


def blocks(step):
    """ms per step of each of ``--repeats`` timed blocks of ``step()``, which runs ``--steps`` steps: the median
    block, the best, and the process' and this thread's CPU ms per step over all blocks."""
    times = []
    p0, c0 = time.process_time(), time.thread_time()
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        step()
        times.append((time.perf_counter() - t0) * 1000 / args.steps)
    n = args.repeats * args.steps
    cpu, thread_cpu = (time.process_time() - p0) * 1000 / n, (time.thread_time() - c0) * 1000 / n
    return float(np.median(times)), min(times), cpu, thread_cpu


def train_on_batches():
    for _ in range(args.steps):
        model.train_on_batch(xb, yb)


xb, yb = x[:b], y[:b]
for _ in range(args.warmup):
    model.train_on_batch(xb, yb)
tob = blocks(train_on_batches)

warm = min(args.warmup, args.steps) * b
model.fit(x[:warm], y[:warm], batch_size=b, epochs=1, shuffle=False, verbose=0)
fit = blocks(lambda: model.fit(x, y, batch_size=b, epochs=1, shuffle=False, verbose=0))

figures = {}
for way, f in (("train_on_batch", tob), ("fit", fit)):
    figures.update({way + "_ms": f[0], way + "_best_ms": f[1], way + "_cpu_ms": f[2], way + "_thread_cpu_ms": f[3]})
print(json.dumps({k: round(v, 4) for k, v in figures.items()}), flush=True)
