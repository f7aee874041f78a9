package jkeras.python.process;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import jkeras.data.Batch;
import jkeras.data.NDArray;
import jkeras.python.BatchStructure;

/**
 * Copies a worker's batch out of its shared-memory slot into {@link NDArray}s and rebuilds the
 * {@link Batch} with {@link BatchStructure} (the {@code jkeras.batches.flatten} contract). Each
 * array entry of a {@code batch} message is {@code [offset, dtype, shape]}.
 */
final class ShmBatches {
  private static final ObjectMapper JSON = new ObjectMapper();

  private JsonNode lastRaw;
  private BatchStructure last;

  /** The arrays of a {@code batch} message, copied from the mapped slot. */
  static List<NDArray> arrays(ByteBuffer map, JsonNode metas) {
    List<NDArray> out = new ArrayList<>(metas.size());
    for (JsonNode m : metas) {
      JsonNode s = m.get(2);
      long[] shape = new long[s.size()];
      for (int i = 0; i < shape.length; i++) shape[i] = s.get(i).asLong();
      int offset = Math.toIntExact(m.get(0).asLong());
      out.add(BatchStructure.fromBytes(m.get(1).asText(), shape, map.slice(offset, map.capacity() - offset)));
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
