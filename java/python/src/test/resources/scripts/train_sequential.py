"""A Keras 2 script as users write it: Sequential + Dense, compile, fit, evaluate, predict, *_on_batch."""

import os
import sys

import numpy as np
from keras.callbacks import Callback
from keras.layers import Dense
from keras.models import Sequential


class ValidationLoss(Callback):
    """Keras 2 scripts compute their own validation figures from self.validation_data."""

    def on_epoch_end(self, epoch, logs=None):
        x_val, y_val, weights = self.validation_data
        p = np.clip(self.model.predict(x_val), 1e-7, 1 - 1e-7)
        own = float(np.mean(-(y_val * np.log(p) + (1 - y_val) * np.log(1 - p))))
        assert abs(own - logs["val_loss"]) < 1e-4 and weights.shape == (64,), (own, logs, weights.shape)
        if epoch == 2:
            self.model.stop_training = True

assert os.path.isabs(__file__) and sys.path[0] == os.path.dirname(__file__), (__file__, sys.path[0])
print("argv", sys.argv[1:])

rng = np.random.RandomState(0)
x = rng.rand(256, 20)  # float64, as numpy makes it: the shim casts to float32 as Keras does
y = (x.sum(axis=1, keepdims=True) > 10).astype("float32")
model = Sequential([Dense(16, activation="relu", input_shape=(20,)), Dense(1, activation="sigmoid")])
model.summary()
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
history = model.fit(x, y, batch_size=32, epochs=5, validation_split=0.25, verbose=2, callbacks=[ValidationLoss()])
assert history.epoch == [0, 1, 2], history.epoch  # stopped by the callback
assert sorted(history.history) == ["accuracy", "loss", "val_accuracy", "val_loss"], history.history
assert all(type(v) is float for vs in history.history.values() for v in vs)
assert model.history is history
loss, acc = model.evaluate(x, y, verbose=0)
p = model.predict(x[:5])
assert isinstance(p, np.ndarray) and p.shape == (5, 1) and p.dtype == np.float32, (type(p), p.shape)
assert isinstance(model.train_on_batch(x[:32], y[:32]), list)
assert model.predict_on_batch(x[:3]).shape == (3, 1)
print("evaluate %.4f %.4f" % (loss, acc))
print("DONE")
