"""The bridge's Python half, without Java: status tuples, registry, stand-in modules."""

import json
import os
import subprocess
import sys
import textwrap

import numpy as np

from jkeras import bridge, keras_shim


def spec(tmp_path, source, attribute, *args, name="user_data", **kwargs):
    f = tmp_path / (name + ".py")
    f.write_text(textwrap.dedent(source))
    return json.dumps(
        {"module": None, "file": str(f), "attribute": attribute, "args": list(args), "kwargs": kwargs, "paths": []}
    )


def test_generator_from_file_with_arguments(tmp_path):
    s = spec(
        tmp_path,
        """
        import numpy as np
        def gen(n, scale=1.0):
            for i in range(n):
                yield np.full((2, 3), i * scale, np.float32), np.array([i, i])
        """,
        "gen",
        2,
        scale=0.5,
    )
    status, handle, _ = bridge.build(s, bridge.GENERATOR)
    assert status == bridge.OK
    first = bridge.gen_next(handle)
    assert first[0] == bridge.OK and first[1] == ("array", "array", None)
    assert first[2][0].dtype == np.float32 and first[2][0][0, 0] == 0.0
    second = bridge.gen_next(handle)
    assert second[2][0][0, 0] == 0.5
    assert bridge.gen_next(handle) == (bridge.END,)
    bridge.release(handle)


def test_exception_carries_type_and_traceback_from_user_code(tmp_path):
    s = spec(
        tmp_path,
        """
        def gen():
            yield 1, 2
            raise ValueError("corrupt record at line 3")
        """,
        "gen",
        name="user_fail",
    )
    _, handle, _ = bridge.build(s, bridge.GENERATOR)
    assert bridge.gen_next(handle)[0] == bridge.OK
    status, type_name, message, text = bridge.gen_next(handle)
    assert (status, type_name, message) == (bridge.ERROR, "ValueError", "corrupt record at line 3")
    assert text.startswith("Traceback (most recent call last):")
    assert 'user_fail.py", line 4, in gen' in text
    assert "bridge.py" not in text.splitlines()[1]
    assert text.rstrip().endswith("ValueError: corrupt record at line 3")


def test_user_exception_types_are_qualified(tmp_path):
    s = spec(
        tmp_path,
        """
        class BadRecord(Exception):
            pass
        class Seq:
            def __len__(self): return 1
            def __getitem__(self, i): raise BadRecord("bad")
        """,
        "Seq",
        name="user_errors",
    )
    _, handle, _ = bridge.build(s, bridge.SEQUENCE)
    assert bridge.seq_len(handle) == (bridge.OK, 1)
    r = bridge.seq_get(handle, 0)
    assert r[0] == bridge.ERROR and r[1] == "user_errors.BadRecord"


def test_bad_items_and_sources_are_usage_errors(tmp_path):
    s = spec(tmp_path, "def gen():\n    yield (1, 2, 3, 4)\ndef notseq():\n    return 3\n", "gen")
    _, handle, _ = bridge.build(s, bridge.GENERATOR)
    status, message = bridge.gen_next(handle)
    assert status == bridge.USAGE
    assert message == ("Output of generator should be a tuple `(x, y, sample_weight)` or `(x, y)`. Found: (1, 2, 3, 4)")
    bad = json.loads(s)
    bad["attribute"] = "notseq"
    status, message = bridge.build(json.dumps(bad), bridge.SEQUENCE)
    assert status == bridge.USAGE and message.startswith("Expected a Sequence")


def test_evaluate_autoimports_and_detects_kind(tmp_path):
    (tmp_path / "evmod.py").write_text(
        "from keras.utils import Sequence\n"
        "class S(Sequence):\n    def __len__(self): return 2\n    def __getitem__(self, i): return [i], [i]\n"
        "def g(): yield [1.0], [2.0]\n"
    )
    status, _, kind = bridge.evaluate("evmod.S()", [str(tmp_path)], None)
    assert (status, kind) == (bridge.OK, bridge.SEQUENCE)
    status, _, kind = bridge.evaluate("evmod.g()", [str(tmp_path)], None)
    assert kind == bridge.GENERATOR
    status, type_name, _, _ = bridge.evaluate("no_such_module_xyz.f()", [], None)
    assert type_name == "NameError"


def test_keras_standins_do_not_load_tensorflow():
    # A fresh interpreter: the shim must answer `keras.utils` without importing TensorFlow.
    code = textwrap.dedent(
        """
        import sys
        import jkeras.bridge
        from keras.utils import Sequence, to_categorical
        from keras.utils.data_utils import Sequence as S2
        from tf_keras.utils import to_categorical as tc2
        import jkeras.utils
        assert Sequence is jkeras.utils.Sequence is S2
        assert tc2 is jkeras.utils.to_categorical
        assert 'tensorflow' not in sys.modules
        from tensorflow.keras.utils import Sequence as S3
        assert S3 is Sequence
        assert getattr(sys.modules['tensorflow'], '__jkeras_standin__')
        try:
            import keras.layers
        except ImportError as e:
            assert 'stand-ins' in str(e), e
        else:
            raise AssertionError('keras.layers imported')
        try:
            import keras.utils
            keras.utils.Progbar
        except AttributeError as e:
            assert 'keras.utils.Progbar' in str(e)
        print('ok')
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


def test_shim_leaves_a_real_keras_alone():
    code = textwrap.dedent(
        """
        import sys, types
        real = types.ModuleType('keras'); real.__path__ = []
        sys.modules['keras'] = real
        import jkeras.keras_shim as shim
        shim.install()
        try:
            import keras.utils
        except ImportError:
            pass
        assert sys.modules['keras'] is real
        assert 'keras.utils' not in sys.modules or not getattr(sys.modules['keras.utils'], '__jkeras_standin__', False)
        print('ok')
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr


def test_uninstall_removes_hook_and_modules():
    keras_shim.install()
    import keras.utils  # noqa: F401  (the stand-in)

    keras_shim.uninstall()
    assert not keras_shim.installed()
    assert "keras" not in sys.modules or not getattr(sys.modules["keras"], "__jkeras_standin__", False)
    keras_shim.install()


# ------------------------------------------------------------------ batches into Java-owned buffers


def _bind(set_id, *sizes):
    flats = [np.zeros(n, np.uint8) for n in sizes]
    for k, f in enumerate(flats):
        bridge.bind(set_id, k, f)
    return flats


def test_into_copies_into_bound_buffers_and_sends_layouts_once():
    bridge.thread_reset()
    flats = _bind(9001, 64, 64)
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    y = np.array([4, 5], np.int64)
    r = bridge._into((x, y), 9001)
    assert r[0] == bridge.OK and len(r) == 5
    assert r[3] == ("array", "array", None)
    assert r[4] == (("float32", (2, 3)), ("int64", (2,)))
    assert np.array_equal(flats[0][:24].view(np.float32).reshape(2, 3), x)
    assert np.array_equal(flats[1][:16].view(np.int64), y)
    again = bridge._into((x * 2, y + 1), 9001)
    assert again == (bridge.OK, r[1], r[2])  # ids only, once Java knows them
    assert np.array_equal(flats[0][:24].view(np.float32), (x * 2).ravel())
    bridge.thread_reset()
    assert len(bridge._into((x, y), 9001)) == 5  # a new Java bridge on this thread learns them again
    bridge.drop_set(9001)


def test_too_small_buffers_ask_java_to_grow_then_fill_the_pending_batch():
    bridge.thread_reset()
    _bind(9002, 8)
    x = np.arange(12, dtype=">f8").reshape(3, 4)  # big-endian: arrives in native order
    r = bridge._into({"a": x}, 9002)
    assert r[0] == bridge.GROW
    assert r[3] == (("dict", ("a",)), None, None)
    assert r[5] == (96,)
    flats = _bind(9002, 96)
    assert bridge.fill_pending(9002) == (bridge.OK,)
    assert np.array_equal(flats[0].view(np.float64).reshape(3, 4), x)
    assert bridge.fill_pending(9002)[0] == bridge.ERROR  # nothing pending any more
    bridge.drop_set(9002)
    assert 9002 not in bridge._sets


def test_unknown_set_asks_to_grow_and_bad_items_are_usage_errors():
    bridge.thread_reset()
    r = bridge._into((np.zeros(2, np.float32), np.zeros(2, np.float32)), 9003)
    assert r[0] == bridge.GROW and r[5] == (8, 8)
    h = bridge._register(iter([(1, 2, 3, 4)]))
    assert bridge.gen_next_into(h, 9003)[0] == bridge.USAGE
    assert bridge.gen_next_into(h, 9003) == (bridge.END,)
    bridge.release(h)


def test_missing_source_module_says_where_it_was_searched(tmp_path):
    s = json.dumps({"module": "no_such_module_xyz", "attribute": "f", "paths": [str(tmp_path)]})
    status, type_name, message, text = bridge.build(s, bridge.GENERATOR)
    assert (status, type_name) == (bridge.ERROR, "ModuleNotFoundError")
    assert message.startswith("No module named 'no_such_module_xyz' (the module of this PythonSource).")
    assert "Searched the source's paths [%r], then the rest of sys.path [" % str(tmp_path) in message
    assert message.endswith("with PythonSource.withPaths(...).")
    assert text.rstrip().endswith(message)
    no_paths = json.dumps({"module": "no_such_module_xyz", "attribute": "f"})
    assert "The source adds no paths; searched sys.path [" in bridge.build(no_paths, bridge.GENERATOR)[2]


def test_a_module_missing_inside_the_source_module_gets_no_path_hint(tmp_path):
    (tmp_path / "imports_missing.py").write_text("import no_such_dependency_xyz\n")
    s = json.dumps({"module": "imports_missing", "attribute": "f", "paths": [str(tmp_path)]})
    status, type_name, message, _ = bridge.build(s, bridge.GENERATOR)
    assert (status, type_name) == (bridge.ERROR, "ModuleNotFoundError")
    assert message == "No module named 'no_such_dependency_xyz'"


def test_long_sys_path_is_shortened():
    assert bridge._shorten(["a", "", "b"]) == "['a', %r, 'b']" % os.getcwd()
    assert bridge._shorten([str(i) for i in range(10)], limit=3) == "['0', '1', '2', ... 7 more]"
