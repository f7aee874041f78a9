import os

import numpy as np
import pytest

import shm_testing
from jkeras import shm


def test_layout_aligns_every_array_to_64_bytes():
    arrays = [np.zeros(3, np.float32), np.zeros((2, 2), np.float64), np.zeros(1, np.bool_)]
    offsets, total = shm.layout(arrays)
    assert offsets == [0, 64, 128]
    assert total == 129


def test_slot_round_trip_and_growth(tmp_path):
    slot = shm.Slot(str(tmp_path / "jkeras-test-s0"))
    small = [np.arange(6, dtype=np.float32).reshape(2, 3), np.array([True, False])]
    metas = shm_testing.write(slot, small)
    assert metas == [[0, "float32", [2, 3]], [64, "bool", [2]]]
    assert slot.capacity == os.path.getsize(slot.path) >= 4096
    for a, b in zip(shm_testing.read_arrays(slot.path, metas), small):
        np.testing.assert_array_equal(a, b)
    big = [np.random.RandomState(0).rand(300, 100)]  # 240,000 bytes: the file grows
    metas = shm_testing.write(slot, big)
    assert slot.capacity >= big[0].nbytes
    np.testing.assert_array_equal(shm_testing.read_arrays(slot.path, metas)[0], big[0])
    slot.close()
    assert not os.path.exists(slot.path)


def test_big_endian_arrays_are_stored_little_endian(tmp_path):
    slot = shm.Slot(str(tmp_path / "be"))
    a = np.arange(3, dtype=">i4")
    metas = shm_testing.write(slot, [a])
    with open(slot.path, "rb") as f:
        raw = f.read(12)
    assert raw == np.arange(3, dtype="<i4").tobytes()
    assert metas[0][1] == "int32"
    slot.close()


def test_pool_hands_out_free_slots_until_released(tmp_path):
    pool = shm.SlotPool(str(tmp_path / "p"), 2)
    i, _ = pool.acquire()
    j, _ = pool.acquire()
    assert {i, j} == {0, 1} and not pool.has_free()
    pool.release(j)
    assert pool.acquire()[0] == j
    pool.close()


def test_a_full_shared_memory_directory_is_a_memory_error_naming_sizes_and_options(tmp_path, monkeypatch):
    import errno

    from jkeras import shm

    def full(fd, offset, length):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(shm.os, "posix_fallocate", full)
    slot = shm.Slot(str(tmp_path / "slot"))
    with pytest.raises(MemoryError, match=r"Shared memory is full: a batch slot of 1\.0 MB cannot be allocated") as e:
        slot.reserve(1 << 20)
    assert "Reduce `workers`, `max_queue_size` or the batch size" in str(e.value)
    slot.close()
