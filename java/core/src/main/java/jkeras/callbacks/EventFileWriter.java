package jkeras.callbacks;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.Summary;
import org.tensorflow.proto.SummaryMetadata;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/**
 * A TensorBoard event file written from Java, as TensorFlow 2's summary writer writes one: the file
 * {@code events.out.tfevents.<seconds>.<host>.<pid>.<n>.v2} holds TFRecords (length, masked CRC32C
 * of the length, the serialized {@code Event}, masked CRC32C of the data); the first event carries
 * {@code file_version: "brain.Event:2"}, each later one a wall time, a step and a summary value: a
 * float32 scalar tensor (plugin {@code scalars}), a {@code [k, 3]} float64 tensor of buckets
 * (plugin {@code histograms}) or a string tensor (plugin {@code graph_keras_model}).
 *
 * <p>Events are kept in memory and appended to the file by {@link #flush()}, which opens and closes
 * the file each time: nothing stays open between flushes, so a {@code fit} that fails leaves no
 * open handle behind (only the events not yet flushed are lost, as with TensorFlow's buffered
 * writer). Not thread-safe.
 */
final class EventFileWriter {
  /** TensorFlow 2's {@code tf.summary.histogram} default. */
  static final int HISTOGRAM_BUCKETS = 30;

  private static final AtomicLong FILES = new AtomicLong();
  private static final long MASK_DELTA = 0xa282ead8L;

  private final Path file;
  private final List<byte[]> pending = new ArrayList<>();

  /** Creates {@code dir} and an event file in it holding the file-version event. */
  EventFileWriter(Path dir) {
    try {
      Files.createDirectories(dir);
      long now = System.currentTimeMillis();
      this.file =
          dir.resolve(
              "events.out.tfevents."
                  + (now / 1000)
                  + "."
                  + host()
                  + "."
                  + ProcessHandle.current().pid()
                  + "."
                  + FILES.getAndIncrement()
                  + ".v2");
      add(Event.newBuilder().setWallTime(now / 1000.0).setFileVersion("brain.Event:2").build());
      flush();
    } catch (IOException e) {
      throw new UncheckedIOException("TensorBoard cannot create an event file in " + dir, e);
    }
  }

  Path file() {
    return file;
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }

  /** A float32 scalar at {@code step}, as {@code tf.summary.scalar}. */
  void scalar(String tag, long step, double value) {
    TensorProto t =
        TensorProto.newBuilder()
            .setDtype(DataType.DT_FLOAT)
            .setTensorShape(TensorShapeProto.getDefaultInstance())
            .addFloatVal((float) value)
            .build();
    add(summary(tag, step, t, "scalars", ByteString.EMPTY));
  }

  /** A histogram of {@code values} at {@code step}, as {@code tf.summary.histogram}. */
  void histogram(String tag, long step, double[] values) {
    double[][] b = buckets(values, HISTOGRAM_BUCKETS);
    ByteBuffer content = ByteBuffer.allocate(b.length * 3 * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (double[] row : b) for (double v : row) content.putDouble(v);
    TensorProto t =
        TensorProto.newBuilder()
            .setDtype(DataType.DT_DOUBLE)
            .setTensorShape(
                TensorShapeProto.newBuilder()
                    .addDim(TensorShapeProto.Dim.newBuilder().setSize(b.length))
                    .addDim(TensorShapeProto.Dim.newBuilder().setSize(3)))
            .setTensorContent(ByteString.copyFrom(content.array()))
            .build();
    add(summary(tag, step, t, "histograms", ByteString.EMPTY));
  }

  /** A string tensor with a plugin's name and content ({@code keras_model_summary}). */
  void text(String tag, long step, String text, String plugin, String pluginContent) {
    TensorProto t =
        TensorProto.newBuilder()
            .setDtype(DataType.DT_STRING)
            .setTensorShape(TensorShapeProto.getDefaultInstance())
            .addStringVal(ByteString.copyFromUtf8(text))
            .build();
    add(summary(tag, step, t, plugin, ByteString.copyFromUtf8(pluginContent)));
  }

  private static Event summary(
      String tag, long step, TensorProto tensor, String plugin, ByteString content) {
    SummaryMetadata metadata =
        SummaryMetadata.newBuilder()
            .setPluginData(
                SummaryMetadata.PluginData.newBuilder().setPluginName(plugin).setContent(content))
            .build();
    Summary.Value value =
        Summary.Value.newBuilder().setTag(tag).setMetadata(metadata).setTensor(tensor).build();
    return Event.newBuilder()
        .setWallTime(System.currentTimeMillis() / 1000.0)
        .setStep(step)
        .setSummary(Summary.newBuilder().addValue(value))
        .build();
  }

  private void add(Event e) {
    pending.add(e.toByteArray());
  }

  /** Appends the pending events to the file, then closes it. */
  void flush() {
    if (pending.isEmpty()) return;
    try (OutputStream out =
        Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
      for (byte[] data : pending) out.write(record(data));
    } catch (IOException e) {
      throw new UncheckedIOException("TensorBoard cannot write " + file, e);
    }
    pending.clear();
  }

  /** One TFRecord: little-endian length, its masked CRC32C, the data, the data's masked CRC32C. */
  static byte[] record(byte[] data) {
    ByteBuffer b = ByteBuffer.allocate(8 + 4 + data.length + 4).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(data.length);
    b.putInt(maskedCrc(b.array(), 0, 8));
    b.put(data);
    b.putInt(maskedCrc(data, 0, data.length));
    return b.array();
  }

  /** TFRecord's masked CRC32C: {@code ((crc >>> 15) | (crc << 17)) + 0xa282ead8}. */
  static int maskedCrc(byte[] data, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(data, offset, length);
    long c = crc.getValue();
    long rotated = ((c >>> 15) | (c << 17)) & 0xffffffffL;
    return (int) ((rotated + MASK_DELTA) & 0xffffffffL);
  }

  /**
   * TensorBoard's histogram buckets ({@code tensorboard.plugins.histogram.summary_v2._buckets}):
   * {@code k} rows {@code [left, right, count]} of equal width from the minimum to the maximum, the
   * maximum counted in the last; all edges at the value when every value is the same (its count in
   * the last row); zeros for no data.
   */
  static double[][] buckets(double[] values, int k) {
    double[][] out = new double[k][3];
    if (values.length == 0) return out;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double v : values) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    double range = max - min;
    if (range == 0) {
      for (double[] row : out) {
        row[0] = max;
        row[1] = max;
      }
      out[k - 1][2] = values.length;
      return out;
    }
    double width = range / k;
    for (double v : values) {
      int i = (int) Math.floor((v - min) / width);
      out[Math.min(i, k - 1)][2]++;
    }
    // tf.linspace(min, max, k + 1) with the last edge exactly the maximum.
    double step = range / k;
    for (int i = 0; i < k; i++) {
      out[i][0] = min + i * step;
      out[i][1] = i == k - 1 ? max : min + (i + 1) * step;
    }
    return out;
  }
}
