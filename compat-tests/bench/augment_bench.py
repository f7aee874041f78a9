"""keras_preprocessing 1.1.2's augmentation throughput (run in .venv-keras231 by `bench.sh augment`).

Usage: python augment_bench.py IMAGES SIZE. Prints one JSON line: for each setting, images/s of one
epoch of ImageDataGenerator.flow(batch_size=32) computed by one process and by two (fork, each
computing every other batch), after a warm-up batch.
"""

import json
import multiprocessing as mp
import sys
import time

import numpy as np
from keras_preprocessing.image import ImageDataGenerator

SETTINGS = {
    "cifar10_cnn": {"width_shift_range": 0.1, "height_shift_range": 0.1, "horizontal_flip": True},
    "full": {
        "rotation_range": 20,
        "width_shift_range": 0.1,
        "height_shift_range": 0.1,
        "shear_range": 10,
        "zoom_range": 0.2,
        "horizontal_flip": True,
    },
}


def flow(setting, x):
    return ImageDataGenerator(**SETTINGS[setting]).flow(x, None, batch_size=32, seed=1)


def part(args):
    setting, x, start = args
    it = flow(setting, x)
    for i in range(start, len(it), 2):
        it[i]
    return 0


def main():
    n, size = int(sys.argv[1]), int(sys.argv[2])
    x = (np.random.RandomState(0).rand(n, size, size, 3) * 255).astype("float32")
    out = {}
    for setting in SETTINGS:
        it = flow(setting, x)
        it[0]
        t = time.perf_counter()
        for i in range(len(it)):
            it[i]
        one = n / (time.perf_counter() - t)
        with mp.get_context("fork").Pool(2) as pool:
            pool.map(part, [(setting, x[:64], 0), (setting, x[:64], 1)])
            t = time.perf_counter()
            pool.map(part, [(setting, x, 0), (setting, x, 1)])
            two = n / (time.perf_counter() - t)
        out[setting] = {"1": one, "2": two}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
