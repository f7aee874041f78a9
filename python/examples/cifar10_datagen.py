"""Keras 2.3.1's examples/cifar10_cnn.py data pipeline, unchanged: keras_preprocessing's
ImageDataGenerator with the script's settings and ``datagen.flow(x_train, y_train, batch_size=32)``.

``jkeras cifar10-cnn --python-datagen`` feeds the Sequence this returns to ``fitGenerator`` through
the bridge (in the JVM, or in worker processes with ``--use-multiprocessing``).
"""

import numpy as np
from keras_preprocessing.image import ImageDataGenerator

# The script's ImageDataGenerator keywords (also used by compat-tests/bench/cifar10_cnn_tfkeras.py).
SETTINGS = {
    "featurewise_center": False,
    "samplewise_center": False,
    "featurewise_std_normalization": False,
    "samplewise_std_normalization": False,
    "zca_whitening": False,
    "zca_epsilon": 1e-06,
    "rotation_range": 0,
    "width_shift_range": 0.1,
    "height_shift_range": 0.1,
    "shear_range": 0.0,
    "zoom_range": 0.0,
    "channel_shift_range": 0.0,
    "fill_mode": "nearest",
    "cval": 0.0,
    "horizontal_flip": True,
    "vertical_flip": False,
    "rescale": None,
    "preprocessing_function": None,
    "data_format": "channels_last",
    "validation_split": 0.0,
}


def flow(x_path, y_path, batch_size=32, seed=None):
    x_train = np.load(x_path)
    y_train = np.load(y_path)
    datagen = ImageDataGenerator(**SETTINGS)
    datagen.fit(x_train)
    return datagen.flow(x_train, y_train, batch_size=batch_size, seed=seed)
