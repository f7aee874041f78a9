"""Runs a Keras 2 script in tf-keras 2.18: ``python as_tf_keras.py SCRIPT.py [ARGS...]`` with
``import keras`` resolving to ``tf_keras`` (in .venv ``keras`` is Keras 3), as compat-tests'
script_recorder.py does for the script scenarios; CPU only, TensorFlow's default threads."""

import os
import runpy
import sys

os.environ.setdefault("CUDA_VISIBLE_DEVICES", "-1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))

import tf_keras

from script_recorder import alias_keras_to

alias_keras_to(tf_keras)
script = sys.argv[1]
sys.argv = sys.argv[1:]
sys.path.insert(0, os.path.dirname(os.path.abspath(script)))
runpy.run_path(script, run_name="__main__")
