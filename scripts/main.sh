#!/usr/bin/env bash
# The project's main job: the seed article's fit_generator example. A Python generator function,
# generate_arrays_from_file(path) in python/examples/seed_example.py, feeds a two-input model built
# in Java, trained with fitGenerator(steps_per_epoch, epochs=10, workers, use_multiprocessing) and
# Keras' progress bar. Installs what it needs (the Python venv with jep and numpy, Maven
# dependencies) and reuses it afterwards. Arguments go to `jkeras demo`, e.g.
#   scripts/main.sh --workers 2 --use-multiprocessing
# Other commands: scripts/jkeras.sh train (an MLP on synthetic digits), scripts/bench.sh.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
exec bash "$ROOT/scripts/jkeras.sh" demo "$@"
