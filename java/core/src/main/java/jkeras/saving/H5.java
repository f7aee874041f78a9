package jkeras.saving;

import static org.bytedeco.hdf5.global.hdf5.*;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jkeras.data.NDArray;
import org.bytedeco.hdf5.H5G_info_t;
import org.bytedeco.hdf5.H5O_info2_t;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * The few HDF5 operations Keras' files need, over the native HDF5 library (the reference
 * implementation, through JavaCPP): groups, string attributes (variable-length UTF-8, as h5py
 * writes Python strings; fixed-length ones are read too) and float32 datasets (any stored number
 * type is read as float32, HDF5 converting it). One file open at a time per {@link File}; all calls
 * are serialised, since the HDF5 build is not thread-safe.
 *
 * <p>Why native HDF5: jhdf (pure Java) reads Keras' files but writes neither variable-length
 * strings nor attributes past the 64 KiB object-header limit, so a large {@code model_config} could
 * not be written; h5py, and so every Keras, writes both through this library.
 */
final class H5 {
  private H5() {}

  static final Object LOCK = new Object();
  private static boolean initialised;

  /** Loads the native library once, silencing HDF5's error stack (errors become exceptions). */
  private static void init() {
    if (initialised) return;
    // The hdf5 presets were built against JavaCPP 1.5.10; TensorFlow Java brings 1.5.11, which
    // runs them (checked by the interop scenarios). JavaCPP warns about the mismatch on stderr at
    // class load; that one line is dropped, everything else printed meanwhile passes through.
    PrintStream err = System.err;
    System.setErr(
        new PrintStream(err, true) {
          @Override
          public void println(String x) {
            if (x == null || !x.contains("org.bytedeco:hdf5")) super.println(x);
          }
        });
    try {
      H5Eset_auto2(H5E_DEFAULT(), null, null);
    } finally {
      System.setErr(err);
    }
    initialised = true;
  }

  /** An open HDF5 file. */
  static final class File implements AutoCloseable {
    final long id;
    private final Path path;

    private File(long id, Path path) {
      this.id = id;
      this.path = path;
    }

    /** Creates (truncates) {@code path}. */
    static File create(Path path) throws IOException {
      synchronized (LOCK) {
        init();
        long id = H5Fcreate(path.toString(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
        if (id < 0) throw new IOException("Could not create the HDF5 file " + path);
        return new File(id, path);
      }
    }

    /** Opens {@code path} read-only. */
    static File open(Path path) throws IOException {
      synchronized (LOCK) {
        init();
        long id = H5Fopen(path.toString(), H5F_ACC_RDONLY, H5P_DEFAULT);
        if (id < 0)
          throw new IOException(
              "Could not read " + path + " as HDF5: the file is truncated or damaged.");
        return new File(id, path);
      }
    }

    Group root() {
      return new Group(this, "/");
    }

    Path path() {
      return path;
    }

    @Override
    public void close() throws IOException {
      synchronized (LOCK) {
        if (H5Fclose(id) < 0) throw new IOException("Could not close the HDF5 file " + path);
      }
    }
  }

  /** A group by its path in a file (opened for each call, so nothing is left open). */
  record Group(File file, String path) {
    Group child(String name) {
      return new Group(file, path.equals("/") ? "/" + name : path + "/" + name);
    }

    private long open() throws IOException {
      long g = H5Gopen2(file.id, path, H5P_DEFAULT);
      if (g < 0) throw new IOException("No group `" + path + "` in " + file.path());
      return g;
    }

    boolean exists(String name) throws IOException {
      synchronized (LOCK) {
        return linkExists(child(name).path);
      }
    }

    private boolean linkExists(String full) {
      // Each level must exist before H5Lexists may be asked about the next.
      String[] parts = full.substring(1).split("/");
      StringBuilder p = new StringBuilder();
      for (String part : parts) {
        p.append('/').append(part);
        if (H5Lexists(file.id, p.toString(), H5P_DEFAULT) <= 0) return false;
      }
      return true;
    }

    boolean isGroup(String name) throws IOException {
      synchronized (LOCK) {
        String full = child(name).path;
        if (!linkExists(full)) return false;
        long o = H5Oopen(file.id, full, H5P_DEFAULT);
        if (o < 0) return false;
        try {
          return H5Iget_type(o) == H5I_GROUP;
        } finally {
          H5Oclose(o);
        }
      }
    }

    /** Creates the subgroup {@code name} (and missing groups on the way). */
    Group createGroup(String name) throws IOException {
      synchronized (LOCK) {
        Group c = child(name);
        long lcpl = H5Pcreate(H5P_CLS_LINK_CREATE_ID_g());
        H5Pset_create_intermediate_group(lcpl, 1);
        long g = H5Gcreate2(file.id, c.path, lcpl, H5P_DEFAULT, H5P_DEFAULT);
        H5Pclose(lcpl);
        if (g < 0) throw new IOException("Could not create group " + c.path + " in " + file.path);
        H5Gclose(g);
        return c;
      }
    }

    /** The names of the links in this group, in name order (as h5py lists them). */
    List<String> children() throws IOException {
      synchronized (LOCK) {
        long g = open();
        try {
          H5G_info_t info = new H5G_info_t();
          H5Gget_info(g, info);
          long n = info.nlinks();
          info.close();
          return names(
              n,
              (i, b, size) ->
                  H5Lget_name_by_idx(g, ".", H5_INDEX_NAME, H5_ITER_INC, i, b, size, H5P_DEFAULT));
        } finally {
          H5Gclose(g);
        }
      }
    }

    /** HDF5's "name by index" calls: asked once for the length (null buffer), then filled. */
    private interface NameByIndex {
      long get(long index, BytePointer buffer, long size);
    }

    private static List<String> names(long n, NameByIndex nameAt) {
      List<String> out = new ArrayList<>();
      for (long i = 0; i < n; i++) {
        long len = nameAt.get(i, null, 0);
        try (BytePointer b = new BytePointer(len + 1)) {
          nameAt.get(i, b, len + 1);
          out.add(cString(b, len));
        }
      }
      return out;
    }

    /** The names of this group's attributes. */
    List<String> attributeNames() throws IOException {
      synchronized (LOCK) {
        long o = H5Oopen(file.id, path, H5P_DEFAULT);
        if (o < 0) throw new IOException("No group `" + path + "` in " + file.path());
        try {
          H5O_info2_t info = new H5O_info2_t();
          H5Oget_info3(o, info, H5O_INFO_NUM_ATTRS);
          long n = info.num_attrs();
          info.close();
          return names(
              n,
              (i, b, size) ->
                  H5Aget_name_by_idx(o, ".", H5_INDEX_NAME, H5_ITER_INC, i, b, size, H5P_DEFAULT));
        } finally {
          H5Oclose(o);
        }
      }
    }

    boolean hasAttribute(String name) throws IOException {
      synchronized (LOCK) {
        long o = H5Oopen(file.id, path, H5P_DEFAULT);
        if (o < 0) throw new IOException("No group `" + path + "` in " + file.path());
        try {
          return H5Aexists(o, name) > 0;
        } finally {
          H5Oclose(o);
        }
      }
    }

    /**
     * A string attribute (scalar) or the strings of an array attribute, decoded as UTF-8; null when
     * absent.
     */
    List<String> readStrings(String name) throws IOException {
      synchronized (LOCK) {
        long o = H5Oopen(file.id, path, H5P_DEFAULT);
        if (o < 0) throw new IOException("No group `" + path + "` in " + file.path());
        long a = -1, type = -1, space = -1, mem = -1;
        try {
          if (H5Aexists(o, name) <= 0) return null;
          a = H5Aopen(o, name, H5P_DEFAULT);
          type = H5Aget_type(a);
          space = H5Aget_space(a);
          // h5py writes an empty list as an empty float array (Keras: layers without weights).
          if (H5Sget_simple_extent_type(space) == H5S_NULL
              || (H5Sget_simple_extent_type(space) == H5S_SIMPLE
                  && H5Sget_simple_extent_npoints(space) == 0)) return List.of();
          if (H5Tget_class(type) != H5T_STRING)
            throw new IOException(
                "Attribute `"
                    + name
                    + "` of `"
                    + path
                    + "` in "
                    + file.path()
                    + " is not a string");
          int n = (int) Math.max(1, H5Sget_simple_extent_npoints(space));
          if (H5Sget_simple_extent_type(space) == H5S_NULL) return List.of();
          List<String> out = new ArrayList<>(n);
          if (H5Tis_variable_str(type) > 0) {
            // The file's own string type (ASCII or UTF-8): HDF5 converts neither into the other.
            mem = H5Tcopy(type);
            try (PointerPointer<BytePointer> pp = new PointerPointer<>(n)) {
              if (H5Aread(a, mem, pp) < 0)
                throw new IOException("Could not read attribute " + name);
              for (int i = 0; i < n; i++) {
                BytePointer s = pp.get(BytePointer.class, i);
                out.add(s == null ? "" : s.getString(StandardCharsets.UTF_8));
              }
              H5Treclaim(mem, space, H5P_DEFAULT, pp);
            }
          } else {
            int size = (int) H5Tget_size(type);
            try (BytePointer b = new BytePointer((long) size * n)) {
              if (H5Aread(a, type, b) < 0)
                throw new IOException("Could not read attribute " + name);
              byte[] all = new byte[size * n];
              b.get(all);
              for (int i = 0; i < n; i++) {
                int end = i * size;
                while (end < (i + 1) * size && all[end] != 0) end++;
                out.add(new String(all, i * size, end - i * size, StandardCharsets.UTF_8));
              }
            }
          }
          return out;
        } finally {
          if (mem >= 0) H5Tclose(mem);
          if (space >= 0) H5Sclose(space);
          if (type >= 0) H5Tclose(type);
          if (a >= 0) H5Aclose(a);
          H5Oclose(o);
        }
      }
    }

    /** Writes a scalar string attribute (variable-length UTF-8, as h5py writes a Python str). */
    void writeString(String name, String value) throws IOException {
      writeStrings(name, List.of(value), true);
    }

    /** Writes an array attribute of strings (h5py's {@code np.array([...], dtype=object)}). */
    void writeStringArray(String name, List<String> values) throws IOException {
      writeStrings(name, values, false);
    }

    private void writeStrings(String name, List<String> values, boolean scalar) throws IOException {
      synchronized (LOCK) {
        long o = H5Oopen(file.id, path, H5P_DEFAULT);
        if (o < 0) throw new IOException("No group `" + path + "` in " + file.path());
        long type;
        if (values.isEmpty()) {
          // As h5py stores Keras' empty list (np.array([])): an empty float64 array.
          type = H5Tcopy(H5T_IEEE_F64LE_g());
        } else {
          type = H5Tcopy(H5T_C_S1_g());
          H5Tset_size(type, H5T_VARIABLE);
          H5Tset_cset(type, H5T_CSET_UTF8);
        }
        long space =
            scalar
                ? H5Screate(H5S_SCALAR)
                : H5Screate_simple(1, new long[] {values.size()}, (long[]) null);
        long a = -1;
        List<BytePointer> owned = new ArrayList<>();
        try {
          a = H5Acreate2(o, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
          if (a < 0) throw new IOException("Could not create attribute " + name + " in " + path);
          if (!values.isEmpty()) {
            try (PointerPointer<BytePointer> pp = new PointerPointer<>(values.size())) {
              for (int i = 0; i < values.size(); i++) {
                BytePointer b = new BytePointer(values.get(i), "UTF-8");
                owned.add(b);
                pp.put(i, b);
              }
              if (H5Awrite(a, type, pp) < 0)
                throw new IOException("Could not write attribute " + name + " in " + path);
            }
          }
        } finally {
          for (BytePointer b : owned) b.close();
          if (a >= 0) H5Aclose(a);
          H5Sclose(space);
          H5Tclose(type);
          H5Oclose(o);
        }
      }
    }

    /** Writes a float32 dataset {@code name} (a path below this group; groups are created). */
    void writeArray(String name, NDArray value) throws IOException {
      writeDataset(name, value.shape(), value.floatsView(), false);
    }

    /** Writes a scalar int64 dataset (an optimizer's iteration counter, as Keras stores it). */
    void writeLong(String name, long value) throws IOException {
      writeDataset(name, new long[0], new float[] {value}, true);
    }

    private void writeDataset(String name, long[] shape, float[] data, boolean int64)
        throws IOException {
      synchronized (LOCK) {
        String full = child(name).path;
        long lcpl = H5Pcreate(H5P_CLS_LINK_CREATE_ID_g());
        H5Pset_create_intermediate_group(lcpl, 1);
        long space =
            shape.length == 0
                ? H5Screate(H5S_SCALAR)
                : H5Screate_simple(shape.length, shape, (long[]) null);
        long d =
            H5Dcreate2(
                file.id,
                full,
                int64 ? H5T_STD_I64LE_g() : H5T_IEEE_F32LE_g(),
                space,
                lcpl,
                H5P_DEFAULT,
                H5P_DEFAULT);
        H5Pclose(lcpl);
        try {
          if (d < 0) throw new IOException("Could not create dataset " + full + " in " + file.path);
          int status;
          if (int64) {
            try (LongPointer lp = new LongPointer(1)) {
              lp.put(0, (long) data[0]);
              status = H5Dwrite(d, H5T_NATIVE_INT64_g(), H5S_ALL, H5S_ALL, H5P_DEFAULT, lp);
            }
          } else {
            try (FloatPointer fp = new FloatPointer(Math.max(1, data.length))) {
              fp.put(data);
              status =
                  data.length == 0
                      ? 0
                      : H5Dwrite(d, H5T_NATIVE_FLOAT_g(), H5S_ALL, H5S_ALL, H5P_DEFAULT, fp);
            }
          }
          if (status < 0) throw new IOException("Could not write dataset " + full);
        } finally {
          if (d >= 0) H5Dclose(d);
          H5Sclose(space);
        }
      }
    }

    /** Reads the dataset {@code name} of this group as float32 (HDF5 converts other numbers). */
    NDArray readArray(String name) throws IOException {
      synchronized (LOCK) {
        String full = child(name).path;
        long d = H5Dopen2(file.id, full, H5P_DEFAULT);
        if (d < 0) throw new IOException("No dataset `" + full + "` in " + file.path());
        long space = H5Dget_space(d);
        try {
          int rank = H5Sget_simple_extent_ndims(space);
          long[] dims = new long[Math.max(rank, 0)];
          if (rank > 0) H5Sget_simple_extent_dims(space, dims, (long[]) null);
          long n = 1;
          for (long x : dims) n *= x;
          float[] out = new float[(int) n];
          if (n > 0) {
            try (FloatPointer fp = new FloatPointer(n)) {
              if (H5Dread(d, H5T_NATIVE_FLOAT_g(), H5S_ALL, H5S_ALL, H5P_DEFAULT, fp) < 0)
                throw new IOException(
                    "Could not read dataset `" + full + "` of " + file.path() + " as numbers");
              fp.get(out);
            }
          }
          return NDArray.of(out, dims);
        } finally {
          H5Sclose(space);
          H5Dclose(d);
        }
      }
    }
  }

  /** The first {@code len} bytes at {@code b}, as UTF-8. */
  private static String cString(BytePointer b, long len) {
    byte[] bytes = new byte[(int) Math.max(0, len)];
    b.get(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
