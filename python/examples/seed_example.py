"""The Keras fit_generator example from the seed article, as written.

``generate_arrays_from_file(path)`` loops forever over a data file and yields one batch per line:
``({'input_1': x1, 'input_2': x2}, {'output': y})``. jkeras feeds it, unchanged, to a model built
in Java (``scripts/main.sh``).

Data file format, one sample per line: four numbers for input_1, three for input_2, then the
target, separated by spaces.
"""

import numpy as np


def process_line(line):
    values = [float(v) for v in line.split()]
    x1 = np.array([values[0:4]], dtype="float32")
    x2 = np.array([values[4:7]], dtype="float32")
    y = np.array([[values[7]]], dtype="float32")
    return x1, x2, y


def generate_arrays_from_file(path):
    while True:
        with open(path) as f:
            for line in f:
                # create numpy arrays of input data
                # and labels, from each line in the file
                x1, x2, y = process_line(line)
                yield ({'input_1': x1, 'input_2': x2}, {'output': y})
