# The seed article's first example (keras-training-methods, "fit_generator"), as a script.
#
# Verbatim from the article: generate_arrays_from_file and the fit_generator call (the article's
# text lost its line breaks; they are restored as in Keras 2's documentation, where the example
# comes from). Added, because the example implies them without showing them: process_line (one
# sample per line: four numbers for input_1, three for input_2, then the target), the two-input
# model with an output named 'output' (the main job's, scripts/main.sh) and its compile. The data
# file './my_folder' is written by the compat harness into the working directory of the run.
# The scenario caps the 10,000 steps of 10 epochs (see compat-tests/scripts/scenarios.json).
import numpy as np
from keras.layers import Dense, Input, concatenate
from keras.models import Model


def process_line(line):
    values = [float(v) for v in line.split()]
    x1 = np.array([values[0:4]], dtype='float32')
    x2 = np.array([values[4:7]], dtype='float32')
    y = np.array([[values[7]]], dtype='float32')
    return x1, x2, y


input_1 = Input(shape=(4,), name='input_1')
input_2 = Input(shape=(3,), name='input_2')
h = concatenate([Dense(16, activation='relu')(input_1), Dense(16, activation='relu')(input_2)])
h = Dense(16, activation='relu')(h)
output = Dense(1, name='output')(h)
model = Model(inputs=[input_1, input_2], outputs=output)
model.compile(optimizer='adam', loss={'output': 'mse'})

# ---- the article, from here on ----

def generate_arrays_from_file(path):
    while True:
        with open(path) as f:
            for line in f:
                # create numpy arrays of input data
                # and labels, from each line in the file
                x1, x2, y = process_line(line)
                yield ({'input_1': x1, 'input_2': x2}, {'output': y})

model.fit_generator(generate_arrays_from_file('./my_folder'),
                    steps_per_epoch=10000, epochs=10)
