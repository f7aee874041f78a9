package jkeras.trainers.adapters;

import java.util.Collections;
import java.util.List;

/**
 * What a model expects of its data: input names and shapes, output names, and the targets' shapes
 * (known once the model is compiled: a sparse loss takes class ids). Shapes have the batch
 * dimension first as {@code -1}.
 *
 * @param targetShapes one per output, or {@code null} when only inputs are needed (predict)
 */
public record DataSpec(
    List<String> inputNames,
    List<long[]> inputShapes,
    List<String> outputNames,
    List<long[]> targetShapes) {
  public DataSpec {
    inputNames = List.copyOf(inputNames);
    inputShapes = List.copyOf(inputShapes);
    outputNames = List.copyOf(outputNames);
    targetShapes = targetShapes == null ? null : List.copyOf(targetShapes);
  }

  /** The shapes a batch's sample weights are checked against: one 1-D array per output. */
  List<long[]> sampleWeightShapes() {
    return Collections.nCopies(outputNames.size(), new long[] {-1});
  }
}
