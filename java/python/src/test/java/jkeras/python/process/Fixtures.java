package jkeras.python.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Python data sources for the worker-process tests, and helpers to inspect processes and files. */
final class Fixtures {
  private Fixtures() {}

  static final String MODULE =
      """
      import os
      import random
      import sys
      import time

      import numpy as np
      from keras.utils import Sequence


      def _log(path, text):
          if path:
              with open(path, "a") as f:
                  f.write(text + "\\n")


      class Numbered(Sequence):
          \"\"\"Batch i is x = full((2, 3), i), y = [i, epoch, pid]; on_epoch_end counts epochs.\"\"\"

          def __init__(self, n, log=None, crash_at=-1, fail_at=-1, delay=0.0, segv_at=-1, segv_mark=None):
              self.n = n
              self.log = log
              self.crash_at = crash_at
              self.segv_at = segv_at
              self.segv_mark = segv_mark
              self.fail_at = fail_at
              self.delay = delay
              self.epoch = 0

          def __len__(self):
              return self.n

          def __getitem__(self, i):
              _log(self.log, "%d %d %d" % (os.getpid(), self.epoch, i))
              if i == self.crash_at:
                  print("about to crash in __getitem__(%d)" % i, file=sys.stderr, flush=True)
                  os._exit(3)
              if i == self.segv_at and not os.path.exists(self.segv_mark):
                  # A crash inside a C extension, once: SIGSEGV from reading address 0.
                  open(self.segv_mark, "w").close()
                  import ctypes

                  ctypes.string_at(0)
              if i == self.fail_at:
                  raise ValueError("bad index %d" % i)
              if self.delay:
                  time.sleep(self.delay)
              x = np.full((2, 3), i, dtype=np.float32)
              y = np.array([i, self.epoch, os.getpid()], dtype=np.int64)
              return x, y

          def on_epoch_end(self):
              self.epoch += 1


      class Locked(Numbered):
          \"\"\"A Numbered that holds a lock and a running generator, as keras_preprocessing's
          iterators do; __getitem__ uses neither.\"\"\"

          def __init__(self, n, **kwargs):
              super().__init__(n, **kwargs)
              import threading

              self.lock = threading.Lock()
              self.flow = self._flow()
              next(self.flow)

          def _flow(self):
              while True:
                  yield self.epoch


      class Unpicklable(Numbered):
          \"\"\"A Numbered that refuses to be pickled (by pickle and cloudpickle alike).\"\"\"

          def __reduce_ex__(self, protocol):
              raise TypeError("Unpicklable refuses pickling")


      def image_flow(n=24, batch_size=4):
          \"\"\"keras_preprocessing's ImageDataGenerator().flow(x, y): a NumpyArrayIterator, shuffled
          per epoch; y is the sample number.\"\"\"
          from keras_preprocessing.image import ImageDataGenerator

          x = np.random.RandomState(0).rand(n, 4, 4, 1).astype(np.float32)
          y = np.arange(n, dtype=np.int64)
          return ImageDataGenerator(horizontal_flip=True).flow(x, y, batch_size=batch_size, seed=3)


      def big(mb=4):
          \"\"\"Batches of `mb` MB of float32.\"\"\"
          x = np.zeros((mb * 262144,), np.float32)
          while True:
              yield x, np.array([1], np.int64)


      def gen(n=-1, log=None, fail_at=-1):
          \"\"\"Yields x = [[random.random(), np.random.rand()]] and y = [k, pid].\"\"\"
          k = 0
          while n < 0 or k < n:
              _log(log, "%d %d" % (os.getpid(), k))
              if k == fail_at:
                  raise KeyError("generator failed at %d" % k)
              x = np.array([[random.random(), np.random.rand()]], dtype=np.float64)
              yield x, np.array([k, os.getpid()], dtype=np.int64)
              k += 1


      def busy(n=-1, work=20000):
          \"\"\"A pure-Python, GIL-bound generator: `work` loop iterations per small batch.\"\"\"
          k = 0
          while n < 0 or k < n:
              acc = 0
              for j in range(work):
                  acc += j * j % 7
              yield np.array([[float(acc)]], dtype=np.float32), np.array([k], dtype=np.int32)
              k += 1


      def varying(n=60):
          \"\"\"Batch k changes layout: x of shape (k % 4 + 1, 3) float32 (k % 4 == 3: 2000 float64,
          a bigger slot), every fifth k a dict {"a": x}; y = [k].\"\"\"
          for k in range(n):
              if k % 4 == 3:
                  x = np.full((2000,), k, dtype=np.float64)
              else:
                  x = np.full((k % 4 + 1, 3), k, dtype=np.float32)
              yield ({"a": x} if k % 5 == 0 else x), np.array([k], dtype=np.int64)


      def bad():
          \"\"\"Yields one item Keras cannot use as a batch (strings).\"\"\"
          yield np.array(["a", "b"]), np.array([1, 2])


      _X = np.random.RandomState(0).rand(32, 784).astype(np.float32)
      _Y = np.eye(10, dtype=np.float32)[np.arange(32) % 10]


      def mnist_like():
          \"\"\"The same 32x784 float32 batch with one-hot labels, forever (transport cost only).\"\"\"
          while True:
              yield _X, _Y


      class MnistLike(Sequence):
          \"\"\"The same batch as mnist_like, by index.\"\"\"

          def __len__(self):
              return 1000

          def __getitem__(self, i):
              return _X, _Y
      """;

  /** Writes the fixture module {@code jk_fixtures.py} into {@code dir}. */
  static Path write(Path dir) throws IOException {
    Path f = dir.resolve("jk_fixtures.py");
    Files.writeString(f, MODULE);
    return f;
  }

  /** Alive and not a zombie (an orphan's zombie may wait for a reaper that never comes). */
  static boolean alive(long pid) {
    Path stat = Path.of("/proc/" + pid + "/stat");
    try {
      String s = Files.readString(stat);
      String state = s.substring(s.lastIndexOf(')') + 2, s.lastIndexOf(')') + 3);
      return !state.equals("Z") && !state.equals("X");
    } catch (IOException e) {
      return false;
    }
  }

  /** The files in /dev/shm whose names start with {@code jkeras-<pid>-}. */
  static List<Path> shmFiles(long jvmPid) throws IOException {
    Pattern p = Pattern.compile("jkeras-" + jvmPid + "-.*");
    List<Path> out = new ArrayList<>();
    try (var ds = Files.newDirectoryStream(Path.of("/dev/shm"))) {
      for (Path f : ds) if (p.matcher(f.getFileName().toString()).matches()) out.add(f);
    }
    return out;
  }

  /**
   * Slots held by batches handed out as views and not yet released, over all of {@code e}'s
   * workers.
   */
  static int heldSlots(ProcessEnqueuer e) {
    e.pool.lock.lock();
    try {
      return e.pool.workers().stream().mapToInt(WorkerProcess::heldSlots).sum();
    } finally {
      e.pool.lock.unlock();
    }
  }

  static List<String> lines(Path log) throws IOException {
    return Files.exists(log) ? Files.readAllLines(log) : List.of();
  }
}
