"""Keras 2.3.1's own .h5 files and jkeras', both ways (run in .venv-keras231 by InteropRunner).

``--phase export``: for each interop scenario marked ``"keras231": true``, real Keras 2.3.1 builds
the model, sets the same seeded weights as interop_runner.py, trains ``steps`` batches and saves
``<name>.k231.h5`` (its optimizer_weights layout: iterations, then every slot kind, Adam's unused
``vhat`` placeholders included), then records its predictions and ``continue`` more losses.
``--phase check``: Keras 2.3.1 loads jkeras' ``<name>.jk.h5`` and predicts. Output:
``k231-export.json`` / ``k231-check.json``.

Usage: interop_keras231.py --phase export|check --scenarios FILE --dir DIR [--only NAME...]
"""

import importlib
import os
import sys
import warnings

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np

from interop_common import data, pred, run, seeded_values, train


def _keras():
    """Keras 2.3.1, made importable on today's stack by keras231_patches (imported first)."""
    patches = importlib.import_module("keras231_patches")  # before keras, in this order
    k = importlib.import_module("keras")
    patches.after_import(k)
    return k


keras = _keras()


def make_layer(spec):
    return getattr(keras.layers, spec["class_name"])(**spec.get("config", {}))


def build(sc):
    spec = sc["model"]
    if spec["type"] == "sequential":
        # The input shape on the first layer, Keras 2.3.1's idiom (its Sequential config drops an
        # explicit InputLayer's shape, so its own load_model could not rebuild that model).
        first = dict(spec["layers"][0])
        first["config"] = {**first.get("config", {}), "input_shape": tuple(spec["input_shape"])}
        layers = [make_layer(first)] + [make_layer(ly) for ly in spec["layers"][1:]]
        return keras.models.Sequential(layers, name=sc["name"])
    tensors = {}
    inputs = []
    for inp in spec["inputs"]:
        tensors[inp["name"]] = keras.layers.Input(shape=tuple(inp["shape"]), name=inp["name"])
        inputs.append(tensors[inp["name"]])
    for node in spec["nodes"]:
        ins = [tensors[i] for i in node["inbound"]]
        tensors[node["name"]] = make_layer(node["layer"])(ins[0] if len(ins) == 1 else ins)
    return keras.models.Model(inputs, [tensors[o] for o in spec["outputs"]], name=sc["name"])


def seeded_weights(model, seed):
    """interop_runner.py's fixture: the same numbers, in Keras' weight order."""
    # set_weights goes layer by layer (Keras 2.3.1's model.weights lists trainable ones first).
    model.set_weights(seeded_values([w for layer in model.layers for w in layer.weights], seed))


def export(sc, d):
    x, y = data(sc)
    keras.backend.clear_session()
    np.random.seed(sc["seed"])
    m = build(sc)
    seeded_weights(m, sc["seed"])
    o = sc["optimizer"]
    m.compile(getattr(keras.optimizers, o["class_name"])(**o.get("config", {})), sc["loss"], metrics=sc.get("metrics"))
    train(m, x, y, sc["steps"])
    m.save(os.path.join(d, sc["name"] + ".k231.h5"))
    return {"name": sc["name"], "predict": pred(m, x), "continued": train(m, x, y, sc["continue"])}


def check(sc, d):
    x, _ = data(sc)
    keras.backend.clear_session()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        m = keras.models.load_model(os.path.join(d, sc["name"] + ".jk.h5"))
    return {
        "name": sc["name"],
        "predict": pred(m, x),
        "warnings": [str(w.message) for w in caught if "optimizer" in str(w.message)],
    }


def main(argv=None):
    return run(
        __doc__, argv, export, check, "k231-", keep=lambda sc: sc.get("keras231"), versions={"keras": keras.__version__}
    )


if __name__ == "__main__":
    sys.exit(main())
