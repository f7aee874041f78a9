package jkeras.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import jkeras.internal.Warnings;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Npy} against golden files numpy wrote (src/test/resources/jkeras/data/npy, with the script
 * that made them) and in pure-Java round trips. The interop test in jkeras-python checks against a
 * live numpy.
 */
class NpyTest {
  @TempDir Path tmp;

  static Path fixture(String name) {
    try {
      return Path.of(NpyTest.class.getResource("/jkeras/data/npy/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static float[] range(int n) {
    float[] f = new float[n];
    for (int i = 0; i < n; i++) f[i] = i;
    return f;
  }

  /** The arrays of the fixtures whose dtype an NDArray has, so Java writes them byte for byte. */
  static Stream<Arguments> nativeFixtures() {
    return Stream.of(
        Arguments.of("f4_2x3.npy", NDArray.of(new float[] {0, .25f, .5f, .75f, 1, 1.25f}, 2, 3)),
        Arguments.of("f8_3.npy", NDArray.ofFloat64(new double[] {1.5, -2.25, 1e300})),
        Arguments.of(
            "i4_2x2.npy",
            NDArray.ofInts(new int[] {1, -2, Integer.MAX_VALUE, Integer.MIN_VALUE}, 2, 2)),
        Arguments.of("i8_0d.npy", NDArray.ofLongs(new long[] {-7}).reshape()),
        Arguments.of("b1_4.npy", NDArray.ofBooleans(new boolean[] {true, false, true, true})),
        Arguments.of("f4_0x3.npy", NDArray.zeros(0, 3)));
  }

  /** Fixtures numpy wrote in other byte orders, dtypes, memory orders or format versions. */
  static Stream<Arguments> convertedFixtures() {
    return Stream.of(
        Arguments.of("f8_be_3.npy", NDArray.ofFloat64(new double[] {1.5, -2.25, 1e300})),
        Arguments.of("u1_2x2.npy", NDArray.ofInts(new int[] {0, 255, 128, 7}, 2, 2)),
        Arguments.of("i1_3.npy", NDArray.ofInts(new int[] {-128, 0, 127})),
        Arguments.of("i2_be_3.npy", NDArray.ofInts(new int[] {-32768, 1, 32767})),
        Arguments.of("u2_2.npy", NDArray.ofInts(new int[] {0, 65535})),
        Arguments.of("u4_2.npy", NDArray.ofLongs(new long[] {0, 4_294_967_295L})),
        Arguments.of("u8_2.npy", NDArray.ofLongs(new long[] {0, Long.MAX_VALUE})),
        Arguments.of(
            "f2_6.npy",
            NDArray.of(
                new float[] {1, -0.5f, 65504, Float.POSITIVE_INFINITY, 0x1p-24f, Float.NaN})),
        Arguments.of("f4_fortran_2x3x2.npy", NDArray.of(range(12), 2, 3, 2)),
        Arguments.of("f4_v2.npy", NDArray.of(range(3))),
        Arguments.of("f4_v3.npy", NDArray.of(range(3))));
  }

  @Nested
  class ReadingNumpyFiles {
    @ParameterizedTest(name = "{0}")
    @MethodSource("jkeras.data.NpyTest#nativeFixtures")
    void readsTheDtypesAnNDArrayHas(String file, NDArray expected) throws IOException {
      NDArray a = Npy.load(fixture(file));
      assertThat(a).isEqualTo(expected);
      assertThat(a.isDirect()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jkeras.data.NpyTest#convertedFixtures")
    void convertsOtherOrdersDtypesAndVersions(String file, NDArray expected) throws IOException {
      assertThat(Npy.load(fixture(file))).isEqualTo(expected);
    }

    @Test
    void readsAnNpzInStoredOrder() throws IOException {
      for (String file : List.of("arrays.npz", "arrays_compressed.npz")) {
        Map<String, NDArray> m = Npy.loadNpz(fixture(file));
        assertThat(m.keySet()).containsExactly("x", "y", "flags");
        assertThat(m.get("x")).isEqualTo(NDArray.of(range(6), 3, 2));
        assertThat(m.get("y")).isEqualTo(NDArray.ofLongs(new long[] {0, 2, 1}));
        assertThat(m.get("flags")).isEqualTo(NDArray.ofBooleans(new boolean[] {true, false}));
        assertThatThrownBy(() -> m.remove("x")).isInstanceOf(UnsupportedOperationException.class);
      }
    }
  }

  @Nested
  class Rejecting {
    static Stream<Arguments> unsupported() {
      return Stream.of(
          Arguments.of(
              "object.npy", "jkeras does not load pickles, as np.load(allow_pickle=False)"),
          Arguments.of(
              "c8.npy",
              "holds dtype complex64 (descr '<c8'), which jkeras cannot read. Readable: float16,"),
          Arguments.of("str.npy", "holds dtype str (descr '<U2')"),
          Arguments.of("structured.npy", "holds a structured array"),
          Arguments.of(
              "u8_big.npy",
              "holds the uint64 value 18446744073709551615 at flat index 0, which does not fit in int64"),
          Arguments.of(
              "arrays.npz",
              "is an .npz archive (a zip file), not a .npy file; read it with Npy.loadNpz."));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unsupported")
    void unsupportedContentNamesTheFileAndTheReason(String file, String message) {
      assertThatThrownBy(() -> Npy.load(fixture(file)))
          .isInstanceOf(IOException.class)
          .hasMessageStartingWith(fixture(file).toString())
          .hasMessageContaining(message);
    }

    @Test
    void aNpyFileIsNotAnNpz() {
      assertThatThrownBy(() -> Npy.loadNpz(fixture("f4_2x3.npy")))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("is a .npy file, not an .npz archive; read it with Npy.load.");
    }

    @Test
    void otherFilesAreNotNpz() throws IOException {
      Path f = Files.writeString(tmp.resolve("x.npz"), "hello, world");
      assertThatThrownBy(() -> Npy.loadNpz(f))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("Cannot read " + f + " as an .npz archive (a zip file)");
    }

    @Test
    void aFileWithoutTheMagicIsNotNpy() throws IOException {
      Path text = Files.writeString(tmp.resolve("a.npy"), "1,2,3\n");
      assertThatThrownBy(() -> Npy.load(text))
          .isInstanceOf(IOException.class)
          .hasMessageContaining(
              "is not a .npy file: it does not start with numpy's magic string \\x93NUMPY (found 0x312c322c330a)");
      Path empty = Files.write(tmp.resolve("e.npy"), new byte[0]);
      assertThatThrownBy(() -> Npy.load(empty)).hasMessageContaining("(found an empty file)");
      Path pickle = Files.write(tmp.resolve("p.npy"), new byte[] {(byte) 0x80, 4, (byte) 0x95});
      assertThatThrownBy(() -> Npy.load(pickle))
          .hasMessageContaining("is a Python pickle, not a .npy file");
    }

    @Test
    void aTruncatedFileSaysHowMuchDataIsMissing() throws IOException {
      byte[] full = Files.readAllBytes(fixture("f4_2x3.npy"));
      Path f = Files.write(tmp.resolve("t.npy"), Arrays.copyOf(full, full.length - 5));
      assertThatThrownBy(() -> Npy.load(f))
          .isInstanceOf(IOException.class)
          .hasMessage(f + " is truncated: its header promises 24 bytes of data, found 19.");
      for (int length : new int[] {7, 9, 40}) {
        Path header = Files.write(tmp.resolve("h" + length + ".npy"), Arrays.copyOf(full, length));
        assertThatThrownBy(() -> Npy.load(header))
            .hasMessageStartingWith(header + " is truncated: it ends inside the .npy ");
      }
    }

    @Test
    void anUnknownFormatVersionIsRejected() throws IOException {
      byte[] b = Files.readAllBytes(fixture("f4_2x3.npy"));
      b[6] = 4;
      Path f = Files.write(tmp.resolve("v4.npy"), b);
      assertThatThrownBy(() -> Npy.load(f))
          .hasMessageContaining(
              "has .npy format version 4.0, which jkeras cannot read (numpy writes 1.0, 2.0 and 3.0).");
    }

    static Stream<Arguments> badHeaders() {
      return Stream.of(
          Arguments.of("{'descr': '<f4', 'shape': (2,), }", "expected the keys"),
          Arguments.of(
              "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'x': 1}",
              "expected the keys"),
          Arguments.of(
              "{'descr': '<f4', 'fortran_order': 0, 'shape': (2,), }",
              "'fortran_order' is not True or False"),
          Arguments.of(
              "{'descr': '<f4', 'fortran_order': False, 'shape': (-2,), }",
              "'shape' is not a tuple of non-negative"),
          Arguments.of(
              "{'descr': '<f4', 'fortran_order': False, 'shape': 2, }", "'shape' is not a tuple"),
          Arguments.of("{'descr': '<f4', 'fortran_order': False, 'shape': (2,)", "unexpected end"),
          Arguments.of("['descr']", "it is not a dict"),
          Arguments.of("{'descr': <f4}", "unexpected '<'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badHeaders")
    void aMalformedHeaderIsReportedWithTheHeader(String dict, String why) throws IOException {
      Path f = tmp.resolve("bad.npy");
      Files.write(f, npyBytes(dict, new byte[8]));
      assertThatThrownBy(() -> Npy.load(f))
          .isInstanceOf(IOException.class)
          .hasMessageContaining(f + " has a malformed .npy header: " + why)
          .hasMessageContaining("Header: " + dict);
    }

    @Test
    void anArrayTooLargeForAnNDArrayIsRejectedBeforeReading() throws IOException {
      Path f = tmp.resolve("big.npy");
      Files.write(
          f,
          npyBytes(
              "{'descr': '<f4', 'fortran_order': False, 'shape': (100000, 100000), }",
              new byte[0]));
      assertThatThrownBy(() -> Npy.load(f))
          .hasMessageContaining(
              "holds an array of shape (100000, 100000); an NDArray holds at most");
    }
  }

  /** A version 1.0 file with the given header dict (unpadded) and data. */
  private static byte[] npyBytes(String dict, byte[] data) {
    byte[] h = (dict + "\n").getBytes(StandardCharsets.ISO_8859_1);
    ByteBuffer b = ByteBuffer.allocate(10 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0})
        .putShort((short) h.length)
        .put(h)
        .put(data);
    return b.array();
  }

  @Nested
  class Writing {
    @ParameterizedTest(name = "{0}")
    @MethodSource("jkeras.data.NpyTest#nativeFixtures")
    void writesTheBytesNumpyWrites(String file, NDArray array) throws IOException {
      Path f = tmp.resolve(file);
      Npy.save(f, array);
      assertThat(Files.readAllBytes(f)).isEqualTo(Files.readAllBytes(fixture(file)));
    }

    static Stream<long[]> shapes() {
      return Stream.of(
          new long[0],
          new long[] {0},
          new long[] {7},
          new long[] {123456789, 0},
          new long[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1});
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void headersAreAlignedTo64BytesAndEndInANewline(long[] shape) {
      byte[] h = Npy.header(NDArray.zeros(shape));
      assertThat(h.length % 64).isZero();
      assertThat(h[h.length - 1]).isEqualTo((byte) '\n');
      assertThat(h[6]).isEqualTo((byte) 1);
      int declared = (h[8] & 0xff) | (h[9] & 0xff) << 8;
      assertThat(declared).isEqualTo(h.length - 10);
    }

    @Test
    void aHeaderTooLongForVersion1UsesVersion2() throws IOException {
      long[] shape = new long[30000];
      Arrays.fill(shape, 1);
      NDArray a = NDArray.ones(1).reshape(shape);
      byte[] h = Npy.header(a);
      assertThat(h[6]).isEqualTo((byte) 2);
      assertThat(h.length % 64).isZero();
      Path f = tmp.resolve("v2.npy");
      Npy.save(f, a);
      assertThat(Npy.load(f)).isEqualTo(a);
    }

    @Test
    void savingReplacesAnExistingFile() throws IOException {
      Path f = tmp.resolve("a.npy");
      Npy.save(f, NDArray.zeros(1000));
      Npy.save(f, NDArray.ofInts(new int[] {4}));
      assertThat(Npy.load(f)).isEqualTo(NDArray.ofInts(new int[] {4}));
      assertThat(Files.size(f)).isEqualTo(128 + 4);
    }

    @Test
    void savezStoresAndSavezCompressedDeflatesOneEntryPerKeyInMapOrder() throws IOException {
      Map<String, NDArray> arrays = new LinkedHashMap<>();
      arrays.put("x", NDArray.of(range(6), 3, 2));
      arrays.put("y", NDArray.ofLongs(new long[] {0, 2, 1}));
      arrays.put("flags", NDArray.ofBooleans(new boolean[] {true, false}));
      for (boolean compressed : new boolean[] {false, true}) {
        Path f = tmp.resolve(compressed ? "c.npz" : "s.npz");
        if (compressed) Npy.savezCompressed(f, arrays);
        else Npy.savez(f, arrays);
        List<String> names = new ArrayList<>();
        try (ZipFile z = new ZipFile(f.toFile())) {
          z.stream()
              .forEach(
                  e -> {
                    names.add(e.getName());
                    assertThat(e.getMethod())
                        .isEqualTo(compressed ? ZipEntry.DEFLATED : ZipEntry.STORED);
                  });
          // each entry is what Npy.save writes for the array
          Path one = tmp.resolve("one.npy");
          Npy.save(one, arrays.get("x"));
          assertThat(z.getInputStream(z.getEntry("x.npy")).readAllBytes())
              .isEqualTo(Files.readAllBytes(one));
        }
        assertThat(names).containsExactly("x.npy", "y.npy", "flags.npy");
        assertThat(Npy.loadNpz(f)).containsExactlyEntriesOf(arrays);
      }
    }

    @Test
    void anEmptyMapMakesAnEmptyArchive() throws IOException {
      Path f = tmp.resolve("e.npz");
      Npy.savez(f, Map.of());
      assertThat(Npy.loadNpz(f)).isEmpty();
    }

    @Test
    void savezRejectsEmptyNamesBeforeWriting() {
      Path f = tmp.resolve("bad.npz");
      assertThatThrownBy(() -> Npy.savez(f, Map.of("", NDArray.zeros(1))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(
              "Expected the keys of `arrays` to be non-empty names. Received: \"\"");
      assertThat(f).doesNotExist();
    }

    @Test
    void entriesThatAreNotNpyAreSkippedWithAWarning() throws Exception {
      Path f = tmp.resolve("mixed.npz");
      try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(f))) {
        z.putNextEntry(new ZipEntry("meta.json"));
        z.write("{}".getBytes(StandardCharsets.UTF_8));
        z.putNextEntry(new ZipEntry("a.npy"));
        z.write(Files.readAllBytes(fixture("i8_0d.npy")));
      }
      List<String> warnings = new ArrayList<>();
      try (AutoCloseable l = Warnings.listen(warnings::add)) {
        assertThat(Npy.loadNpz(f).keySet()).containsExactly("a");
      }
      assertThat(warnings).containsExactly("Skipping `meta.json` in " + f + ": not a .npy file.");
    }

    @Test
    void aBadEntryIsNamedInsideTheArchive() throws Exception {
      Path f = tmp.resolve("obj.npz");
      try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(f))) {
        z.putNextEntry(new ZipEntry("o.npy"));
        z.write(Files.readAllBytes(fixture("object.npy")));
      }
      assertThatThrownBy(() -> Npy.loadNpz(f))
          .hasMessageStartingWith(f + ":o.npy holds Python objects");
    }
  }

  @Nested
  class RoundTrips {
    static Stream<NDArray> arrays() {
      double[] many = new double[100_003]; // several 64 KiB chunks, the last one partial
      for (int i = 0; i < many.length; i++) many[i] = Math.sin(i) * 1e-3;
      int[] ints = new int[40_001];
      for (int i = 0; i < ints.length; i++) ints[i] = i * 7919 - 1_000_000;
      boolean[] bools = new boolean[70_001];
      for (int i = 0; i < bools.length; i++) bools[i] = i % 3 == 0;
      return Stream.of(
          NDArray.ofFloat64(many, 100_003, 1),
          NDArray.ofInts(ints),
          NDArray.ofLongs(new long[] {Long.MIN_VALUE, -1, Long.MAX_VALUE}, 3, 1),
          NDArray.ofBooleans(bools),
          NDArray.of(new float[] {Float.NaN, Float.NEGATIVE_INFINITY, -0f, Float.MIN_VALUE}, 2, 2),
          NDArray.scalar(3.5f),
          NDArray.zeros(2, 0, 3));
    }

    @ParameterizedTest
    @MethodSource("arrays")
    void loadGivesBackWhatSaveWrote(NDArray a) throws IOException {
      Path f = tmp.resolve("r.npy");
      Npy.save(f, a);
      assertThat(Npy.load(f)).isEqualTo(a);
    }

    @Test
    void directArraysAreWrittenLikeHeapArrays() throws IOException {
      ByteBuffer b = ByteBuffer.allocateDirect(12).order(ByteOrder.nativeOrder());
      b.asFloatBuffer().put(new float[] {1.5f, -2f, 3f});
      Path f = tmp.resolve("d.npy");
      Npy.save(f, NDArray.wrapDirect(b, DType.FLOAT32, 3, 1));
      assertThat(Npy.load(f)).isEqualTo(NDArray.of(new float[] {1.5f, -2f, 3f}, 3, 1));
      // a direct bool may hold any non-zero byte for true; the file holds numpy's 1
      ByteBuffer z =
          ByteBuffer.allocateDirect(3).order(ByteOrder.nativeOrder()).put(new byte[] {0, 2, 1});
      Npy.save(f, NDArray.wrapDirect(z.flip(), DType.BOOL, 3));
      byte[] bytes = Files.readAllBytes(f);
      assertThat(Arrays.copyOfRange(bytes, bytes.length - 3, bytes.length))
          .containsExactly(0, 1, 1);
    }
  }
}
