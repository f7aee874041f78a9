"""Drives real `python -m jkeras.worker` processes through their stdin/stdout protocol."""

import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest

from jkeras import shm

SOURCE = textwrap.dedent(
    """
    import os, random, sys
    import numpy as np
    from keras.utils import Sequence

    class Seq(Sequence):
        def __init__(self, n):
            self.n = n
            self.epoch = 0
        def __len__(self):
            return self.n
        def __getitem__(self, i):
            print("user print in __getitem__")  # must not corrupt the protocol
            if i == 99:
                raise ValueError("index 99 is bad")
            return np.full((2,), i, np.float32), {"out": np.array([self.epoch], np.int64)}
        def on_epoch_end(self):
            self.epoch += 1

    def gen(n):
        for k in range(n):
            yield np.array([random.random(), np.random.rand()]), np.array([k])

    def sleepy():
        import time
        time.sleep(60)
        yield 1, 2
    """
)


@pytest.fixture()
def source_file(tmp_path):
    f = tmp_path / "src_mod.py"
    f.write_text(SOURCE)
    return str(f)


class Driver:
    def __init__(self, tmp_path, source_file, attribute, args, mode, index=0, seed=7, parent=None):
        self.prefix = "/dev/shm/jkeras-pytest%d-%d-e0" % (os.getpid(), index)
        cfg = {"source": {"module": None, "file": source_file, "attribute": attribute, "args": args, "kwargs": {},
                          "paths": []},
               "mode": mode, "index": index, "workers": 2, "seed": seed,
               "parent": os.getpid() if parent is None else parent, "prefix": self.prefix, "slots": 2}
        self.p = subprocess.Popen([sys.executable, "-m", "jkeras.worker", json.dumps(cfg)], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def send(self, **msg):
        self.p.stdin.write((json.dumps(msg) + "\n").encode())
        self.p.stdin.flush()

    def recv(self):
        line = self.p.stdout.readline()
        assert line, "worker closed stdout; stderr: %s" % self.p.stderr.read().decode()
        return json.loads(line)

    def batch(self):
        msg = self.recv()
        assert msg["op"] == "batch", msg
        arrays = shm.read_arrays(msg["path"], msg["arrays"])
        self.send(op="free", slot=msg["slot"])
        return msg, arrays

    def close(self):
        if self.p.poll() is None:
            self.p.stdin.close()
            self.p.wait(10)
        self.stderr_text = self.p.stderr.read().decode()
        self.p.stdout.close()
        self.p.stderr.close()

    def files(self):
        return [f for f in os.listdir("/dev/shm") if ("/dev/shm/" + f).startswith(self.prefix)]


def test_sequence_get_epoch_end_and_state_sharing(tmp_path, source_file):
    a = Driver(tmp_path, source_file, "Seq", [5], "sequence", index=0)
    b = Driver(tmp_path, source_file, "Seq", [5], "sequence", index=1)
    try:
        assert a.recv()["len"] == 5 and b.recv()["len"] == 5
        a.send(op="get", seq=0, index=3)
        msg, arrays = a.batch()
        assert msg["seq"] == 0 and msg["structure"] == ["array", ["dict", ["out"]], None]
        np.testing.assert_array_equal(arrays[0], [3, 3])
        np.testing.assert_array_equal(arrays[1], [0])
        a.send(op="epoch_end", share=True)
        done = a.recv()
        assert done["op"] == "epoch_done" and done["len"] == 5 and os.path.exists(done["state"])
        b.send(op="load_state", path=done["state"])
        assert b.recv() == {"op": "state_loaded", "len": 5}
        b.send(op="get", seq=1, index=0)
        _, arrays = b.batch()
        np.testing.assert_array_equal(arrays[1], [1])  # b sees a's on_epoch_end
        a.send(op="get", seq=2, index=99)
        err = a.recv()
        assert err["op"] == "error" and err["seq"] == 2 and err["type"] == "ValueError"
        assert "index 99 is bad" in err["message"] and "in __getitem__" in err["traceback"]
        assert a.files()
    finally:
        a.close()
        b.close()
    assert a.p.returncode == 0 and not a.files() and not b.files()  # EOF: exit 0, own files unlinked
    assert "user print in __getitem__" in a.stderr_text  # user output goes to stderr, not the protocol


def test_generator_credits_stop_and_seeds(tmp_path, source_file):
    d = Driver(tmp_path, source_file, "gen", [3], "generator", index=1, seed=40)
    try:
        assert d.recv()["op"] == "ready"
        time.sleep(0.2)
        d.send(op="credit", n=2)
        _, first = d.batch()
        _, second = d.batch()
        random.seed(41)
        np.random.seed(41)
        assert first[0][0] == random.random() and first[0][1] == np.random.rand()
        np.testing.assert_array_equal(second[1], [1])
        d.send(op="credit", n=5)
        _, third = d.batch()
        np.testing.assert_array_equal(third[1], [2])
        assert d.recv() == {"op": "stop"}
    finally:
        d.close()


def test_startup_error_is_reported_then_exit_1(tmp_path, source_file):
    d = Driver(tmp_path, source_file, "missing_attr", [], "generator")
    try:
        err = d.recv()
        assert err["op"] == "error" and err["type"] == "AttributeError" and "missing_attr" in err["message"]
        assert d.p.wait(10) == 1
    finally:
        d.close()


def test_worker_exits_and_cleans_up_when_its_parent_dies(tmp_path, source_file):
    # A middle process starts the worker with itself as parent, then dies: the worker (busy in a
    # 60 s generator step, deaf to stdin) must notice the new parent pid and leave.
    script = textwrap.dedent(
        """
        import json, subprocess, sys, os, time
        cfg = json.loads(sys.argv[1]); cfg["parent"] = os.getpid()
        p = subprocess.Popen([sys.executable, "-m", "jkeras.worker", json.dumps(cfg)], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE)
        print(json.loads(p.stdout.readline())["pid"], flush=True)
        p.stdin.write(b'{"op":"credit","n":1}\\n'); p.stdin.flush()
        time.sleep(0.5)
        os._exit(0)  # no cleanup; the worker's stdin stays open (inherited by nobody else)
        """
    )
    prefix = "/dev/shm/jkeras-pytestorphan%d-0-e0" % os.getpid()
    cfg = {"source": {"file": source_file, "attribute": "sleepy", "args": [], "kwargs": {}, "paths": []},
           "mode": "generator", "index": 0, "seed": 1, "prefix": prefix}
    mid = subprocess.run([sys.executable, "-c", script, json.dumps(cfg)], capture_output=True, timeout=30)
    pid = int(mid.stdout.decode().split()[0])
    deadline = time.time() + 5
    while time.time() < deadline and os.path.exists("/proc/%d" % pid) and _state(pid) not in ("Z", "X"):
        time.sleep(0.05)
    assert not os.path.exists("/proc/%d" % pid) or _state(pid) in ("Z", "X")


def _state(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            s = f.read()
        return s[s.rindex(")") + 2]
    except OSError:
        return "X"


def test_sigterm_unlinks_the_slots(tmp_path, source_file):
    d = Driver(tmp_path, source_file, "gen", [10], "generator")
    try:
        d.recv()
        d.send(op="credit", n=1)
        d.recv()  # a batch: slot 0 exists and stays busy
        assert d.files()
        d.p.send_signal(signal.SIGTERM)
        assert d.p.wait(10) == 143
        assert not d.files()
    finally:
        d.close()
