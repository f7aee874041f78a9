package jkeras.callbacks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import jkeras.data.NDArray;
import jkeras.internal.Config;
import jkeras.internal.Errors;
import jkeras.internal.PyFormat;

/**
 * Streams the epoch results to a CSV file (Keras 2.3.1 {@code CSVLogger}).
 *
 * <pre>{@code
 * model.fit(x, y, FitOptions.builder().epochs(10).callbacks(new CSVLogger(Path.of("training.log"))).build());
 * }</pre>
 *
 * <p>The columns are {@code epoch} then the first epoch's logs keys, sorted (so {@code accuracy,
 * loss, lr, val_accuracy, val_loss}); one row per epoch, written and flushed at its end. Values are
 * written as Python's {@code str()} writes them ({@code 0.6931471824645996}, a float32 such as
 * {@code lr} with its own shortest digits: {@code 0.01}), lists and arrays as {@code "[a, b]"}, and
 * a key missing from an epoch as {@code NA}; fields are quoted as Python's {@code csv} module does
 * ({@code excel} dialect with the given separator: rows end with {@code \r\n}). The header is
 * written unless appending to a file that already has a line.
 *
 * <p>The file is opened at {@code onTrainBegin} and closed at {@code onTrainEnd}; when {@code fit}
 * fails in between, the rows written so far are on disk and the file is closed by the next {@code
 * onTrainBegin} or by {@link #close()}. As in Keras, the columns are fixed by the first epoch this
 * instance ever logged (a later {@code fit} with the same instance keeps them).
 *
 * <p>Differences from Keras 2.3.1: a key of the first epoch missing from a later one is written as
 * {@code NA} (as tf-keras does; Keras 2.3.1 raised {@code KeyError} unless training was stopping),
 * and numbers computed in double precision by jkeras (the metrics' running means) print with a
 * double's digits where Keras' float32 metrics print fewer: the values are the same numbers.
 */
public class CSVLogger extends Callback implements AutoCloseable {
  /** Keras {@code separator=','}. */
  public static final String SEPARATOR_DEFAULT = ",";

  /** Keras {@code append=False}. */
  public static final boolean APPEND_DEFAULT = false;

  private static final String LINE_END = "\r\n";

  private final Path filename;
  private final String separator;
  private final boolean append;
  private List<String> keys;
  private Writer writer;
  private boolean headerDone;

  /** Keras {@code CSVLogger(filename)}. */
  public CSVLogger(Path filename) {
    this(builder(filename));
  }

  private CSVLogger(Builder b) {
    this.filename = b.filename;
    this.separator = b.separator;
    this.append = b.append;
  }

  /** A builder for {@code CSVLogger(filename, separator=..., append=...)}. */
  public static Builder builder(Path filename) {
    return new Builder(Monitors.required(filename, "filename"));
  }

  /**
   * Keras' keyword form: {@code filename} (required), {@code separator}, {@code append}.
   *
   * @throws IllegalArgumentException for an unknown key, a missing filename or a wrong type
   */
  public static CSVLogger fromConfig(Map<String, ?> config) {
    Errors.checkKeys("CSVLogger", config, List.of("filename", "separator", "append"));
    String name = Config.getString(config, "filename", null);
    if (name == null) throw Errors.invalidArgument("filename", "a file name", null);
    return builder(Path.of(name))
        .separator(Config.getString(config, "separator", SEPARATOR_DEFAULT))
        .append(Config.getBoolean(config, "append", APPEND_DEFAULT))
        .build();
  }

  /** Keras {@code filename}. */
  public Path filename() {
    return filename;
  }

  @Override
  public void onTrainBegin(Logs logs) {
    close();
    try {
      boolean header = true;
      if (append && Files.exists(filename)) {
        try (BufferedReader r = Files.newBufferedReader(filename, StandardCharsets.UTF_8)) {
          String first = r.readLine();
          header = first == null;
        }
      }
      writer =
          Files.newBufferedWriter(
              filename,
              StandardCharsets.UTF_8,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
      headerDone = !header;
    } catch (IOException e) {
      throw new UncheckedIOException("CSVLogger cannot open " + filename, e);
    }
  }

  @Override
  public void onEpochEnd(int epoch, Logs logs) {
    if (writer == null) return;
    if (keys == null) keys = logs.keySet().stream().sorted().toList();
    try {
      if (!headerDone) {
        List<String> header = new ArrayList<>();
        header.add("epoch");
        header.addAll(keys);
        writeRow(header);
        headerDone = true;
      }
      List<String> row = new ArrayList<>();
      row.add(String.valueOf(epoch));
      for (String k : keys) row.add(logs.containsKey(k) ? value(logs.get(k)) : "NA");
      writeRow(row);
      writer.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("CSVLogger cannot write " + filename, e);
    }
  }

  @Override
  public void onTrainEnd(Logs logs) {
    close();
  }

  /** Closes the file if open (idempotent); {@code onTrainEnd} does it after a normal run. */
  @Override
  public void close() {
    if (writer == null) return;
    try {
      writer.close();
    } catch (IOException e) {
      throw new UncheckedIOException("CSVLogger cannot close " + filename, e);
    } finally {
      writer = null;
    }
  }

  /** Keras' {@code handle_value} and {@code csv}'s {@code str()}: lists as {@code "[a, b]"}. */
  private static String value(Object v) {
    if (v instanceof CharSequence s) return s.toString();
    if (v instanceof NDArray a && a.shape().length > 0) return listed(toList(a));
    if (v instanceof Collection<?> c) return listed(c);
    if (v == null) return "";
    return PyFormat.str(v instanceof NDArray a ? a.getDouble() : v);
  }

  private static String listed(Collection<?> items) {
    List<String> parts = new ArrayList<>();
    for (Object o : items) parts.add(PyFormat.str(o));
    return "\"[" + String.join(", ", parts) + "]\"";
  }

  private static List<Object> toList(NDArray a) {
    List<Object> out = new ArrayList<>();
    double[] v = a.toDoubleArray();
    for (double d : v) out.add(d);
    return out;
  }

  private void writeRow(List<String> fields) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < fields.size(); i++) {
      if (i > 0) sb.append(separator);
      sb.append(quoted(fields.get(i)));
    }
    writer.write(sb.append(LINE_END).toString());
  }

  /** Python csv's QUOTE_MINIMAL: quote a field holding the separator, a quote or a line break. */
  private String quoted(String f) {
    boolean quote =
        f.contains(separator) || f.contains("\"") || f.contains("\r") || f.contains("\n");
    return quote ? "\"" + f.replace("\"", "\"\"") + "\"" : f;
  }

  /** Builds a {@link CSVLogger}; every argument defaults as in Keras 2.3.1. */
  public static final class Builder {
    private final Path filename;
    private String separator = SEPARATOR_DEFAULT;
    private boolean append = APPEND_DEFAULT;

    private Builder(Path filename) {
      this.filename = filename;
    }

    /**
     * {@code separator} (Keras {@code separator}): the field separator, one character. Default
     * {@code ,}.
     *
     * @throws IllegalArgumentException for anything but one character (Python's csv error)
     */
    public Builder separator(String separator) {
      if (separator == null || separator.length() != 1) {
        throw Errors.invalidArgument("separator", "a 1-character string", separator);
      }
      this.separator = separator;
      return this;
    }

    /**
     * {@code append} (Keras {@code append}): add to an existing file instead of overwriting it.
     * Default false.
     */
    public Builder append(boolean append) {
      this.append = append;
      return this;
    }

    public CSVLogger build() {
      return new CSVLogger(this);
    }
  }
}
