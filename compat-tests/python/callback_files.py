"""What the callbacks leave behind, read the same way for every side of a compat scenario.

- ``read_events(log_dir)``: every TensorBoard event file under ``log_dir``, read with TensorBoard's own
  ``EventAccumulator`` (``plugin_event_accumulator``, which reads TF 1 and TF 2 summaries alike), as
  ``{run: {tag: {"plugin", "steps", "values"}}}``; a run is a directory holding event files
  (``train``, ``validation``, or ``.`` for the log directory itself). Scalars are numbers,
  histograms ``[left, right, count]`` rows, a Keras model config its class
  name, other strings (a graph) their length.
- ``read_csv(path, separator)``: a CSVLogger file as ``{"lines": [...], "rows": [[field, ...], ...]}``.
- ``PostRecorder``: an HTTP server on 127.0.0.1 that records the JSON each POST carries (a JSON
  body, or a form field holding JSON, as RemoteMonitor sends them).

As a script, ``callback_files.py events LOG_DIR`` prints ``read_events`` as JSON without importing
TensorFlow (TensorBoard falls back to its own stub), and ``callback_files.py csv FILE [SEPARATOR]`` prints
``read_csv``: the jkeras side of the harness reads its files through them.
"""

import csv
import http.server
import json
import os
import sys
import threading
import urllib.parse


def read_events(log_dir):
    from tensorboard.backend.event_processing import plugin_event_accumulator as pea
    from tensorboard.util import tensor_util

    runs = {}
    for root, _dirs, files in sorted(os.walk(log_dir)):
        if not any("tfevents" in f for f in files):
            continue
        acc = pea.EventAccumulator(root, size_guidance={pea.TENSORS: 0})
        acc.Reload()
        tags = {}
        for tag in acc.Tags()[pea.TENSORS]:
            plugin = acc.SummaryMetadata(tag).plugin_data.plugin_name
            steps, values = [], []
            for e in acc.Tensors(tag):
                v = tensor_util.make_ndarray(e.tensor_proto)
                steps.append(int(e.step))
                if v.dtype.kind in "SUO":  # a string: the model's config, or a graph
                    values.append(describe_string(v.reshape(-1)[0] if v.size else b""))
                elif v.ndim == 0:
                    values.append(float(v))
                else:
                    values.append(v.astype(float).tolist())
            tags[tag] = {"plugin": plugin, "steps": steps, "values": values}
        runs[os.path.relpath(root, log_dir)] = tags
    return runs


def describe_string(s):
    """A Keras model config as its class name; any other string (a GraphDef) as its length."""
    if isinstance(s, bytes):
        try:
            s = s.decode()
        except UnicodeDecodeError:
            return len(s)
    try:
        config = json.loads(s)
    except ValueError:
        return len(s)
    return config.get("class_name", len(s)) if isinstance(config, dict) else len(s)


def read_csv(path, separator=","):
    with open(path, newline="") as f:
        text = f.read()
    with open(path, newline="") as f:
        rows = list(csv.reader(f, delimiter=separator))
    return {"lines": text.split("\r\n"), "rows": rows}


class PostRecorder:
    """A local HTTP server recording the JSON of each POST: ``{"path", "content_type", "data"}``."""

    def __init__(self):
        self.posts = []
        recorder = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
                kind = self.headers.get("Content-Type", "")
                if kind.startswith("application/json"):
                    data = json.loads(body)
                else:
                    form = urllib.parse.parse_qs(body)
                    data = {k: json.loads(v[0]) for k, v in form.items()}
                recorder.posts.append({"path": self.path, "content_type": kind.split(";")[0], "data": data})
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def root(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4) or sys.argv[1] not in ("events", "csv"):
        sys.exit("usage: callback_files.py events LOG_DIR | csv FILE [SEPARATOR]")
    if sys.argv[1] == "csv":
        json.dump(read_csv(*sys.argv[2:]), sys.stdout)
    else:
        sys.modules["tensorflow"] = None  # TensorBoard's own stub: no TensorFlow import, no seconds lost
        json.dump(read_events(sys.argv[2]), sys.stdout)
