package jkeras.backend;

import java.util.List;
import jkeras.data.NDArray;

/** Reads and writes weight values of one model graph as host arrays. */
public interface WeightStore {
  List<NDArray> read(List<Weight> weights);

  void write(List<Weight> weights, List<NDArray> values);
}
