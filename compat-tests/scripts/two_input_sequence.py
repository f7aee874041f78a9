# A functional two-input model trained from a keras.utils.Sequence defined here, in two worker
# processes (workers=2, use_multiprocessing=True), as a Keras 2 user writes it; then validated,
# evaluated and predicted through Sequences. Written for the compat harness' script scenarios.
import numpy as np
from keras.layers import Dense, Input, concatenate
from keras.models import Model
from keras.utils import Sequence

import generated_data


class TwoInputSequence(Sequence):
    """Batches of ([a, b], y) over generated arrays, in order."""

    def __init__(self, n, batch_size, seed):
        self.a, self.b, self.y = generated_data.two_input_arrays(n, seed)
        self.batch_size = batch_size

    def __len__(self):
        return int(np.ceil(len(self.y) / float(self.batch_size)))

    def __getitem__(self, idx):
        s = slice(idx * self.batch_size, (idx + 1) * self.batch_size)
        return [self.a[s], self.b[s]], self.y[s]


a = Input(shape=(8,), name='a')
b = Input(shape=(4,), name='b')
x = concatenate([Dense(16, activation='relu')(a), Dense(8, activation='relu')(b)])
out = Dense(1, activation='sigmoid', name='out')(x)
model = Model(inputs=[a, b], outputs=out)
model.compile(optimizer='sgd', loss='binary_crossentropy', metrics=['accuracy'])

train = TwoInputSequence(480, 32, seed=1)
val = TwoInputSequence(96, 96, seed=2)  # one batch: its loss is the mean (see scenarios.json)
history = model.fit_generator(train, epochs=3, validation_data=val,
                              workers=2, use_multiprocessing=True)
print('epochs:', history.epoch)
score = model.evaluate_generator(val)
print('val loss and accuracy:', score)
p = model.predict_generator(val)
print('predictions:', p.shape)
