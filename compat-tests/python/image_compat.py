"""keras_preprocessing 1.1.2's side of the ImageDataGenerator compat check (run in .venv-keras231).

Usage: python image_compat.py CASES_JSON OUT_DIR. For each flow case: the data (x from a seeded
RandomState), the batches of every epoch requested in order, the index array of every epoch and the
transform parameters of every sample of epoch 0, in OUT_DIR/<name>.npz. For each directory case: PNG
images written to OUT_DIR/images (the same tree for every case), and the filenames, classes and the
batch of all images in OUT_DIR/<name>.npz.
"""

import json
import os
import sys

import numpy as np
from keras_preprocessing.image import ImageDataGenerator
from PIL import Image

PARAMS = [
    "theta",
    "tx",
    "ty",
    "shear",
    "zx",
    "zy",
    "flip_horizontal",
    "flip_vertical",
    "channel_shift_intensity",
    "brightness",
]


def run_flow(case, out):
    rs = np.random.RandomState(1)
    x = (rs.rand(*case["shape"]) * 255).astype("float32")
    y = (np.arange(case["shape"][0]) % 3).astype("int32")
    gen = ImageDataGenerator(**case["kwargs"])
    if case.get("fit"):
        gen.fit(x)
    drawn = []
    original = gen.get_random_transform

    def recording(shape, seed=None):
        p = original(shape, seed)
        drawn.append([np.nan if p[k] is None else float(p[k]) for k in PARAMS])
        return p

    gen.get_random_transform = recording
    it = gen.flow(
        x,
        y,
        batch_size=case["batch_size"],
        seed=case["seed"],
        shuffle=case.get("shuffle", True),
        subset=case.get("subset"),
    )
    xs, ys, orders, params = [], [], [], []
    for epoch in range(case["epochs"]):
        for i in range(len(it)):
            bx, by = it[i]
            xs.append(bx)
            ys.append(by)
        if epoch == 0:
            params = list(drawn)
        orders.append(np.array(it.index_array))
        it.on_epoch_end()
    arrays = {
        "x": x,
        "y": y,
        "batches_x": np.concatenate(xs),
        "batches_y": np.concatenate(ys),
        "orders": np.stack(orders).astype("int32"),
        "params": np.array(params, dtype="float64"),
    }
    if case.get("fit"):
        arrays["mean"] = gen.mean.astype("float32")
        arrays["std"] = gen.std.astype("float32")
    np.savez(os.path.join(out, case["name"] + ".npz"), **arrays)


def write_images(root):
    rs = np.random.RandomState(2)
    for cls, count in (("cat", 3), ("dog", 4), ("emu", 2)):
        for i in range(count):
            sub = os.path.join(root, cls, "nested") if i == 2 else os.path.join(root, cls)
            os.makedirs(sub, exist_ok=True)
            h, w = 8 + i, 10 - i
            if cls == "emu":
                img = Image.fromarray((rs.rand(h, w) * 255).astype("uint8"), "L")
            elif cls == "dog" and i == 3:
                img = Image.fromarray((rs.rand(h, w, 4) * 255).astype("uint8"), "RGBA")
            else:
                img = Image.fromarray((rs.rand(h, w, 3) * 255).astype("uint8"), "RGB")
            img.save(os.path.join(sub, "img%d.png" % i))


def run_directory(case, root, out):
    gen = ImageDataGenerator(validation_split=case.get("validation_split", 0.0))
    it = gen.flow_from_directory(
        root,
        target_size=tuple(case["target_size"]),
        color_mode=case["color_mode"],
        interpolation=case["interpolation"],
        class_mode="sparse",
        batch_size=100,
        shuffle=False,
        subset=case.get("subset"),
    )
    bx, by = it[0]
    np.savez(os.path.join(out, case["name"] + ".npz"), x=bx, y=by, classes=np.array(it.classes, dtype="int32"))
    with open(os.path.join(out, case["name"] + ".filenames.txt"), "w") as f:
        f.write("\n".join(name.replace(os.sep, "/") for name in it.filenames))


def main():
    cases = json.load(open(sys.argv[1]))
    out = sys.argv[2]
    os.makedirs(out, exist_ok=True)
    for case in cases["flow"]:
        run_flow(case, out)
    root = os.path.join(out, "images")
    write_images(root)
    for case in cases["directory"]:
        run_directory(case, root, out)


if __name__ == "__main__":
    main()
