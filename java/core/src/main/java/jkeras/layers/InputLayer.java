package jkeras.layers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jkeras.backend.CallContext;
import jkeras.internal.Shapes;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** The layer behind {@link Input}: a model input, fed from data. Has no weights. */
public final class InputLayer extends Layer {
  private final long[] shape;
  private final KerasTensor output;

  InputLayer(Builder b, long[] shape) {
    super(b);
    this.shape = shape.clone();
    this.output = new KerasTensor(Shapes.withBatch(shape), dtype(), this, List.of(), name());
  }

  @Override
  protected String defaultPrefix() {
    return "input";
  }

  /** The symbolic tensor this layer produces. */
  public KerasTensor output() {
    return output;
  }

  /** The shape without batch dimension. */
  public long[] shape() {
    return shape.clone();
  }

  @Override
  public long[] computeOutputShape(List<long[]> inputShapes) {
    return Shapes.withBatch(shape);
  }

  @Override
  public Operand<TFloat32> call(CallContext ctx, List<Operand<TFloat32>> inputs) {
    return inputs.get(0);
  }

  @Override
  protected boolean weightsFreeLayer() {
    return true;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = new LinkedHashMap<>();
    java.util.List<Object> bis = new java.util.ArrayList<>();
    bis.add(null);
    for (long d : shape) bis.add(d < 0 ? null : d);
    c.put("batch_input_shape", bis);
    c.put("dtype", dtype().kerasName());
    c.put("sparse", false);
    c.put("name", name());
    return c;
  }

  static final class Builder extends Layer.Builder<Builder> {}
}
