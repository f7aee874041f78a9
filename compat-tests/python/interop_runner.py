"""Keras files in both directions: tf-keras and Keras 3 save, jkeras loads; jkeras saves, they load.

Two phases, run by jkeras.compat.InteropRunner in tf-keras' venv (which holds Keras 3 too, as a
dependency of TensorFlow):

``--phase export``: for each interop scenario, tf-keras builds the model from the scenario's
layers, sets the fixture's weights, compiles with its legacy optimizer (Keras 2.3.1's formulas),
trains ``steps`` full batches and saves ``<name>.h5`` (model.save) and ``<name>_w.h5``
(save_weights), then records its predictions and ``continue`` more steps' losses (what a resumed
run must give). Keras 3 builds the same layers, takes tf-keras' trained weights, compiles with its
own optimizer (Adam or SGD), trains ``steps`` batches, saves ``<name>.k3.keras`` and records the
same. Everything goes to ``export.json``.

``--phase check``: jkeras has saved ``<name>.jk.h5``, ``<name>.jk.keras``, ``<name>.jk_w.h5`` and
``<name>.jk.json`` (to_json); tf-keras loads the .h5 and continues training, builds the model from
jkeras' JSON and loads the weights, Keras 3 loads the .keras and continues training and loads the
.h5 (legacy format) to predict. Everything goes to ``check.json``; the comparison is on the Java
side.

Usage: interop_runner.py --phase export|check --scenarios FILE --dir DIR [--only NAME...]
"""

import os
import sys
import traceback

os.environ.setdefault("CUDA_VISIBLE_DEVICES", "-1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
os.environ.setdefault("TF_DETERMINISTIC_OPS", "1")

import numpy as np
import tensorflow as tf

from interop_common import data, pred, run, seeded_values, train

tf.config.threading.set_intra_op_parallelism_threads(1)
tf.config.threading.set_inter_op_parallelism_threads(1)
tf.config.experimental.enable_op_determinism()

import keras as keras3  # noqa: E402  Keras 3, which TensorFlow 2.18 brings
import tf_keras  # noqa: E402

tf_keras.backend.set_floatx("float32")

# Keras 3 optimizers whose update formula is Keras 2.3.1's (the others differ: epsilon placement,
# schedules), so a run continued in Keras 3 can be compared with jkeras'.
KERAS3_SAME_FORMULA = ("Adam", "SGD")


def make_layer(k, spec):
    """A layer of Keras module ``k`` from ``{"class_name", "config"}``; a wrapper's ``layer`` too."""
    cfg = dict(spec.get("config", {}))
    if isinstance(cfg.get("layer"), dict):
        cfg["layer"] = make_layer(k, cfg["layer"])
    cls = spec["class_name"]
    if cls in ("CuDNNLSTM", "CuDNNGRU"):  # tf-keras keeps them outside k.layers; they build on CPU
        from tf_keras.src.layers.rnn.cudnn_gru import CuDNNGRU
        from tf_keras.src.layers.rnn.cudnn_lstm import CuDNNLSTM

        return {"CuDNNLSTM": CuDNNLSTM, "CuDNNGRU": CuDNNGRU}[cls](**cfg)
    return getattr(k.layers, cls)(**cfg)


def build(k, sc):
    """The scenario's model in Keras module ``k`` (tf_keras or keras 3)."""
    spec = sc["model"]
    if spec["type"] == "sequential":
        layers = [k.layers.Input(shape=tuple(spec["input_shape"]), dtype=spec.get("dtype", "float32"))]
        layers += [make_layer(k, ly) for ly in spec["layers"]]
        return k.Sequential(layers, name=sc["name"])
    tensors = {}
    inputs = []
    for inp in spec["inputs"]:
        t = k.Input(shape=tuple(inp["shape"]), name=inp["name"], dtype=inp.get("dtype", "float32"))
        tensors[inp["name"]] = t
        inputs.append(t)
    for node in spec["nodes"]:
        if "sequential" in node:
            inner = node["sequential"]
            layer = k.Sequential(
                [k.layers.Input(shape=tuple(inner["input_shape"]))] + [make_layer(k, ly) for ly in inner["layers"]],
                name=inner["name"],
            )
            tensors.setdefault("__layers__", {})[inner["name"]] = layer
        elif "reuse" in node:
            layer = tensors["__layers__"][node["reuse"]]
        else:
            layer = make_layer(k, node["layer"])
        ins = [tensors[i] for i in node["inbound"]]
        tensors[node["name"]] = layer(ins[0] if len(ins) == 1 else ins)
    return k.Model(inputs, [tensors[o] for o in spec["outputs"]], name=sc["name"])


def seeded_weights(model, seed):
    """Glorot-uniform kernels, small biases, positive variances: the same numbers for any Keras."""
    model.set_weights(seeded_values(model.weights, seed))


def optimizer(k, spec, legacy):
    cls = spec["class_name"]
    cfg = dict(spec.get("config", {}))
    if legacy:
        return getattr(k.optimizers.legacy, cls)(**cfg)
    return getattr(k.optimizers, cls)(**cfg)


def keras3_optimizer(spec):
    if spec["class_name"] in KERAS3_SAME_FORMULA:
        return spec
    return {"class_name": "Adam", "config": {"learning_rate": 0.01}}


def seed_all(seed):
    np.random.seed(seed)
    tf.random.set_seed(seed)  # random layers at rate 0 still draw; determinism wants a seed
    keras3.utils.set_random_seed(seed)


def export(sc, d):
    seed_all(sc["seed"])
    x, y = data(sc)
    name = sc["name"]
    out = {"name": name, "x": [a.reshape(-1).tolist() for a in x], "x_shapes": [list(a.shape) for a in x]}
    out["x_dtypes"] = [str(a.dtype) for a in x]
    out["y"] = y.reshape(-1).tolist()
    out["y_shape"] = list(y.shape)
    if sc.get("cudnn_model"):
        return export_cudnn(sc, d, out, x)
    tf_keras.backend.clear_session()
    m = build(tf_keras, sc)
    seeded_weights(m, sc["seed"])
    m.compile(optimizer(tf_keras, sc["optimizer"], True), sc["loss"], metrics=sc.get("metrics"))
    train(m, x, y, sc["steps"])
    m.save(os.path.join(d, name + ".h5"))
    m.save_weights(os.path.join(d, name + "_w.h5"))
    out["tf_keras"] = {"predict": pred(m, x), "continued": train(m, x, y, sc["continue"])}
    # Keras 3: the same layers, tf-keras' trained weights, its own optimizer, then .keras
    if sc.get("keras3_not_run"):
        out["keras3"] = {"not_run": sc["keras3_not_run"]}
        return out
    try:
        keras3.backend.clear_session()
        k3 = build(keras3, sc)
        t = tf_keras.models.load_model(os.path.join(d, name + ".h5"))
        k3.set_weights(t.get_weights())
        o3 = keras3_optimizer(sc["optimizer"])
        k3.compile(optimizer(keras3, o3, False), sc["loss"], metrics=sc.get("metrics"))
        train(k3, x, y, sc["steps"])
        k3.save(os.path.join(d, name + ".k3.keras"))
        out["keras3"] = {
            "optimizer": o3["class_name"],
            "predict": pred(k3, x),
            "continued": train(k3, x, y, sc["continue"]),
        }
    except Exception as e:  # recorded, shown in the report
        out["keras3"] = {"error": f"{type(e).__name__}: {e}"}
    return out


def export_cudnn(sc, d, out, x):
    """CuDNN layers' weights (saved as tf-keras saves them) loaded into the plain layers.

    tf-keras converts them on load as Keras 2.3.1 does (``_convert_rnn_weights``); jkeras loads the
    same file into the model of the plain config and must predict the same.
    """
    name = sc["name"]
    tf_keras.backend.clear_session()
    cudnn = build(tf_keras, {**sc, "model": sc["cudnn_model"]})
    seeded_weights(cudnn, sc["seed"])
    cudnn.save_weights(os.path.join(d, name + "_cudnn_w.h5"))
    plain = build(tf_keras, sc)
    plain.load_weights(os.path.join(d, name + "_cudnn_w.h5"))
    with open(os.path.join(d, name + "_plain.json"), "w") as fh:
        fh.write(plain.to_json())
    out["cudnn"] = {"predict": pred(plain, x)}
    return out


def check(sc, d):
    seed_all(sc["seed"])
    x, y = data(sc)
    name = sc["name"]
    out = {"name": name}
    if sc.get("cudnn_model"):
        return out  # one direction only: Keras' CuDNN layouts are read, never written
    steps = sc["continue"]

    def attempt(key, fn):
        try:
            out[key] = fn()
        except Exception as e:
            out[key] = {"error": f"{type(e).__name__}: {e}", "trace": traceback.format_exc()[-1500:]}

    def loads_and_continues(k, suffix):
        """Keras module ``k`` loads jkeras' file, predicts and trains ``continue`` more steps."""
        k.backend.clear_session()
        m = k.models.load_model(os.path.join(d, name + suffix))
        return {"predict": pred(m, x), "continued": train(m, x, y, steps), "optimizer": type(m.optimizer).__name__}

    def tfk_json_weights():
        tf_keras.backend.clear_session()
        with open(os.path.join(d, name + ".jk.json")) as fh:
            m = tf_keras.models.model_from_json(fh.read())
        m.load_weights(os.path.join(d, name + ".jk_w.h5"))
        return {"predict": pred(m, x)}

    def k3_h5():
        keras3.backend.clear_session()
        m = keras3.models.load_model(os.path.join(d, name + ".jk.h5"), compile=False)
        return {"predict": pred(m, x)}

    attempt("tf_keras_h5", lambda: loads_and_continues(tf_keras, ".jk.h5"))
    attempt("tf_keras_json_weights", tfk_json_weights)
    if sc.get("keras3_not_run"):
        out["keras3_keras"] = out["keras3_h5"] = {"not_run": sc["keras3_not_run"]}
    else:
        attempt("keras3_keras", lambda: loads_and_continues(keras3, ".jk.keras"))
        if sc.get("keras3_h5_not_run"):
            out["keras3_h5"] = {"not_run": sc["keras3_h5_not_run"]}
        else:
            attempt("keras3_h5", k3_h5)
    return out


def main(argv=None):
    versions = {"tensorflow": tf.__version__, "tf_keras": tf_keras.__version__, "keras3": keras3.__version__}
    return run(__doc__, argv, export, check, "", versions=versions)


if __name__ == "__main__":
    sys.exit(main())
