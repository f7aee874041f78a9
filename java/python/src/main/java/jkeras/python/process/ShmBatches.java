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
 * A worker's batch in its shared-memory slot as {@link NDArray}s, views of the mapped slot
 * ({@link NDArray#wrapDirect}) or copies, and the {@link Batch} rebuilt with {@link BatchStructure}
 * (the {@code jkeras.batches.flatten} contract). Each array entry of a {@code batch} message is
 * {@code [offset, dtype, shape]}; the slot holds little-endian bytes.
 */
final class ShmBatches {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Views need the slot's little-endian bytes in native order; otherwise batches are copied. */
  static final boolean VIEWS = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN
      && !Boolean.getBoolean("jkeras.python.copyShmBatches");

  private JsonNode lastRaw;
  private BatchStructure last;

  /** The arrays of a {@code batch} message: views of the mapped slot, or copies when {@code view} is false. */
  static List<NDArray> arrays(ByteBuffer map, JsonNode metas, boolean view) {
    List<NDArray> out = new ArrayList<>(metas.size());
    for (JsonNode m : metas) {
      JsonNode s = m.get(2);
      long[] shape = new long[s.size()];
      for (int i = 0; i < shape.length; i++) shape[i] = s.get(i).asLong();
      int offset = Math.toIntExact(m.get(0).asLong());
      String dtype = m.get(1).asText();
      ByteBuffer at = map.slice(offset, map.capacity() - offset).order(ByteOrder.LITTLE_ENDIAN);
      out.add(view ? NDArray.wrapDirect(at, DType.of(dtype), shape) : BatchStructure.fromBytes(dtype, shape, at));
    }
    return out;
  }

  /** The batch of {@code arrays}; a worker's structure rarely changes, so the last one is kept. */
  Batch batch(JsonNode structure, List<NDArray> arrays) {
    if (last == null || !structure.equals(lastRaw)) {
      last = BatchStructure.parse(JSON.convertValue(structure, Object.class));
      lastRaw = structure;
    }
    return last.assemble(arrays);
  }
}
