"""Keras 2.3.1's own .h5 files and jkeras', both ways (run in .venv-keras231 by InteropRunner).

``--phase export``: for each interop scenario marked ``"keras231": true``, real Keras 2.3.1 builds
the model, sets the same seeded weights as interop_runner.py, trains ``steps`` batches and saves
``<name>.k231.h5`` (its optimizer_weights layout: iterations, then every slot kind, Adam's unused
``vhat`` placeholders included), then records its predictions and ``continue`` more losses.
``--phase check``: Keras 2.3.1 loads jkeras' ``<name>.jk.h5`` and predicts. Output:
``k231-export.json`` / ``k231-check.json``.

Usage: interop_keras231.py --phase export|check --scenarios FILE --dir DIR [--only NAME...]
"""

import argparse
import importlib
import json
import os
import sys
import traceback
import warnings

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np

from interop_weights import seeded_values


def _keras():
    """Keras 2.3.1, made importable on today's stack by keras231_patches (imported first)."""
    patches = importlib.import_module("keras231_patches")  # before keras, in this order
    k = importlib.import_module("keras")
    patches.after_import(k)
    return k


keras = _keras()


def gen(rng, n, spec):
    shape = [n, *spec["shape"]]
    if spec["kind"] == "normal":
        return rng.standard_normal(shape).astype(np.float32)
    if spec["kind"] == "onehot":
        k = shape[-1]
        return np.eye(k, dtype=np.float32)[rng.integers(0, k, shape[:-1])]
    return rng.integers(0, spec["classes"], shape).astype(np.int32)


def data(sc):
    """The same arrays as interop_runner.py's (same generator, same order)."""
    rng = np.random.default_rng(sc["seed"])
    xs = sc["x"] if isinstance(sc["x"], list) else [sc["x"]]
    x = [gen(rng, sc["n"], s) for s in xs]
    return x, gen(rng, sc["n"], sc["y"])


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


def as_x(x):
    return x[0] if len(x) == 1 else x


def train(m, x, y, steps):
    out = []
    for _ in range(steps):
        v = m.train_on_batch(as_x(x), y)
        out.append(float(v[0] if isinstance(v, list) else v))
    return out


def pred(m, x):
    return np.asarray(m.predict(as_x(x)), dtype=np.float32).reshape(-1).tolist()


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
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--phase", choices=("export", "check"), required=True)
    ap.add_argument("--scenarios", required=True)
    ap.add_argument("--dir", required=True)
    ap.add_argument("--only", nargs="*", default=None)
    args = ap.parse_args(argv)
    with open(args.scenarios) as fh:
        scenarios = [s for s in json.load(fh) if s.get("keras231")]
    if args.only:
        scenarios = [s for s in scenarios if s["name"] in set(args.only)]
    results = []
    for sc in scenarios:
        try:
            results.append((export if args.phase == "export" else check)(sc, args.dir))
        except Exception as e:  # recorded, shown in the report
            results.append(
                {"name": sc["name"], "error": f"{type(e).__name__}: {e}", "trace": traceback.format_exc()[-1500:]}
            )
        print(f"[interop keras231 {args.phase}] {sc['name']}", file=sys.stderr, flush=True)
    path = os.path.join(args.dir, "k231-" + args.phase + ".json")
    with open(path + ".tmp", "w") as fh:
        json.dump({"keras": keras.__version__, "scenarios": results}, fh)
    os.replace(path + ".tmp", path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
