"""A Python data source as a Keras team would write it: a generator of batches for a two-input model.

Each batch is ``({'temperature': t, 'vibration': v}, {'failure': y})``: four temperature readings
and three vibration readings per machine, and whether it failed (hotter and shakier machines fail).
"""

import numpy as np


def sensor_batches(batch_size, seed):
    rng = np.random.default_rng(seed)
    while True:
        t = rng.normal(size=(batch_size, 4)).astype("float32")
        v = rng.normal(size=(batch_size, 3)).astype("float32")
        risk = t.mean(axis=1) + 0.8 * v[:, 0] - 0.5 * v[:, 1]
        y = (risk > 0).astype("float32").reshape(-1, 1)
        yield {"temperature": t, "vibration": v}, {"failure": y}
