"""What the two interop runners share (numpy only, so both the tf-keras/Keras 3 runner and the Keras
2.3.1 one import it): the scenarios' data and starting weights, the same numbers in every Keras; the
training and prediction steps; the command line and the results file."""

import argparse
import json
import math
import os
import sys
import time
import traceback

import numpy as np


def seeded_values(weights, seed):
    """Glorot-uniform kernels, small biases, positive variances and gammas, for ``weights`` in order."""
    rng = np.random.default_rng([seed, 11])
    values = []
    for w in weights:
        shape = tuple(int(d) for d in w.shape)
        name = w.name.split("/")[-1].split(":")[0]
        if name in ("moving_variance", "gamma"):
            values.append(rng.uniform(0.5, 1.5, shape).astype(np.float32))
        elif len(shape) >= 2:
            receptive = int(np.prod(shape[:-2])) if len(shape) > 2 else 1
            limit = math.sqrt(6.0 / (receptive * (shape[-2] + shape[-1])))
            values.append(rng.uniform(-limit, limit, shape).astype(np.float32))
        else:
            values.append(rng.uniform(-0.1, 0.1, shape).astype(np.float32))
    return values


def gen(rng, n, spec):
    shape = [n, *spec["shape"]]
    kind = spec["kind"]
    if kind == "normal":
        return rng.standard_normal(shape).astype(np.float32)
    if kind == "onehot":
        k = shape[-1]
        return np.eye(k, dtype=np.float32)[rng.integers(0, k, shape[:-1])]
    if kind == "sparse":
        return rng.integers(0, spec["classes"], shape).astype(np.int32)
    raise ValueError("unknown data kind " + kind)


def data(sc):
    """The scenario's inputs (a list) and targets, drawn in one order from its seed."""
    rng = np.random.default_rng(sc["seed"])
    xs = sc["x"] if isinstance(sc["x"], list) else [sc["x"]]
    x = [gen(rng, sc["n"], s) for s in xs]
    return x, gen(rng, sc["n"], sc["y"])


def as_x(x):
    return x[0] if len(x) == 1 else x


def train(model, x, y, steps):
    """``steps`` train_on_batch calls on the whole data; their losses."""
    out = []
    for _ in range(steps):
        v = model.train_on_batch(as_x(x), y)
        out.append(float(v[0] if isinstance(v, (list, tuple)) else v))
    return out


def pred(model, x):
    return np.asarray(model.predict(as_x(x), verbose=0), dtype=np.float32).reshape(-1).tolist()


def run(doc, argv, export, check, label, keep=lambda sc: True, versions=None):
    """The runners' command line (``--phase export|check --scenarios FILE --dir DIR [--only NAME...]``):
    runs ``export`` or ``check`` on each scenario ``keep`` accepts, an error recorded in its place, and
    writes ``{"versions": ..., "scenarios": [...]}`` to ``DIR/<label><phase>.json``."""
    ap = argparse.ArgumentParser(description=doc.splitlines()[0])
    ap.add_argument("--phase", choices=("export", "check"), required=True)
    ap.add_argument("--scenarios", required=True)
    ap.add_argument("--dir", required=True)
    ap.add_argument("--only", nargs="*", default=None)
    args = ap.parse_args(argv)
    with open(args.scenarios) as fh:
        scenarios = [s for s in json.load(fh) if keep(s)]
    if args.only:
        scenarios = [s for s in scenarios if s["name"] in set(args.only)]
    os.makedirs(args.dir, exist_ok=True)
    results = []
    for sc in scenarios:
        t = time.time()
        try:
            results.append((export if args.phase == "export" else check)(sc, args.dir))
            status = "ok"
        except Exception as e:  # recorded, shown in the report
            results.append(
                {"name": sc["name"], "error": f"{type(e).__name__}: {e}", "trace": traceback.format_exc()[-2000:]}
            )
            status = "ERROR " + results[-1]["error"]
        line = f"[interop {label}{args.phase}] {sc['name']:<28} {time.time() - t:5.2f}s {status}"
        print(line, file=sys.stderr, flush=True)
    path = os.path.join(args.dir, label + args.phase + ".json")
    with open(path + ".tmp", "w") as fh:
        json.dump({"versions": versions or {}, "scenarios": results}, fh)
    os.replace(path + ".tmp", path)
    return 0
