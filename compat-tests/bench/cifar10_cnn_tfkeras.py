"""Keras 2.3.1's examples/cifar10_cnn.py in tf-keras, for the epoch-time row of scripts/bench-cifar10.sh.

The script's model, RMSprop(lr=1e-4, decay=1e-6), its ImageDataGenerator settings and
fit_generator(datagen.flow(...), workers=4) with validation data, on CIFAR-10-shaped uint8 images
generated here (the shapes and counts of the jkeras job; timing does not depend on the pixel values).
Prints one line: "tf-keras cifar10_cnn: <seconds per epoch, mean over the epochs>".
"""

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python", "examples"))

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np
import tf_keras as keras
from cifar10_datagen import SETTINGS
from tf_keras import layers
from tf_keras.preprocessing.image import ImageDataGenerator


def model_of(num_classes):
    m = keras.Sequential()
    m.add(layers.Conv2D(32, (3, 3), padding="same", input_shape=(32, 32, 3)))
    m.add(layers.Activation("relu"))
    m.add(layers.Conv2D(32, (3, 3)))
    m.add(layers.Activation("relu"))
    m.add(layers.MaxPooling2D(pool_size=(2, 2)))
    m.add(layers.Dropout(0.25))
    m.add(layers.Conv2D(64, (3, 3), padding="same"))
    m.add(layers.Activation("relu"))
    m.add(layers.Conv2D(64, (3, 3)))
    m.add(layers.Activation("relu"))
    m.add(layers.MaxPooling2D(pool_size=(2, 2)))
    m.add(layers.Dropout(0.25))
    m.add(layers.Flatten())
    m.add(layers.Dense(512))
    m.add(layers.Activation("relu"))
    m.add(layers.Dropout(0.5))
    m.add(layers.Dense(num_classes))
    m.add(layers.Activation("softmax"))
    return m


def main(argv):
    p = argparse.ArgumentParser()
    p.add_argument("--epochs", type=int, default=2)
    p.add_argument("--samples", type=int, default=5000)
    p.add_argument("--test-samples", type=int, default=1000)
    p.add_argument("--workers", type=int, default=4)
    a = p.parse_args(argv)
    rng = np.random.default_rng(0)
    x_train = rng.integers(0, 256, (a.samples, 32, 32, 3)).astype("float32") / 255
    x_test = rng.integers(0, 256, (a.test_samples, 32, 32, 3)).astype("float32") / 255
    y_train = keras.utils.to_categorical(rng.integers(0, 10, a.samples), 10)
    y_test = keras.utils.to_categorical(rng.integers(0, 10, a.test_samples), 10)
    model = model_of(10)
    opt = keras.optimizers.legacy.RMSprop(learning_rate=0.0001, decay=1e-6)
    model.compile(loss="categorical_crossentropy", optimizer=opt, metrics=["accuracy"])
    datagen = ImageDataGenerator(**SETTINGS)
    datagen.fit(x_train)
    start = time.perf_counter()
    model.fit(
        datagen.flow(x_train, y_train, batch_size=32),
        epochs=a.epochs,
        validation_data=(x_test, y_test),
        workers=a.workers,
        verbose=0,
    )
    secs = time.perf_counter() - start
    print(f"tf-keras cifar10_cnn: {secs / a.epochs:.2f} s/epoch ({secs:.1f} s, {a.epochs} epochs)")


if __name__ == "__main__":
    main(sys.argv[1:])
