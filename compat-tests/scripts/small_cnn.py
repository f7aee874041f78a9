# A small CNN (Conv2D, MaxPooling2D, Flatten, Dense) on generated images, trained the three ways:
# train_on_batch, fit with a validation split, then evaluated and predicted. Written for the
# compat harness' script scenarios.
from keras.layers import Conv2D, Dense, Flatten, MaxPooling2D
from keras.models import Sequential

import generated_data

x, y = generated_data.images(256, seed=3)
model = Sequential()
model.add(Conv2D(8, (3, 3), activation='relu', input_shape=(12, 12, 1)))
model.add(MaxPooling2D(pool_size=(2, 2)))
model.add(Flatten())
model.add(Dense(3, activation='softmax'))
model.summary()
model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])

for step in range(4):
    loss, acc = model.train_on_batch(x[step * 32:(step + 1) * 32], y[step * 32:(step + 1) * 32])
    print('step %d: loss %.4f accuracy %.4f' % (step, loss, acc))
model.fit(x, y, batch_size=32, epochs=2, validation_split=0.25)
loss, acc = model.evaluate(x[:64], y[:64], verbose=0)
print('evaluate: loss %.4f accuracy %.4f' % (loss, acc))
print('predicted classes:', model.predict(x[:8]).argmax(axis=1).tolist())
