"""The interop scenarios' starting weights, the same numbers in every Keras (numpy only, so both the
tf-keras/Keras 3 runner and the Keras 2.3.1 one import it)."""

import math

import numpy as np


def seeded_values(weights, seed):
    """Glorot-uniform kernels, small biases, positive variances and gammas, for ``weights`` in order."""
    rng = np.random.default_rng([seed, 11])
    values = []
    for w in weights:
        shape = tuple(int(d) for d in w.shape)
        name = w.name.split("/")[-1].split(":")[0]
        if name in ("moving_variance", "gamma"):
            values.append(rng.uniform(0.5, 1.5, shape).astype(np.float32))
        elif len(shape) >= 2:
            receptive = int(np.prod(shape[:-2])) if len(shape) > 2 else 1
            limit = math.sqrt(6.0 / (receptive * (shape[-2] + shape[-1])))
            values.append(rng.uniform(-limit, limit, shape).astype(np.float32))
        else:
            values.append(rng.uniform(-0.1, 0.1, shape).astype(np.float32))
    return values
