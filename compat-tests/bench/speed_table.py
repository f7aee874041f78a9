"""Issue 16's table from the runs of scripts/bench-speed.sh (one bench-all.json per setting).

Each model's train step in milliseconds (median [min..max] of the timed rounds), lower is better:
today's floor (the bare TensorFlow Java loop over the graph and session settings before issue 16),
jkeras with its defaults and with steps_per_execution 8, tf-keras with its defaults and with the
thread settings jkeras' rule chose; ratios are of medians, against today's floor.
"""

import json
import sys
from pathlib import Path

BATCH_MLP = 32
MODELS = [
    ("mlp", "MLP 784-128-10, b32"),
    ("cnn", "small CNN, b64"),
    ("bn_cnn", "CNN + BatchNorm, b64"),
    ("lstm", "LSTM text classifier, b32"),
]


def load(out, name):
    p = out / name / "bench-all.json"
    if not p.exists():
        return {}
    return {r["id"]: r for r in json.loads(p.read_text())["rows"]}


def figure(rows, row_id, side, per_sample=False):
    """The row's figure as ms per step: (median, min, max), or None."""
    r = rows.get(row_id, {}).get(side, {})
    if "median" not in r:
        return None
    scale = BATCH_MLP if per_sample else 1

    def ms(v):
        return 1000.0 / (v / scale)

    # Rates: the fastest round is the smallest time.
    return ms(r["median"]), ms(r["max"]), ms(r["min"])


def fmt(f):
    if f is None:
        return "-"
    return f"{f[0]:.3g} [{f[1]:.3g}..{f[2]:.3g}]"


def ratio(a, b):
    if a is None or b is None:
        return "-"
    return f"{a[0] / b[0]:.2f}x"


def ids(kind, runs):
    if kind == "mlp":
        # fit over one fixed batch when measured (no shuffling or row gathering), else fit(x, y).
        if any("fit_fixed_batch" in r for r in runs.values()):
            return "train_on_batch", "engine_floor", "fit_fixed_batch", False
        return "train_on_batch", "engine_floor", "fit_arrays", True
    return f"{kind}_train_on_batch", f"{kind}_engine_floor", f"{kind}_fit", False


def main():
    out = Path(sys.argv[1])
    runs = {n: {**load(out, n + "-mlp"), **load(out, n + "-rows")} for n in ("before", "defaults", "spe8")}
    head = [
        "model",
        "today's floor",
        "jkeras train_on_batch",
        "jkeras fit",
        "jkeras fit, spe 8",
        "tf-keras train_on_batch",
        "tf-keras fit",
        "tf-keras same threads: tob / fit",
        "tob/floor",
        "spe8/floor",
        "tf-keras fit/jkeras fit (same run)",
    ]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for kind, label in MODELS:
        tob, floor, fit, per_sample = ids(kind, runs)
        b, d, s = runs["before"], runs["defaults"], runs["spe8"]
        today = figure(b, floor, "jkeras")
        jk_tob = figure(d, tob, "jkeras")
        jk_fit = figure(d, fit, "jkeras", per_sample)
        spe8 = figure(s, fit, "jkeras", per_sample)
        tk_tob = figure(b, tob, "tf_keras")
        # tf-keras' fit of the MLP is fit(x, y) on arrays (it has no fixed-batch row): compare it
        # with jkeras' fit on the same arrays.
        tk_id, tk_ps = ("fit_arrays", True) if kind == "mlp" else (fit, per_sample)
        tk_fit = figure(b, tk_id, "tf_keras", tk_ps)
        jk_same = figure(d, tk_id, "jkeras", tk_ps)
        tk_same_fit = figure(d, tk_id, "tf_keras", tk_ps)
        same = f"{fmt(figure(d, tob, 'tf_keras'))} / {fmt(tk_same_fit)}"
        lines.append(
            "| "
            + " | ".join(
                [
                    label,
                    fmt(today),
                    fmt(jk_tob),
                    fmt(jk_fit),
                    fmt(spe8),
                    fmt(tk_tob),
                    fmt(tk_fit),
                    same,
                    ratio(jk_tob, today),
                    ratio(spe8, today),
                    ratio(tk_same_fit, jk_same),
                ]
            )
            + " |"
        )
    print("ms per train step, median [min..max] over the timed rounds (lower is better)")
    print("\n".join(lines))
    gen = "fit_generator_w1"
    print()
    print("fit_generator, Python generator, workers=1 (steps/s, higher is better):")
    labels = {
        ("before", "tf_keras"): "tf-keras, its defaults (before run)",
        ("defaults", "tf_keras"): "tf-keras, jkeras' threads (defaults run)",
        ("before", "jkeras"): "jkeras before issue 16 (before run)",
        ("defaults", "jkeras"): "jkeras defaults (defaults run)",
        ("spe8", "jkeras"): "jkeras steps_per_execution 8 (spe8 run)",
    }
    for (name, side), label in labels.items():
        r = runs[name].get(gen, {}).get(side, {})
        if "median" in r:
            print(f"  {label:42} {r['median']:.0f} [{r['min']:.0f}..{r['max']:.0f}]")
    for name in ("before", "defaults"):
        r = runs[name].get(gen, {}).get("ratio", {})
        if "median" in r:
            print(f"  same-run ratio jkeras/tf-keras, {name} run: {r['median']:.2f}x")
    tk = runs["before"].get(gen, {}).get("tf_keras", {}).get("median")
    for name in ("defaults", "spe8"):
        jk = runs[name].get(gen, {}).get("jkeras", {}).get("median")
        if tk and jk:
            print(f"  jkeras {name} / tf-keras (its defaults): {jk / tk:.2f}x")


if __name__ == "__main__":
    main()
