package jkeras.data;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import jkeras.internal.Warnings;

/**
 * numpy's {@code .npy} and {@code .npz} files, as {@code np.load}, {@code np.save}, {@code
 * np.savez} and {@code np.savez_compressed} read and write them: the format Python teams hand data
 * over in.
 *
 * <pre>{@code
 * NDArray x = Npy.load(Path.of("x_train.npy")).astype(DType.FLOAT32).divide(255.0);
 * Map<String, NDArray> d = Npy.loadNpz(Path.of("digits.npz"));       // keys in stored order
 * Npy.savez(Path.of("out.npz"), Map.of("x", x, "y", NpUtils.toCategorical(d.get("y"))));
 * }</pre>
 *
 * <p>Reading accepts format versions 1.0, 2.0 and 3.0, both byte orders, C and Fortran order (the
 * latter rearranged into the C order an {@link NDArray} has) and 0-d arrays. Element types map to
 * {@link DType} as follows; every conversion is exact:
 *
 * <table>
 *   <caption>numpy dtypes read</caption>
 *   <tr><th>stored</th><th>NDArray</th></tr>
 *   <tr><td>float32, float64, int32, int64, bool</td><td>the same</td></tr>
 *   <tr><td>float16</td><td>float32</td></tr>
 *   <tr><td>int8, int16, uint8, uint16</td><td>int32</td></tr>
 *   <tr><td>uint32, uint64</td><td>int64 (a uint64 value above 2<sup>63</sup>-1 is an error)</td></tr>
 * </table>
 *
 * <p>Object arrays, which numpy stores as pickles, are refused as {@code np.load} refuses them by
 * default ({@code allow_pickle=False}); so are complex, string, datetime and structured arrays.
 * Data is read and written in chunks of 64 KiB straight into and out of the array's values: a file
 * is never held in memory beside the array it becomes (a Fortran-order file is the exception:
 * rearranging it needs a second array).
 *
 * <p>Writing produces exactly the bytes {@code np.save} produces for the same array: a version 1.0
 * header padded to 64 bytes, little-endian values in C order. Unlike numpy, the path is used as
 * given: no {@code .npy} or {@code .npz} suffix is added. Malformed or unsupported files are {@link
 * IOException}s naming the file and what is wrong.
 */
public final class Npy {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

  /** numpy aligns the data to 64 bytes (np.lib.format.ARRAY_ALIGN). */
  private static final int ALIGN = 64;

  /** numpy pads the header so the first dimension can grow to 21 digits in place. */
  private static final int GROWTH_AXIS_DIGITS = 21;

  /** A header this long is not a .npy header; refuse before allocating for it. */
  private static final int MAX_HEADER_BYTES = 1 << 20;

  private static final int CHUNK_BYTES = 1 << 16;
  private static final int MAX_ELEMENTS = Integer.MAX_VALUE - 8; // the largest Java array
  private static final Set<String> HEADER_KEYS = Set.of("descr", "fortran_order", "shape");
  private static final String READABLE =
      "float16, float32, float64, int8, int16, int32, int64, uint8, uint16, uint32, uint64, bool";

  private Npy() {}

  /**
   * Reads a {@code .npy} file, as numpy's {@code np.load(file)}.
   *
   * @param file numpy's {@code file}: the {@code .npy} file to read
   * @throws IOException if the file cannot be read, is not a {@code .npy} file (an {@code .npz}
   *     archive is pointed to {@link #loadNpz}), holds pickled objects or a type listed as
   *     unsupported above, or is truncated
   */
  public static NDArray load(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      return read(ch, file.toString());
    }
  }

  /**
   * Writes {@code array} to a {@code .npy} file, as numpy's {@code np.save(file, arr)}, replacing
   * any file there.
   *
   * @param file numpy's {@code file}, used as given (numpy would append {@code .npy})
   * @param array numpy's {@code arr}
   */
  public static void save(Path file, NDArray array) throws IOException {
    Objects.requireNonNull(array, "array");
    try (FileChannel ch =
        FileChannel.open(
            file,
            StandardOpenOption.WRITE,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      write(ch, array);
    }
  }

  /**
   * Reads every array of an {@code .npz} archive, as numpy's {@code np.load(file)} on one: the keys
   * are the entry names without {@code .npy}, in the order the archive stores them. Entries that
   * are not {@code .npy} files are skipped with a warning (numpy would hand back their raw bytes).
   *
   * @param file numpy's {@code file}: an archive written by {@code np.savez}, {@code
   *     np.savez_compressed} or {@link #savez}
   * @return an unmodifiable, insertion-ordered map
   * @throws IOException as {@link #load}, for the archive or any of its arrays
   */
  public static Map<String, NDArray> loadNpz(Path file) throws IOException {
    if (startsWithMagic(file)) {
      throw new IOException(file + " is a .npy file, not an .npz archive; read it with Npy.load.");
    }
    ZipFile zip;
    try {
      zip = new ZipFile(file.toFile());
    } catch (ZipException e) {
      throw new IOException(
          "Cannot read " + file + " as an .npz archive (a zip file): " + e.getMessage(), e);
    }
    try (zip) {
      Map<String, NDArray> out = new LinkedHashMap<>();
      for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
        ZipEntry e = en.nextElement();
        if (e.isDirectory()) continue;
        String name = e.getName();
        if (!name.endsWith(".npy")) {
          Warnings.warn("Skipping `" + name + "` in " + file + ": not a .npy file.");
          continue;
        }
        try (InputStream in = zip.getInputStream(e)) {
          out.put(
              name.substring(0, name.length() - 4),
              read(Channels.newChannel(in), file + ":" + name));
        }
      }
      return Collections.unmodifiableMap(out);
    }
  }

  /**
   * Writes arrays to an uncompressed {@code .npz} archive, as numpy's {@code np.savez(file,
   * **arrays)}: one {@code <key>.npy} entry per array, in the map's iteration order (use a {@link
   * LinkedHashMap} to choose it).
   *
   * @param file numpy's {@code file}, used as given (numpy would append {@code .npz})
   * @param arrays numpy's keyword arguments: entry names (non-empty) to arrays
   */
  public static void savez(Path file, Map<String, NDArray> arrays) throws IOException {
    writeZip(file, arrays, false);
  }

  /**
   * Writes arrays to a deflate-compressed {@code .npz} archive, as numpy's {@code
   * np.savez_compressed(file, **arrays)}; otherwise as {@link #savez}.
   *
   * @param file numpy's {@code file}, used as given (numpy would append {@code .npz})
   * @param arrays numpy's keyword arguments: entry names (non-empty) to arrays
   */
  public static void savezCompressed(Path file, Map<String, NDArray> arrays) throws IOException {
    writeZip(file, arrays, true);
  }

  // ---------------------------------------------------------------------------------------------
  // Reading

  /** The element type as stored: numpy's kind character, its size in bytes and byte order. */
  private record Stored(char kind, int size, ByteOrder order) {
    DType target() {
      return switch (kind) {
        case 'f' -> size == 8 ? DType.FLOAT64 : DType.FLOAT32;
        case 'i' -> size == 8 ? DType.INT64 : DType.INT32;
        case 'u' -> size >= 4 ? DType.INT64 : DType.INT32;
        default -> DType.BOOL;
      };
    }
  }

  private record Header(Stored stored, long[] shape, boolean fortranOrder) {}

  private static NDArray read(ReadableByteChannel ch, String source) throws IOException {
    ByteBuffer pre = ByteBuffer.allocate(MAGIC.length + 2);
    readFully(ch, pre);
    if (pre.position() >= MAGIC.length && hasMagic(pre) && pre.hasRemaining())
      throw truncated(source, "header");
    if (pre.hasRemaining() || !hasMagic(pre)) throw notNpy(source, pre);
    int major = pre.get(6) & 0xff;
    int minor = pre.get(7) & 0xff;
    if (major < 1 || major > 3) {
      throw new IOException(
          source
              + " has .npy format version "
              + major
              + "."
              + minor
              + ", which jkeras cannot read (numpy writes 1.0, 2.0 and 3.0).");
    }
    ByteBuffer len = ByteBuffer.allocate(major == 1 ? 2 : 4).order(ByteOrder.LITTLE_ENDIAN);
    readFully(ch, len);
    if (len.hasRemaining()) throw truncated(source, "header length");
    long headerBytes = major == 1 ? len.getShort(0) & 0xffff : len.getInt(0) & 0xffffffffL;
    if (headerBytes > MAX_HEADER_BYTES) {
      throw new IOException(
          source
              + " declares a .npy header of "
              + headerBytes
              + " bytes; refusing more than "
              + MAX_HEADER_BYTES
              + ".");
    }
    ByteBuffer hb = ByteBuffer.allocate((int) headerBytes);
    readFully(ch, hb);
    if (hb.hasRemaining()) throw truncated(source, "header");
    // Versions 1.0 and 2.0 are latin-1; 3.0 exists to allow UTF-8.
    String text =
        new String(hb.array(), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    Header h = parseHeader(text, source);
    long count = 1;
    for (long d : h.shape) {
      count *= d;
      if (count > MAX_ELEMENTS) {
        throw new IOException(
            source
                + " holds an array of shape "
                + pyTuple(h.shape)
                + "; an NDArray holds at most "
                + MAX_ELEMENTS
                + " elements.");
      }
    }
    int n = (int) count;
    Object values = readValues(ch, h.stored, n, source);
    if (h.fortranOrder && h.shape.length > 1) values = fortranToC(values, h.shape);
    return NDArray.wrap(values, h.stored.target(), h.shape);
  }

  private static Object readValues(ReadableByteChannel ch, Stored st, int n, String source)
      throws IOException {
    DType t = st.target();
    Object out =
        switch (t) {
          case FLOAT32 -> new float[n];
          case FLOAT64 -> new double[n];
          case INT32 -> new int[n];
          case INT64 -> new long[n];
          case BOOL -> new boolean[n];
        };
    ByteBuffer buf = ByteBuffer.allocate(CHUNK_BYTES).order(st.order);
    int perChunk = CHUNK_BYTES / st.size;
    for (int done = 0; done < n; ) {
      int count = Math.min(perChunk, n - done);
      buf.clear().limit(count * st.size);
      readFully(ch, buf);
      if (buf.hasRemaining()) {
        long expected = (long) n * st.size;
        long found = (long) done * st.size + buf.position();
        throw new IOException(
            source
                + " is truncated: its header promises "
                + expected
                + " bytes of data, found "
                + found
                + ".");
      }
      buf.flip();
      decode(st, buf, out, done, count, source);
      done += count;
    }
    return out;
  }

  /** Converts {@code count} stored elements from {@code buf} into {@code out} at {@code at}. */
  private static void decode(
      Stored st, ByteBuffer buf, Object out, int at, int count, String source) throws IOException {
    switch (st.kind + String.valueOf(st.size)) {
      case "f4" -> buf.asFloatBuffer().get((float[]) out, at, count);
      case "f8" -> buf.asDoubleBuffer().get((double[]) out, at, count);
      case "i4" -> buf.asIntBuffer().get((int[]) out, at, count);
      case "i8" -> buf.asLongBuffer().get((long[]) out, at, count);
      case "f2" -> {
        float[] o = (float[]) out;
        for (int k = 0; k < count; k++) o[at + k] = halfToFloat(buf.getShort(2 * k));
      }
      case "i1" -> {
        int[] o = (int[]) out;
        for (int k = 0; k < count; k++) o[at + k] = buf.get(k);
      }
      case "u1" -> {
        int[] o = (int[]) out;
        for (int k = 0; k < count; k++) o[at + k] = buf.get(k) & 0xff;
      }
      case "i2" -> {
        int[] o = (int[]) out;
        for (int k = 0; k < count; k++) o[at + k] = buf.getShort(2 * k);
      }
      case "u2" -> {
        int[] o = (int[]) out;
        for (int k = 0; k < count; k++) o[at + k] = buf.getShort(2 * k) & 0xffff;
      }
      case "u4" -> {
        long[] o = (long[]) out;
        for (int k = 0; k < count; k++) o[at + k] = buf.getInt(4 * k) & 0xffffffffL;
      }
      case "u8" -> {
        long[] o = (long[]) out;
        buf.asLongBuffer().get(o, at, count);
        for (int k = at; k < at + count; k++) {
          if (o[k] < 0) {
            throw new IOException(
                source
                    + " holds the uint64 value "
                    + Long.toUnsignedString(o[k])
                    + " at flat index "
                    + k
                    + ", which does not fit in int64 (the dtype uint64 is read as).");
          }
        }
      }
      case "b1" -> {
        boolean[] o = (boolean[]) out;
        for (int k = 0; k < count; k++) o[at + k] = buf.get(k) != 0;
      }
      default -> throw new AssertionError(st);
    }
  }

  /** IEEE 754 half precision to float: every half value is exactly a float. */
  private static float halfToFloat(short bits) {
    int h = bits & 0xffff;
    int sign = (h & 0x8000) << 16;
    int exp = (h >>> 10) & 0x1f;
    int mant = h & 0x3ff;
    if (exp == 0) { // zero or subnormal: mant * 2^-24
      float v = mant * 0x1p-24f;
      return sign != 0 ? -v : v;
    }
    if (exp == 0x1f) return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13)); // inf, NaN
    return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mant << 13));
  }

  /** Rearranges Fortran-order (first index fastest) values into C order. */
  private static Object fortranToC(Object f, long[] shape) {
    int n = Array.getLength(f);
    Object c = Array.newInstance(f.getClass().getComponentType(), n);
    int rank = shape.length;
    int[] stride = new int[rank]; // Fortran strides, in elements
    stride[0] = 1;
    for (int k = 1; k < rank; k++) stride[k] = stride[k - 1] * (int) shape[k - 1];
    int[] fIndex = new int[n];
    int[] idx = new int[rank];
    int fi = 0;
    for (int ci = 0; ci < n; ci++) {
      fIndex[ci] = fi;
      for (int k = rank - 1; k >= 0; k--) { // C order: the last index moves fastest
        fi += stride[k];
        if (++idx[k] < shape[k]) break;
        fi -= stride[k] * (int) shape[k];
        idx[k] = 0;
      }
    }
    if (c instanceof float[] o) {
      float[] s = (float[]) f;
      for (int i = 0; i < n; i++) o[i] = s[fIndex[i]];
    } else if (c instanceof double[] o) {
      double[] s = (double[]) f;
      for (int i = 0; i < n; i++) o[i] = s[fIndex[i]];
    } else if (c instanceof int[] o) {
      int[] s = (int[]) f;
      for (int i = 0; i < n; i++) o[i] = s[fIndex[i]];
    } else if (c instanceof long[] o) {
      long[] s = (long[]) f;
      for (int i = 0; i < n; i++) o[i] = s[fIndex[i]];
    } else {
      boolean[] o = (boolean[]) c;
      boolean[] s = (boolean[]) f;
      for (int i = 0; i < n; i++) o[i] = s[fIndex[i]];
    }
    return c;
  }

  private static Header parseHeader(String text, String source) throws IOException {
    Object parsed;
    try {
      parsed = new Literal(text).parse();
    } catch (IllegalArgumentException e) {
      throw badHeader(source, text, e.getMessage());
    }
    if (!(parsed instanceof Map<?, ?> map)) throw badHeader(source, text, "it is not a dict");
    if (!map.keySet().equals(HEADER_KEYS)) {
      throw badHeader(source, text, "expected the keys " + HEADER_KEYS + ", found " + map.keySet());
    }
    Object fortran = map.get("fortran_order");
    if (!(fortran instanceof Boolean))
      throw badHeader(source, text, "'fortran_order' is not True or False");
    if (!(map.get("shape") instanceof List<?> dims))
      throw badHeader(source, text, "'shape' is not a tuple");
    long[] shape = new long[dims.size()];
    for (int i = 0; i < shape.length; i++) {
      if (!(dims.get(i) instanceof Long d) || d < 0) {
        throw badHeader(source, text, "'shape' is not a tuple of non-negative integers");
      }
      shape[i] = d;
    }
    Object descr = map.get("descr");
    if (descr instanceof List) {
      throw new IOException(
          source
              + " holds a structured array (descr "
              + descr
              + "); jkeras reads arrays of one of "
              + READABLE
              + ".");
    }
    if (!(descr instanceof String d)) throw badHeader(source, text, "'descr' is not a string");
    return new Header(stored(d, source), shape, (Boolean) fortran);
  }

  /** Parses a numpy type string such as {@code '<f4'}, {@code '>i8'} or {@code '|b1'}. */
  private static Stored stored(String descr, String source) throws IOException {
    String s = descr;
    ByteOrder order = ByteOrder.nativeOrder(); // '|' (not applicable) and '=' (native)
    if (!s.isEmpty() && "<>|=".indexOf(s.charAt(0)) >= 0) {
      if (s.charAt(0) == '<') order = ByteOrder.LITTLE_ENDIAN;
      if (s.charAt(0) == '>') order = ByteOrder.BIG_ENDIAN;
      s = s.substring(1);
    }
    char kind = s.isEmpty() ? '?' : s.charAt(0);
    if (kind == 'O') {
      throw new IOException(
          source
              + " holds Python objects (dtype object, descr '"
              + descr
              + "'), which numpy stores"
              + " as a pickle; jkeras does not load pickles, as np.load(allow_pickle=False). Save a numeric array instead.");
    }
    int size = -1;
    try {
      size = Integer.parseInt(s.substring(1));
    } catch (RuntimeException e) {
      // not a plain kind + size: datetime units, strings without size, garbage
    }
    boolean ok =
        switch (kind) {
          case 'f' -> size == 2 || size == 4 || size == 8;
          case 'i', 'u' -> size == 1 || size == 2 || size == 4 || size == 8;
          case 'b' -> size == 1;
          default -> false;
        };
    if (!ok) {
      throw new IOException(
          source
              + " holds dtype "
              + numpyName(kind, size, descr)
              + " (descr '"
              + descr
              + "'), which jkeras cannot read. Readable: "
              + READABLE
              + ".");
    }
    return new Stored(kind, size, order);
  }

  private static String numpyName(char kind, int size, String descr) {
    return switch (kind) {
      case 'f' -> size > 0 ? "float" + 8 * size : descr;
      case 'c' -> size > 0 ? "complex" + 8 * size : descr;
      case 'i' -> size > 0 ? "int" + 8 * size : descr;
      case 'u' -> size > 0 ? "uint" + 8 * size : descr;
      case 'U' -> "str";
      case 'S', 'a' -> "bytes";
      case 'M' -> "datetime64";
      case 'm' -> "timedelta64";
      case 'V' -> "void";
      default -> descr;
    };
  }

  private static boolean hasMagic(ByteBuffer b) {
    for (int i = 0; i < MAGIC.length; i++) if (b.get(i) != MAGIC[i]) return false;
    return true;
  }

  private static boolean startsWithMagic(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer b = ByteBuffer.allocate(MAGIC.length);
      readFully(ch, b);
      return !b.hasRemaining() && hasMagic(b);
    }
  }

  private static IOException notNpy(String source, ByteBuffer start) {
    int n = start.position();
    if (n >= 4
        && start.get(0) == 'P'
        && start.get(1) == 'K'
        && start.get(2) == 3
        && start.get(3) == 4) {
      return new IOException(
          source + " is an .npz archive (a zip file), not a .npy file; read it with Npy.loadNpz.");
    }
    if (n >= 1 && (start.get(0) & 0xff) == 0x80) {
      return new IOException(
          source
              + " is a Python pickle, not a .npy file; jkeras does not load pickles, as "
              + "np.load(allow_pickle=False).");
    }
    StringBuilder found = new StringBuilder();
    for (int i = 0; i < n; i++) found.append(String.format("%02x", start.get(i) & 0xff));
    return new IOException(
        source
            + " is not a .npy file: it does not start with numpy's magic string \\x93NUMPY"
            + " (found "
            + (n == 0 ? "an empty file" : "0x" + found)
            + ").");
  }

  private static IOException truncated(String source, String part) {
    return new IOException(source + " is truncated: it ends inside the .npy " + part + ".");
  }

  private static IOException badHeader(String source, String text, String why) {
    String shown = text.strip();
    if (shown.length() > 200) shown = shown.substring(0, 200) + "...";
    return new IOException(source + " has a malformed .npy header: " + why + ". Header: " + shown);
  }

  /** Reads until {@code b} is full or the channel ends. */
  private static void readFully(ReadableByteChannel ch, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      if (ch.read(b) < 0) return;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Writing

  private static void write(WritableByteChannel ch, NDArray a) throws IOException {
    writeFully(ch, ByteBuffer.wrap(header(a)));
    Object values = a.heapData();
    if (values == null) {
      ByteBuffer direct = a.directBuffer();
      // Native little-endian memory is already the file's layout; bool bytes may be any non-zero.
      if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN && a.dtype() != DType.BOOL) {
        writeFully(ch, direct);
        return;
      }
      values = a.astype(a.dtype()).heapData();
    }
    int n = (int) a.size();
    int itemSize =
        a.dtype() == DType.BOOL
            ? 1
            : a.dtype() == DType.FLOAT32 || a.dtype() == DType.INT32 ? 4 : 8;
    int perChunk = CHUNK_BYTES / itemSize;
    ByteBuffer buf = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    for (int done = 0; done < n; done += perChunk) {
      int count = Math.min(perChunk, n - done);
      buf.clear();
      switch (a.dtype()) {
        case FLOAT32 -> buf.asFloatBuffer().put((float[]) values, done, count);
        case FLOAT64 -> buf.asDoubleBuffer().put((double[]) values, done, count);
        case INT32 -> buf.asIntBuffer().put((int[]) values, done, count);
        case INT64 -> buf.asLongBuffer().put((long[]) values, done, count);
        case BOOL -> {
          boolean[] z = (boolean[]) values;
          for (int k = 0; k < count; k++) buf.put(k, (byte) (z[done + k] ? 1 : 0));
        }
      }
      buf.limit(count * itemSize);
      writeFully(ch, buf);
    }
  }

  /** The header np.save writes for {@code a}: magic, version, length, dict, padding to 64 bytes. */
  static byte[] header(NDArray a) {
    String descr =
        switch (a.dtype()) {
          case FLOAT32 -> "<f4";
          case FLOAT64 -> "<f8";
          case INT32 -> "<i4";
          case INT64 -> "<i8";
          case BOOL -> "|b1";
        };
    long[] shape = a.shape();
    StringBuilder dict =
        new StringBuilder("{'descr': '")
            .append(descr)
            .append("', 'fortran_order': False, 'shape': ")
            .append(pyTuple(shape))
            .append(", }");
    if (shape.length > 0)
      dict.append(" ".repeat(Math.max(0, GROWTH_AXIS_DIGITS - Long.toString(shape[0]).length())));
    byte[] body = dict.toString().getBytes(StandardCharsets.ISO_8859_1);
    int major = 1;
    int lenBytes = 2;
    int hlen = body.length + 1; // + the closing newline
    int pad = ALIGN - (MAGIC.length + 2 + lenBytes + hlen) % ALIGN;
    if (hlen + pad > 0xffff) { // too long for 1.0's two length bytes: numpy moves to 2.0
      major = 2;
      lenBytes = 4;
      pad = ALIGN - (MAGIC.length + 2 + lenBytes + hlen) % ALIGN;
    }
    ByteBuffer out =
        ByteBuffer.allocate(MAGIC.length + 2 + lenBytes + hlen + pad)
            .order(ByteOrder.LITTLE_ENDIAN);
    out.put(MAGIC).put((byte) major).put((byte) 0);
    if (major == 1) out.putShort((short) (hlen + pad));
    else out.putInt(hlen + pad);
    out.put(body);
    for (int i = 0; i < pad; i++) out.put((byte) ' ');
    out.put((byte) '\n');
    return out.array();
  }

  /** A shape as Python writes a tuple: {@code ()}, {@code (3,)}, {@code (2, 3)}. */
  private static String pyTuple(long[] shape) {
    if (shape.length == 1) return "(" + shape[0] + ",)";
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < shape.length; i++) sb.append(i > 0 ? ", " : "").append(shape[i]);
    return sb.append(')').toString();
  }

  private static void writeZip(Path file, Map<String, NDArray> arrays, boolean compressed)
      throws IOException {
    Objects.requireNonNull(arrays, "arrays");
    for (Map.Entry<String, NDArray> e : arrays.entrySet()) {
      if (e.getKey() == null || e.getKey().isEmpty()) {
        throw new IllegalArgumentException(
            "Expected the keys of `arrays` to be non-empty names. Received: "
                + (e.getKey() == null ? "null" : "\"\"")
                + " among "
                + arrays.keySet());
      }
      Objects.requireNonNull(e.getValue(), () -> "arrays[\"" + e.getKey() + "\"]");
    }
    try (ZipOutputStream zip =
        new ZipOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
      WritableByteChannel ch = Channels.newChannel(zip); // closed with zip
      for (Map.Entry<String, NDArray> e : arrays.entrySet()) {
        ZipEntry entry = new ZipEntry(e.getKey() + ".npy");
        if (compressed) {
          entry.setMethod(ZipEntry.DEFLATED);
        } else {
          // A stored entry needs its size and CRC up front: one pass over the bytes to a checksum.
          Checksum sum = new Checksum();
          write(sum, e.getValue());
          entry.setMethod(ZipEntry.STORED);
          entry.setSize(sum.size);
          entry.setCompressedSize(sum.size);
          entry.setCrc(sum.crc.getValue());
        }
        zip.putNextEntry(entry);
        write(ch, e.getValue());
        zip.closeEntry();
      }
    }
  }

  /** A channel that only counts and checksums what is written to it. */
  private static final class Checksum implements WritableByteChannel {
    final CRC32 crc = new CRC32();
    long size;

    @Override
    public int write(ByteBuffer src) {
      int n = src.remaining();
      crc.update(src);
      size += n;
      return n;
    }

    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public void close() {}
  }

  private static void writeFully(WritableByteChannel ch, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) ch.write(b);
  }

  // ---------------------------------------------------------------------------------------------
  // The header is a Python literal (numpy reads it with ast.literal_eval).

  /**
   * A reader of the literals a .npy header holds: dicts, tuples, lists, strings, ints, booleans.
   */
  private static final class Literal {
    private static final Object NONE = new Object();
    private final String s;
    private int at;

    Literal(String s) {
      this.s = s;
    }

    Object parse() {
      Object v = value();
      skipSpace();
      if (at != s.length()) throw error("unexpected text after the dict");
      return v;
    }

    private Object value() {
      skipSpace();
      if (at >= s.length()) throw error("unexpected end");
      char c = s.charAt(at);
      if (c == '{') return dict();
      if (c == '(') return sequence(')');
      if (c == '[') return sequence(']');
      if (c == '\'' || c == '"') return string();
      if (c == '-' || c == '+' || Character.isDigit(c)) return integer();
      if (Character.isLetter(c)) return name();
      throw error("unexpected '" + c + "'");
    }

    private Map<Object, Object> dict() {
      Map<Object, Object> m = new LinkedHashMap<>();
      at++;
      while (true) {
        skipSpace();
        if (peek() == '}') {
          at++;
          return m;
        }
        Object key = value();
        skipSpace();
        expect(':');
        m.put(key, value());
        skipSpace();
        if (peek() == ',') at++;
        else if (peek() != '}') throw error("expected ',' or '}'");
      }
    }

    private List<Object> sequence(char close) {
      List<Object> l = new ArrayList<>();
      at++;
      while (true) {
        skipSpace();
        if (peek() == close) {
          at++;
          return l;
        }
        l.add(value());
        skipSpace();
        if (peek() == ',') at++;
        else if (peek() != close) throw error("expected ',' or '" + close + "'");
      }
    }

    private String string() {
      char quote = s.charAt(at++);
      StringBuilder sb = new StringBuilder();
      while (at < s.length()) {
        char c = s.charAt(at++);
        if (c == quote) return sb.toString();
        if (c == '\\' && at < s.length()) {
          char e = s.charAt(at++);
          sb.append(
              switch (e) {
                case 'n' -> '\n';
                case 't' -> '\t';
                case 'r' -> '\r';
                default -> e;
              });
        } else {
          sb.append(c);
        }
      }
      throw error("unterminated string");
    }

    private Long integer() {
      int start = at;
      if (s.charAt(at) == '-' || s.charAt(at) == '+') at++;
      while (at < s.length() && Character.isDigit(s.charAt(at))) at++;
      String digits = s.substring(start, at);
      if (at < s.length() && (s.charAt(at) == 'L' || s.charAt(at) == 'l')) at++; // Python 2's long
      try {
        return Long.parseLong(digits);
      } catch (NumberFormatException e) {
        throw error("bad integer '" + digits + "'");
      }
    }

    private Object name() {
      int start = at;
      while (at < s.length() && (Character.isLetterOrDigit(s.charAt(at)) || s.charAt(at) == '_'))
        at++;
      String w = s.substring(start, at);
      return switch (w) {
        case "True" -> Boolean.TRUE;
        case "False" -> Boolean.FALSE;
        case "None" -> NONE;
        default -> throw error("unexpected name '" + w + "'");
      };
    }

    private char peek() {
      if (at >= s.length()) throw error("unexpected end");
      return s.charAt(at);
    }

    private void expect(char c) {
      if (peek() != c) throw error("expected '" + c + "'");
      at++;
    }

    private void skipSpace() {
      while (at < s.length() && Character.isWhitespace(s.charAt(at))) at++;
    }

    private IllegalArgumentException error(String why) {
      return new IllegalArgumentException(why + " at character " + at);
    }
  }
}
