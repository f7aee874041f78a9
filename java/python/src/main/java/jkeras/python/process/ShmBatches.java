package jkeras.python.process;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import jkeras.data.Batch;
import jkeras.data.DType;
import jkeras.data.NDArray;
import jkeras.python.BatchStructure;

/**
 * A worker's batch in its shared-memory slot as {@link NDArray}s, views of the mapped slot ({@link
 * NDArray#wrapDirect}) or copies, and the {@link Batch} rebuilt with {@link BatchStructure} (the
 * {@code jkeras.batches.flatten} contract). The worker announces each batch layout once (a {@code
 * LAYOUT} frame: the structure and each array's {@code [offset, dtype, shape]}), then names it by
 * id; the slot holds little-endian bytes.
 */
final class ShmBatches {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Layout ids a worker uses, from 0 (as {@code MAX_LAYOUTS} in {@code jkeras/worker.py}). */
  static final int MAX_LAYOUTS = 256;

  /** Views need the slot's little-endian bytes in native order; otherwise batches are copied. */
  static final boolean VIEWS =
      ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN
          && !Boolean.getBoolean("jkeras.python.copyShmBatches");

  private ShmBatches() {}

  /** A batch layout: its structure and where each array lies in the slot. */
  record Layout(
      BatchStructure structure,
      int[] offsets,
      String[] dtypeNames,
      DType[] dtypes,
      long[][] shapes) {}

  /** The layout of a {@code LAYOUT} frame's JSON payload. */
  static Layout parseLayout(byte[] json) {
    try {
      return parseLayout(JSON.readTree(json));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(
          "A Python worker sent a malformed batch layout: " + e.getMessage(), e);
    }
  }

  static Layout parseLayout(JsonNode msg) {
    BatchStructure structure =
        BatchStructure.parse(JSON.convertValue(msg.get("structure"), Object.class));
    JsonNode metas = msg.get("arrays");
    int n = metas.size();
    int[] offsets = new int[n];
    String[] names = new String[n];
    DType[] dtypes = new DType[n];
    long[][] shapes = new long[n][];
    for (int k = 0; k < n; k++) {
      JsonNode m = metas.get(k);
      offsets[k] = Math.toIntExact(m.get(0).asLong());
      names[k] = m.get(1).asText();
      dtypes[k] = DType.of(names[k]);
      JsonNode s = m.get(2);
      shapes[k] = new long[s.size()];
      for (int i = 0; i < shapes[k].length; i++) shapes[k][i] = s.get(i).asLong();
    }
    return new Layout(structure, offsets, names, dtypes, shapes);
  }

  /**
   * The batch in {@code map} laid out as {@code layout}: views of the mapped slot, or copies when
   * {@code view} is false.
   */
  static Batch batch(ByteBuffer map, Layout layout, boolean view) {
    int n = layout.offsets.length;
    List<NDArray> out = new ArrayList<>(n);
    for (int k = 0; k < n; k++) {
      int offset = layout.offsets[k];
      ByteBuffer at = map.slice(offset, map.capacity() - offset).order(ByteOrder.LITTLE_ENDIAN);
      // The layout's shapes are shared: NDArray keeps a copy.
      out.add(
          view
              ? NDArray.wrapDirect(at, layout.dtypes[k], layout.shapes[k])
              : BatchStructure.fromBytes(layout.dtypeNames[k], layout.shapes[k], at));
    }
    return layout.structure.assemble(out);
  }
}
