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

import shm_testing
from jkeras import worker as W

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

    def varying():
        # Layouts: A, A, B (a bigger file), A, C (a dict), B.
        a = lambda k: (np.full((2, 3), k, np.float32), np.array([k]))
        b = lambda k: (np.full((3000,), k, np.float64), np.array([k]))
        c = lambda k: ({"in": np.full((1,), k, np.int32)}, np.array([k]))
        for k, f in enumerate([a, a, b, a, c, b]):
            yield f(k)

    def sleepy():
        import time
        time.sleep(60)
        yield 1, 2

    def slow(n, delay):
        import time
        for k in range(n):
            time.sleep(delay)
            yield np.array([float(k)]), np.array([k])
    """
)


@pytest.fixture()
def source_file(tmp_path):
    f = tmp_path / "src_mod.py"
    f.write_text(SOURCE)
    return str(f)


class Driver:
    def __init__(self, tmp_path, source_file, attribute, args, mode, index=0, seed=7, parent=None, slots=2):
        self.prefix = "/dev/shm/jkeras-pytest%d-%d-e0" % (os.getpid(), index)
        cfg = {
            "source": {
                "module": None,
                "file": source_file,
                "attribute": attribute,
                "args": args,
                "kwargs": {},
                "paths": [],
            },
            "mode": mode,
            "index": index,
            "workers": 2,
            "seed": seed,
            "parent": os.getpid() if parent is None else parent,
            "prefix": self.prefix,
            "slots": slots,
        }
        self.p = subprocess.Popen(
            [sys.executable, "-m", "jkeras.worker", json.dumps(cfg)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )

        self.reader = W.FrameReader(self.p.stdout.fileno(), nonblocking=False, on_eof=self._eof)
        self.layouts = {}
        self.caps = {}
        self.frames = []  # every frame received, for the protocol tests

    def _eof(self):
        raise AssertionError("worker closed stdout; stderr: %s" % self.p.stderr.read().decode())

    def write(self, data):
        self.p.stdin.write(data)
        self.p.stdin.flush()

    def send(self, **msg):
        """A control message (epoch_end, load_state, exit) as a CONTROL frame with JSON."""
        self.write(W.encode(W.CONTROL, payload=msg))

    def get(self, index, seq, free=-1):
        self.write(W.encode(W.GET, index, free, seq))

    def free(self, slot=-1, credits=0):
        self.write(W.encode(W.FREE, slot, credits))

    def recv(self):
        """The next message: JSON ones as sent, a batch as a dict; LAYOUT and SLOT frames are recorded."""
        while True:
            op, a, b, c, payload = self.reader.read(None)
            self.frames.append(op)
            if op == W.LAYOUT:
                self.layouts[a] = json.loads(payload)
            elif op == W.SLOT:
                self.caps[a] = c
            elif op == W.BATCH:
                lay = self.layouts[b]
                return {
                    "op": "batch",
                    "seq": None if c < 0 else c,
                    "slot": a,
                    "layout": b,
                    "path": "%s-s%d" % (self.prefix, a),
                    "cap": self.caps[a],
                    "structure": lay["structure"],
                    "arrays": lay["arrays"],
                }
            else:
                return json.loads(payload)

    def batch(self, free=True):
        msg = self.recv()
        assert msg["op"] == "batch", msg
        arrays = shm_testing.read_arrays(msg["path"], msg["arrays"])
        if free:
            self.free(msg["slot"])
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
        a.get(3, seq=0)
        msg, arrays = a.batch()
        assert msg["seq"] == 0 and msg["structure"] == ["array", ["dict", ["out"]], None]
        np.testing.assert_array_equal(arrays[0], [3, 3])
        np.testing.assert_array_equal(arrays[1], [0])
        a.send(op="epoch_end", share=True)
        done = a.recv()
        assert done["op"] == "epoch_done" and done["len"] == 5 and os.path.exists(done["state"])
        b.send(op="load_state", path=done["state"])
        assert b.recv() == {"op": "state_loaded", "len": 5}
        b.get(0, seq=1)
        _, arrays = b.batch()
        np.testing.assert_array_equal(arrays[1], [1])  # b sees a's on_epoch_end
        a.get(99, seq=2)
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
        d.free(credits=2)
        _, first = d.batch()
        _, second = d.batch()
        random.seed(41)
        np.random.seed(41)
        assert first[0][0] == random.random() and first[0][1] == np.random.rand()
        np.testing.assert_array_equal(second[1], [1])
        d.free(credits=5)
        _, third = d.batch()
        np.testing.assert_array_equal(third[1], [2])
        assert d.recv() == {"op": "stop"}
    finally:
        d.close()


def test_a_generator_announces_a_group_of_batches_in_one_write(tmp_path, source_file):
    # 0.1 s per item: announced one by one, the second and third would come 0.1 and 0.2 s later.
    d = Driver(tmp_path, source_file, "slow", [6, 0.1], "generator", slots=4)
    try:
        assert d.recv()["op"] == "ready"
        d.write(W.encode(W.FREE, -1, 3, 3))  # three credits, groups of 3
        first, _ = d.batch(free=False)
        later = []  # frames already read with the first: no waiting
        for f in iter(lambda: d.reader.read(0), None):
            later.append(f)
            if f[0] == W.SLOT:
                d.caps[f[1]] = f[3]
        batch_frames = [f for f in later if f[0] == W.BATCH]
        assert len(batch_frames) == 2, later
        assert [first["slot"]] + [f[1] for f in batch_frames] == [0, 1, 2]
        d.write(W.encode(W.FREE, 0, 1, 1) + W.encode(W.FREE, 1, 0, 1))  # single batches again
        _, fourth = d.batch(free=False)
        np.testing.assert_array_equal(fourth[1], [3])
        assert d.reader.read(0.05) is None  # one credit: one batch
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
        import json, struct, subprocess, sys, os, time
        cfg = json.loads(sys.argv[1]); cfg["parent"] = os.getpid()
        p = subprocess.Popen([sys.executable, "-m", "jkeras.worker", json.dumps(cfg)], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE)
        head = p.stdout.read(24); n = struct.unpack("<iiiiq", head)[3]
        print(json.loads(p.stdout.read(n))["pid"], flush=True)
        p.stdin.write(struct.pack("<iiiiq", 2, -1, 1, 0, 0)); p.stdin.flush()  # FREE: one credit
        time.sleep(0.5)
        os._exit(0)  # no cleanup; the worker's stdin stays open (inherited by nobody else)
        """
    )
    prefix = "/dev/shm/jkeras-pytestorphan%d-0-e0" % os.getpid()
    cfg = {
        "source": {"file": source_file, "attribute": "sleepy", "args": [], "kwargs": {}, "paths": []},
        "mode": "generator",
        "index": 0,
        "seed": 1,
        "prefix": prefix,
    }
    mid = subprocess.run([sys.executable, "-c", script, json.dumps(cfg)], capture_output=True, timeout=30)
    pid = int(mid.stdout.decode().split()[0])
    deadline = time.time() + 60  # the worker polls its parent every 0.2 s; 60 s only guard a hang
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
        d.free(credits=1)
        d.recv()  # a batch: slot 0 exists and stays busy
        assert d.files()
        d.p.send_signal(signal.SIGTERM)
        assert d.p.wait(10) == 143
        assert not d.files()
    finally:
        d.close()


def test_layouts_are_sent_once_and_again_when_shapes_change(tmp_path, source_file):
    d = Driver(tmp_path, source_file, "varying", [], "generator")
    try:
        assert d.recv()["op"] == "ready"
        d.free(credits=10)
        got = [d.batch() for _ in range(6)]
        assert d.recv() == {"op": "stop"}
    finally:
        d.close()
    assert [m["layout"] for m, _ in got] == [0, 0, 1, 0, 2, 1]
    assert d.frames.count(W.LAYOUT) == 3
    assert [m["structure"] for m, _ in got][4] == [["dict", ["in"]], "array", None]
    for k, (_, arrays) in enumerate(got):
        assert float(arrays[0].ravel()[0]) == k and arrays[1][0] == k
    assert got[2][1][0].shape == (3000,) and got[2][0]["cap"] >= 24000
    # A SLOT frame came before each slot's first batch (Driver.recv needs it) and when one grew for
    # the 24 KB batch: each of the 2 slots is created once and grown at most once.
    assert 2 <= d.frames.count(W.SLOT) <= 4


def test_frames_in_pieces_are_read_whole(tmp_path, source_file):
    d = Driver(tmp_path, source_file, "Seq", [5], "sequence")
    try:
        assert d.recv()["len"] == 5
        frame = W.encode(W.GET, 2, -1, 0) + W.encode(W.GET, 4, -1, 1)
        for i in range(len(frame)):  # one byte at a time, across both headers
            d.write(frame[i : i + 1])
            time.sleep(0.002)
        m0, a0 = d.batch()
        m1, a1 = d.batch()
        assert (m0["seq"], m1["seq"]) == (0, 1)
        np.testing.assert_array_equal(a0[0], [2, 2])
        np.testing.assert_array_equal(a1[0], [4, 4])
    finally:
        d.close()


def test_frame_reader_waits_for_whole_frames():
    r, w = os.pipe()
    try:
        reader = W.FrameReader(r, on_eof=lambda: "eof")
        data = W.encode(W.CONTROL, payload={"op": "epoch_end", "share": True}) + W.encode(W.FREE, 3, 2, 7)
        os.write(w, data[:10])
        assert reader.read(0) is None
        os.write(w, data[10:30])
        assert reader.read(0.01) is None
        os.write(w, data[30:])
        op, _, _, _, payload = reader.read(0)
        assert op == W.CONTROL and json.loads(payload) == {"op": "epoch_end", "share": True}
        assert reader.read(0) == (W.FREE, 3, 2, 7, b"")
        assert reader.read(0) is None
        os.close(w)
        w = None
        assert reader.read(None) == "eof"
    finally:
        os.close(r)
        if w is not None:
            os.close(w)


def test_a_get_frees_the_slot_it_carries(tmp_path, source_file):
    d = Driver(tmp_path, source_file, "Seq", [5], "sequence")  # 2 slots
    try:
        d.recv()
        d.get(0, seq=0)
        m0, _ = d.batch(free=False)
        d.get(1, seq=1)
        m1, _ = d.batch(free=False)
        assert {m0["slot"], m1["slot"]} == {0, 1}
        d.get(2, seq=2, free=m0["slot"])  # both slots busy: only the free it carries lets it answer
        m2, a2 = d.batch(free=False)
        assert m2["slot"] == m0["slot"] and m2["seq"] == 2
        np.testing.assert_array_equal(a2[0], [2, 2])
    finally:
        d.close()
