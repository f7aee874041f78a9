import json

import numpy as np
import pytest

from jkeras.batches import BatchFormatError, canonical, flatten

TUPLE_ERROR = "Output of generator should be a tuple `(x, y, sample_weight)` or `(x, y)`. Found: "


def test_pair_of_arrays():
    x = np.ones((4, 3), np.float32)
    y = np.zeros((4, 1), np.float32)
    structure, arrays = flatten((x, y))
    assert structure == ("array", "array", None)
    assert len(arrays) == 2 and arrays[0] is x and arrays[1] is y


def test_triple_with_dicts_and_lists_keeps_order():
    x1, x2 = np.zeros((2, 1)), np.ones((2, 2))
    y = np.arange(2)
    w = np.ones(2)
    structure, arrays = flatten(({"input_2": x2, "input_1": x1}, [y], {"output": w}))
    assert structure == (("dict", ("input_2", "input_1")), ("list", 1), ("dict", ("output",)))
    assert [a.shape for a in arrays] == [(2, 2), (2, 1), (2,), (2,)]
    # the contract survives JSON (tuples become lists)
    assert json.loads(json.dumps(structure)) == [["dict", ["input_2", "input_1"]], ["list", 1], ["dict", ["output"]]]


def test_list_item_of_two_is_x_y_as_keras_fit_generator_reads_it():
    structure, _ = flatten([np.zeros(2), np.zeros(2)])
    assert structure == ("array", "array", None)


def test_bare_array_is_inputs_only():
    structure, arrays = flatten(np.zeros((3, 2)))
    assert structure == ("array", None, None) and len(arrays) == 1


def test_one_tuple_is_inputs_only_as_tf_keras_predict_takes_it():
    structure, arrays = flatten((np.zeros((3, 2)),))
    assert structure == ("array", None, None) and len(arrays) == 1


@pytest.mark.parametrize("item", [(), (1, 2, 3, 4), None])
def test_wrong_tuples_raise_keras_error(item):
    with pytest.raises(ValueError) as e:
        flatten(item)
    assert str(e.value).startswith(TUPLE_ERROR)
    assert isinstance(e.value, BatchFormatError)


@pytest.mark.parametrize(
    "dtype,expected",
    [
        ("float32", "float32"),
        ("float64", "float64"),
        ("int32", "int32"),
        ("int64", "int64"),
        ("bool", "bool"),
        ("uint8", "int32"),
        ("int8", "int32"),
        ("int16", "int32"),
        ("uint16", "int32"),
        ("uint32", "int64"),
        ("uint64", "int64"),
        ("float16", "float32"),
    ],
)
def test_dtypes_are_canonical(dtype, expected):
    a = np.array([[0, 1], [2, 3]]).astype(dtype)
    out = canonical(a)
    assert out.dtype.name == expected
    np.testing.assert_array_equal(out.astype("float64"), a.astype("float64"))


def test_python_numbers_and_lists_go_through_asarray():
    structure, arrays = flatten(([[1.0, 2.0], [3.0, 4.0]], [0, 1]))
    # a list of lists is one array per input (Keras' rule); a list of numbers is one array
    assert structure == (("list", 2), "array", None)
    assert arrays[0].dtype.name == "float64" and arrays[0].tolist() == [1.0, 2.0]
    assert arrays[2].dtype.name == "int64" and arrays[2].tolist() == [0, 1]
    structure, arrays = flatten((np.zeros(2), [True, False]))
    assert arrays[1].dtype.name == "bool"


def test_non_contiguous_arrays_are_made_contiguous():
    a = np.arange(12, dtype=np.float32).reshape(3, 4)[:, ::2]
    _, arrays = flatten((a, a.T))
    assert all(x.flags["C_CONTIGUOUS"] for x in arrays)
    np.testing.assert_array_equal(arrays[0], a)


def test_unsupported_dtypes_are_refused():
    with pytest.raises(BatchFormatError, match=r"Unsupported array dtype `<U1`|Unsupported array dtype `str"):
        flatten((np.array(["a", "b"]), np.zeros(2)))
    with pytest.raises(BatchFormatError, match="uint64"):
        canonical(np.array([2**64 - 1], dtype=np.uint64))
