# Keras 2.3.1's examples/mnist_mlp.py (github.com/keras-team/keras, tag 2.3.1, MIT licence), for
# the compat harness' script scenarios. Changed, and only this: MNIST is not downloaded (this
# machine reaches no dataset server): `from keras.datasets import mnist` and `mnist.load_data()`
# gave way to generated_data.mnist_load_data(1024, 256), MNIST-shaped uint8 images and labels generated
# here; 1024 training and 256 test samples instead of 60000 and 10000 (the two reshape lines),
# and 2 epochs instead of 20, so the scenario runs in seconds.
'''Trains a simple deep NN on the MNIST dataset.

Gets to 98.40% test accuracy after 20 epochs
(there is *a lot* of margin for parameter tuning).
2 seconds per epoch on a K520 GPU.
'''

from __future__ import print_function

import keras
from keras.models import Sequential
from keras.layers import Dense, Dropout
from keras.optimizers import RMSprop

import generated_data

batch_size = 128
num_classes = 10
epochs = 2

# the data, split between train and test sets
(x_train, y_train), (x_test, y_test) = generated_data.mnist_load_data(1024, 256)

x_train = x_train.reshape(1024, 784)
x_test = x_test.reshape(256, 784)
x_train = x_train.astype('float32')
x_test = x_test.astype('float32')
x_train /= 255
x_test /= 255
print(x_train.shape[0], 'train samples')
print(x_test.shape[0], 'test samples')

# convert class vectors to binary class matrices
y_train = keras.utils.to_categorical(y_train, num_classes)
y_test = keras.utils.to_categorical(y_test, num_classes)

model = Sequential()
model.add(Dense(512, activation='relu', input_shape=(784,)))
model.add(Dropout(0.2))
model.add(Dense(512, activation='relu'))
model.add(Dropout(0.2))
model.add(Dense(num_classes, activation='softmax'))

model.summary()

model.compile(loss='categorical_crossentropy',
              optimizer=RMSprop(),
              metrics=['accuracy'])

history = model.fit(x_train, y_train,
                    batch_size=batch_size,
                    epochs=epochs,
                    verbose=1,
                    validation_data=(x_test, y_test))
score = model.evaluate(x_test, y_test, verbose=0)
print('Test loss:', score[0])
print('Test accuracy:', score[1])
