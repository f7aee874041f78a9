package jkeras.python;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import jkeras.data.DType;
import jkeras.data.NDArray;
import jkeras.data.Npy;
import jkeras.utils.NpUtils;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Npy}, {@link NpUtils} and NDArray's numpy operations against the venv's real numpy and
 * tf-keras, each side run as its own process ({@code .venv/bin/python -c ...}, no Jep): numpy
 * writes and Java reads, Java writes and numpy reads, and Keras' {@code to_categorical} / {@code
 * normalize} compute what NpUtils must.
 */
@Tag("python")
class NpyInteropTest {
  @TempDir Path dir;

  /**
   * Runs {@code script} with the venv's Python in {@link #dir}; returns its output, failing on a
   * non-zero exit.
   */
  private String python(String script) throws IOException, InterruptedException {
    Path exe = PythonEnvironment.discover().pythonExecutable();
    ProcessBuilder pb =
        new ProcessBuilder(exe.toString(), "-c", script)
            .directory(dir.toFile())
            .redirectErrorStream(true);
    pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "3");
    pb.environment().put("CUDA_VISIBLE_DEVICES", "");
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(300, TimeUnit.SECONDS)).as("python finished").isTrue();
    String text = new String(out, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as("python exit status; output:%n%s", text).isZero();
    return text;
  }

  @Test
  void javaReadsWhatNumpyWrites() throws Exception {
    // Each case_<k>.npy is what numpy wrote; want_<k>.npy the values as jkeras should see them
    // (converted dtype, C order, little-endian), which numpy writes in the layout Java reads
    // natively.
    python(
        """
        import numpy as np
        rng = np.random.default_rng(0)
        target = dict(f2='f4', f4='f4', f8='f8', i1='i4', i2='i4', i4='i4', i8='i8',
                      u1='i4', u2='i4', u4='i8', u8='i8', b1='?')
        cases = {}
        def add(name, a, kind):
            cases[name] = (a, a.astype('?' if kind == 'b1' else '<' + target[kind], order='C'))
        for kind in target:
            for order in ('<', '>'):
                t = ('|' if kind[1] == '1' else order) + kind
                if kind == 'b1':
                    a = rng.random((3, 4)) > 0.5
                elif kind[0] == 'f':
                    a = (rng.standard_normal((3, 4)) * 100).astype(t)
                    a[0, 0] = np.inf
                    a[0, 1] = -0.0
                else:
                    info = np.iinfo(t)
                    hi = min(int(info.max), 2**63 - 1)
                    a = rng.integers(info.min, hi, (3, 4), endpoint=True).astype(t)
                    a[0, 0], a[0, 1] = info.min, hi
                add(f'{kind}_{order == ">" and "be" or "le"}', a, kind)
                add(f'{kind}_{order == ">" and "be" or "le"}_fortran', np.asfortranarray(a.reshape(2, 3, 2)), kind)
        add('scalar_f4_be', np.array(3.25, '>f4'), 'f4')
        add('scalar_u1', np.array(7, '|u1'), 'u1')
        add('empty_i2_be', np.zeros((0, 5), '>i2'), 'i2')
        add('empty_fortran', np.asfortranarray(np.zeros((2, 0, 3))), 'f8')
        big = rng.standard_normal((300, 500)).astype('<f4')
        add('big', big, 'f4')
        add('big_be_fortran', np.asfortranarray(big.astype('>f4')), 'f4')
        for name, (a, want) in cases.items():
            np.save(f'case_{name}.npy', a)
            np.save(f'want_{name}.npy', want)
        for version in (2, 3):
            a = rng.standard_normal((4, 2)).astype('>f8')
            with open(f'case_v{version}.npy', 'wb') as f:
                np.lib.format.write_array(f, a, version=(version, 0))
            np.save(f'want_v{version}.npy', a.astype('<f8'))
            cases[f'v{version}'] = None
        npz = {k: cases[k][0] for k in ('f4_be', 'u1_le', 'b1_le', 'scalar_f4_be', 'i8_be_fortran', 'empty_i2_be')}
        np.savez('stored.npz', **npz)
        np.savez_compressed('compressed.npz', **npz)
        open('cases.txt', 'w').write(' '.join(cases))
        open('npz.txt', 'w').write(' '.join(npz))
        """);
    String[] cases = Files.readString(dir.resolve("cases.txt")).split(" ");
    assertThat(cases).hasSizeGreaterThan(50);
    for (String c : cases) {
      NDArray got = Npy.load(dir.resolve("case_" + c + ".npy"));
      NDArray want = Npy.load(dir.resolve("want_" + c + ".npy"));
      assertThat(got).as(c).isEqualTo(want);
    }
    String[] keys = Files.readString(dir.resolve("npz.txt")).split(" ");
    for (String archive : List.of("stored.npz", "compressed.npz")) {
      Map<String, NDArray> m = Npy.loadNpz(dir.resolve(archive));
      assertThat(m.keySet()).as(archive).containsExactly(keys);
      for (String k : keys)
        assertThat(m.get(k))
            .as(archive + ":" + k)
            .isEqualTo(Npy.load(dir.resolve("want_" + k + ".npy")));
    }
  }

  @Test
  void numpyReadsWhatJavaWrites() throws Exception {
    Random r = new Random(42);
    Map<String, NDArray> arrays = new LinkedHashMap<>();
    float[] f = new float[70_001]; // several 64 KiB chunks
    for (int i = 0; i < f.length; i++) f[i] = (float) r.nextGaussian();
    f[0] = Float.NaN;
    f[1] = -0f;
    f[2] = Float.NEGATIVE_INFINITY;
    arrays.put("f4", NDArray.of(f, 70_001, 1));
    double[] d = new double[12];
    for (int i = 0; i < d.length; i++) d[i] = r.nextGaussian() * 1e200;
    arrays.put("f8", NDArray.ofFloat64(d, 2, 3, 2));
    arrays.put("i4", NDArray.ofInts(new int[] {Integer.MIN_VALUE, -1, 0, Integer.MAX_VALUE}, 2, 2));
    arrays.put("i8", NDArray.ofLongs(new long[] {Long.MIN_VALUE, 1L << 40, Long.MAX_VALUE}));
    arrays.put(
        "b1", NDArray.ofBooleans(new boolean[] {true, false, false, true, true, false}, 3, 2));
    arrays.put("scalar", NDArray.scalar(-2.5f));
    arrays.put("scalar_i8", NDArray.ofLongs(new long[] {9}).reshape());
    arrays.put("empty", NDArray.zeros(2, 0, 3));
    ByteBuffer direct = ByteBuffer.allocateDirect(24).order(ByteOrder.nativeOrder());
    direct.asDoubleBuffer().put(new double[] {0.5, -1, 3});
    arrays.put("direct_f8", NDArray.wrapDirect(direct, DType.FLOAT64, 3, 1));
    StringJoiner names = new StringJoiner(" ");
    for (Map.Entry<String, NDArray> e : arrays.entrySet()) {
      Npy.save(dir.resolve(e.getKey() + ".npy"), e.getValue());
      Files.writeString(dir.resolve(e.getKey() + ".txt"), describe(e.getValue()));
      names.add(e.getKey());
    }
    Files.writeString(dir.resolve("names.txt"), names.toString());
    Map<String, NDArray> small = new LinkedHashMap<>(arrays);
    small.remove("f4");
    Npy.savez(dir.resolve("stored.npz"), small);
    Npy.savezCompressed(dir.resolve("compressed.npz"), arrays);
    String out =
        python(
            """
        import io, zipfile
        import numpy as np
        def expected(name):
            dtype, shape, values = open(name + '.txt').read().split('\\n')
            shape = tuple(int(s) for s in shape.split())
            v = [int(s) for s in values.split()]
            bits = dict(float32=np.int32, float64=np.int64, bool=np.int8)
            a = np.array(v, dtype=bits.get(dtype, dtype))
            a = a.view(dtype) if dtype.startswith('float') else a.astype(dtype)
            return a.reshape(shape)
        def check(label, got, want):
            assert got.dtype == want.dtype, (label, got.dtype, want.dtype)
            assert got.shape == want.shape, (label, got.shape, want.shape)
            assert got.tobytes() == want.tobytes(), (label, got, want)
        names = open('names.txt').read().split()
        for name in names:
            want = expected(name)
            check(name, np.load(name + '.npy'), want)
            b = io.BytesIO()
            np.save(b, want)
            assert open(name + '.npy', 'rb').read() == b.getvalue(), name + ': not the bytes np.save writes'
        for archive, keys, method in (('stored.npz', [n for n in names if n != 'f4'], zipfile.ZIP_STORED),
                                      ('compressed.npz', names, zipfile.ZIP_DEFLATED)):
            with np.load(archive) as z:
                assert z.files == keys, (archive, z.files)
                for k in keys:
                    check(archive + ':' + k, z[k], expected(k))
            with zipfile.ZipFile(archive) as zf:
                assert zf.testzip() is None
                assert [i.compress_type for i in zf.infolist()] == [method] * len(keys), archive
        print('checked', len(names))
        """);
    assertThat(out).contains("checked " + arrays.size());
  }

  /**
   * dtype, shape and values (floats as their bits) on three lines, for the Python side to rebuild.
   */
  private static String describe(NDArray a) {
    StringJoiner shape = new StringJoiner(" ");
    for (long s : a.shape()) shape.add(Long.toString(s));
    StringBuilder v = new StringBuilder();
    switch (a.dtype()) {
      case FLOAT32 -> {
        for (float x : a.toFloatArray()) v.append(Float.floatToRawIntBits(x)).append(' ');
      }
      case FLOAT64 -> {
        for (double x : a.toDoubleArray()) v.append(Double.doubleToRawLongBits(x)).append(' ');
      }
      default -> {
        for (long x : a.toLongArray()) v.append(x).append(' ');
      }
    }
    return a.dtype().kerasName() + "\n" + shape + "\n" + v.toString().strip();
  }

  /** One call of Keras (as a Python expression on {@code a}) and the same call in jkeras. */
  private record KerasCase(
      String name, NDArray input, String keras, UnaryOperator<NDArray> jkeras) {}

  @Test
  void toCategoricalAndNormalizeMatchTfKeras() throws Exception {
    Random r = new Random(7);
    int[] digits = new int[1797];
    for (int i = 0; i < digits.length; i++) digits[i] = r.nextInt(10);
    float[] pixels =
        new float[1797 * 64]; // sklearn's digits: 0..16 intensities, some rows all zero
    for (int i = 0; i < pixels.length; i++) pixels[i] = i / 64 % 50 == 0 ? 0 : r.nextInt(17);
    double[] g = new double[24];
    for (int i = 0; i < g.length; i++) g[i] = r.nextGaussian() * 3;
    float[] g32 = new float[24];
    for (int i = 0; i < g.length; i++) g32[i] = (float) g[i];
    g32[3] = g32[4] = g32[5] = 0; // a zero row in a (8, 3) view
    List<KerasCase> cases =
        List.of(
            new KerasCase(
                "docstring",
                NDArray.of(new int[] {0, 2, 1, 2, 0}),
                "to_categorical(a)",
                NpUtils::toCategorical),
            new KerasCase(
                "digits",
                NDArray.of(digits),
                "to_categorical(a, 10)",
                y -> NpUtils.toCategorical(y, 10)),
            new KerasCase(
                "column",
                NDArray.ofLongs(new long[] {3, 0, 1, 4, 2, 2}, 6, 1),
                "to_categorical(a, num_classes=5)",
                y -> NpUtils.toCategorical(y, 5)),
            new KerasCase(
                "floats",
                NDArray.of(new float[] {0f, 1.9f, 2.5f, -0.5f}),
                "to_categorical(a)",
                NpUtils::toCategorical),
            new KerasCase(
                "matrix_int32",
                NDArray.ofInts(new int[] {0, 3, 1, 2, 2, 0}, 2, 3),
                "to_categorical(a, 4, dtype='int32')",
                y -> NpUtils.toCategorical(y, 4, DType.INT32)),
            new KerasCase(
                "scalar",
                NDArray.ofLongs(new long[] {2}).reshape(),
                "to_categorical(a, num_classes=3)",
                y -> NpUtils.toCategorical(y, 3)),
            new KerasCase(
                "bools_f8",
                NDArray.ofBooleans(new boolean[] {true, false, true}),
                "to_categorical(a, dtype='float64')",
                y -> NpUtils.toCategorical(y, null, DType.FLOAT64)),
            new KerasCase(
                "trailing_one_bool",
                NDArray.ofInts(new int[] {1, 0, 2, 2, 1, 0}, 2, 3, 1),
                "to_categorical(a, num_classes=0, dtype='bool')",
                y -> NpUtils.toCategorical(y, 0, DType.BOOL)),
            new KerasCase(
                "two_ones",
                NDArray.ofLongs(new long[] {1, 0, 1, 1}, 4, 1, 1),
                "to_categorical(a, dtype='int64')",
                y -> NpUtils.toCategorical(y, null, DType.INT64)),
            new KerasCase(
                "empty",
                NDArray.ofLongs(new long[0]),
                "to_categorical(a, num_classes=3)",
                y -> NpUtils.toCategorical(y, 3)),
            new KerasCase("rows", NDArray.of(g32, 8, 3), "normalize(a)", NpUtils::normalize),
            new KerasCase(
                "columns",
                NDArray.of(g32, 8, 3),
                "normalize(a, axis=0)",
                x -> NpUtils.normalize(x, 0, 2)),
            new KerasCase(
                "l1_f8",
                NDArray.ofFloat64(g, 6, 4),
                "normalize(a, order=1)",
                x -> NpUtils.normalize(x, -1, 1)),
            new KerasCase(
                "l0_f8",
                NDArray.ofFloat64(g, 6, 4),
                "normalize(a, axis=-2, order=0)",
                x -> NpUtils.normalize(x, -2, 0)),
            new KerasCase(
                "l3_cube",
                NDArray.of(g32, 2, 3, 4),
                "normalize(a, 1, 3)",
                x -> NpUtils.normalize(x, 1, 3)),
            new KerasCase(
                "int32",
                NDArray.ofInts(new int[] {3, 4, 0, 0, -5, 12}, 3, 2),
                "normalize(a)",
                NpUtils::normalize),
            new KerasCase(
                "bools",
                NDArray.ofBooleans(new boolean[] {true, true, false, true}, 2, 2),
                "normalize(a)",
                NpUtils::normalize),
            new KerasCase(
                "pixels", NDArray.of(pixels, 1797, 64), "normalize(a)", NpUtils::normalize));
    Map<String, NDArray> inputs = new LinkedHashMap<>();
    StringJoiner calls = new StringJoiner(",\n", "{\n", "}");
    for (KerasCase c : cases) {
      inputs.put(c.name(), c.input());
      calls.add("    '" + c.name() + "': \"" + c.keras() + "\"");
    }
    Npy.savez(dir.resolve("inputs.npz"), inputs);
    python(
        "import numpy as np\n"
            + "from tf_keras.utils import to_categorical, normalize\n"
            + "calls = "
            + calls
            + "\n"
            + """
        with np.load('inputs.npz') as z:
            out = {k: eval(expr, dict(to_categorical=to_categorical, normalize=normalize, a=z[k])) for k, expr in calls.items()}
        np.savez('outputs.npz', **out)
        """);
    Map<String, NDArray> keras = Npy.loadNpz(dir.resolve("outputs.npz"));
    for (KerasCase c : cases) {
      NDArray want = keras.get(c.name());
      NDArray got = c.jkeras().apply(c.input());
      assertThat(got.dtype()).as("%s: dtype of %s", c.name(), c.keras()).isEqualTo(want.dtype());
      assertThat(got.shape())
          .as("%s: shape of %s", c.name(), c.keras())
          .containsExactly(want.shape());
      if (c.keras().startsWith("to_categorical")) {
        assertThat(got).as(c.name()).isEqualTo(want);
      } else {
        double[] w = want.toDoubleArray();
        double[] actual = got.toDoubleArray();
        // float32 norms: numpy sums in float32, jkeras in double; a few float32 ulps apart at most
        double tol = got.dtype() == DType.FLOAT32 ? 1e-6 : 1e-12;
        for (int i = 0; i < w.length; i++) {
          assertThat(actual[i])
              .as("%s[%d]", c.name(), i)
              .isCloseTo(w[i], within(tol * Math.max(1, Math.abs(w[i]))));
        }
      }
    }
  }

  @Test
  void astypeScalarArithmeticAndArgmaxMatchNumpy() throws Exception {
    Map<String, NDArray> inputs = new LinkedHashMap<>();
    float[] f = {-2.75f, 0.5f, 3f, 255f, -0.25f, 1e9f, 7.5f, 3f, -1e-3f, 0f, 12.125f, -300.5f};
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) d[i] = f[i] * 1.000001;
    inputs.put("f4", NDArray.of(f, 3, 4));
    inputs.put("f8", NDArray.ofFloat64(d, 3, 4));
    inputs.put(
        "i4",
        NDArray.ofInts(
            new int[] {255, -3, 0, 7, 7, 1 << 30, -(1 << 30), 16_777_217, 2, 2, 9, -9}, 3, 4));
    inputs.put(
        "i8",
        NDArray.ofLongs(
            new long[] {(1L << 40) + 3, -5, 0, 7, 7, 1L << 53, (1L << 53) + 1, -1, 4, 4, 2, 255},
            3,
            4));
    inputs.put(
        "b1",
        NDArray.ofBooleans(
            new boolean[] {
              true, false, false, true, false, false, true, true, false, true, false, false
            },
            3,
            4));
    float[] n = {1, Float.NaN, 3, Float.NaN, 2, 2, 0, -1, 5, 5, 5, 5};
    inputs.put("nan_f4", NDArray.of(n, 3, 4));
    Npy.savez(dir.resolve("inputs.npz"), inputs);
    python(
        """
        import numpy as np
        out = {}
        with np.load('inputs.npz') as z:
            for name in z.files:
                x = z[name]
                if not name.startswith('nan'):
                    for t in ('float32', 'float64', 'int32', 'int64', 'bool'):
                        out[f'{name}.astype.{t}'] = x.astype(t)
                out[f'{name}.divide'] = x / 255.0
                out[f'{name}.multiply'] = x * 0.3
                out[f'{name}.add'] = x + 1.5
                out[f'{name}.subtract'] = x - 2.0
                for axis in (0, 1, -1):
                    out[f'{name}.argmax.{axis}'] = np.argmax(x, axis=axis)
                out[f'{name}.argmax'] = np.array(np.argmax(x))
        np.savez('outputs.npz', **out)
        """);
    Map<String, NDArray> numpy = Npy.loadNpz(dir.resolve("outputs.npz"));
    List<String> checked = new ArrayList<>();
    for (Map.Entry<String, NDArray> e : numpy.entrySet()) {
      String[] p = e.getKey().split("\\.");
      NDArray x = inputs.get(p[0]);
      NDArray got =
          switch (p[1]) {
            case "astype" -> x.astype(DType.of(p[2]));
            case "divide" -> x.divide(255.0);
            case "multiply" -> x.multiply(0.3);
            case "add" -> x.add(1.5);
            case "subtract" -> x.subtract(2.0);
            case "argmax" ->
                p.length == 3
                    ? x.argmax(Integer.parseInt(p[2]))
                    : NDArray.ofLongs(new long[] {x.argmax()}).reshape();
            default -> throw new AssertionError(e.getKey());
          };
      assertThat(got).as(e.getKey()).isEqualTo(e.getValue());
      checked.add(e.getKey());
    }
    assertThat(checked).hasSize(5 * (5 + 4 + 4) + 1 * (4 + 4));
  }
}
