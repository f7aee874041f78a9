package jkeras.python;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import jep.Interpreter;
import jep.python.PyObject;
import jkeras.data.NDArray;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("python")
class PythonRuntimeTest {
  @Test
  void oneInterpreterPerThreadSharedByNestedOpens() {
    PythonRuntime rt = PythonRuntime.get();
    try (Interpreter a = rt.openInterpreter()) {
      a.exec("import numpy as np; _v = int(np.arange(5).sum())");
      try (Interpreter b = rt.openInterpreter()) {
        // the same interpreter: globals are shared
        assertThat(b.getValue("_v")).isEqualTo(10L);
        assertThat(rt.openInterpreters()).isEqualTo(1);
      }
      assertThat(a.getValue("_v")).isEqualTo(10L);
    }
    assertThat(rt.openInterpreters()).isZero();
    assertThat(rt.hasInterpreter()).isFalse();
  }

  @Test
  void theVenvIsActiveAndJkerasIsThePythonPackage() {
    try (Interpreter py = PythonRuntime.get().openInterpreter()) {
      py.exec("import sys, jkeras.bridge, numpy");
      assertThat((String) py.getValue("sys.prefix"))
          .isEqualTo(PythonRuntime.get().environment().venv().toString());
      assertThat((String) py.getValue("numpy.__file__"))
          .startsWith(PythonRuntime.get().environment().sitePackages().toString());
      assertThat((String) py.getValue("jkeras.bridge.__file__")).endsWith("bridge.py");
      assertThat(py.getValue("jkeras.keras_shim.installed()")).isEqualTo(true);
    }
  }

  @Test
  void aHandleMustBeClosedOnItsThread() throws Exception {
    Interpreter py = PythonRuntime.get().openInterpreter();
    Throwable t =
        CompletableFuture.supplyAsync(
                () -> {
                  try {
                    py.close();
                    return null;
                  } catch (Throwable e) {
                    return e;
                  }
                })
            .get();
    assertThat(t)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("must be closed on the thread that opened it");
    py.close();
    assertThat(PythonRuntime.get().openInterpreters()).isZero();
  }

  @Test
  void objectsFromAnInterpreterCanBeWrapped() throws Exception {
    AutoCloseable wrapped;
    try (Interpreter py = PythonRuntime.get().openInterpreter()) {
      py.exec(
          "import numpy as np\ndef _g():\n    for i in range(3):\n        yield np.full((1, 2), i, np.float32), np.zeros((1, 1))\n_gen = _g()");
      wrapped = Python.wrap(py.getValue("_gen", PyObject.class));
    }
    // usable from another thread after the interpreter that made it is closed
    PythonGenerator gen = (PythonGenerator) wrapped;
    List<Float> firsts =
        CompletableFuture.supplyAsync(
                () -> {
                  List<Float> out = new java.util.ArrayList<>();
                  while (gen.hasNext()) out.add(((NDArray) gen.next().x()).getFloat(0, 0));
                  return out;
                })
            .get();
    assertThat(firsts).containsExactly(0f, 1f, 2f);
    gen.close();
    assertThat(PythonRuntime.get().openInterpreters()).isZero();
  }

  @Test
  void wrapNeedsTheOwningThread() {
    assertThatThrownBy(() -> Python.wrap(null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("must run on the thread whose interpreter");
  }
}
