"""A small CNN in tf.keras' style (an Input first in the Sequential list, `from tensorflow.keras import layers`),
trained and evaluated; the layers' output shapes as Keras gives them."""

import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

model = keras.Sequential(
    [
        keras.Input(shape=(12, 12, 1)),
        layers.Conv2D(4, kernel_size=(3, 3), activation="relu"),
        layers.MaxPooling2D(pool_size=(2, 2)),
        layers.Flatten(),
        layers.Dropout(0.5),
        layers.Dense(3, activation="softmax"),
    ]
)
assert [layer.name.split("_")[0] for layer in model.layers] == ["conv2d", "max", "flatten", "dropout", "dense"]
assert model.count_params() == 4 * 9 + 4 + (5 * 5 * 4) * 3 + 3, model.count_params()
model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
rng = np.random.RandomState(0)
x = rng.rand(48, 12, 12, 1).astype("float32")
y = keras.utils.to_categorical(np.arange(48) % 3, 3)
history = model.fit(x, y, batch_size=16, epochs=2, validation_split=0.25, verbose=0)
assert list(history.history) == ["val_loss", "val_accuracy", "loss", "accuracy"], history.history
loss, accuracy = model.evaluate(x, y, verbose=0)
assert model.predict(x[:2]).shape == (2, 3)
print("CNN_TRAINED")
