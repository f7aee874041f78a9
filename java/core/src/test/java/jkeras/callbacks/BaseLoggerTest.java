package jkeras.callbacks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BaseLoggerTest {

  private static Logs batch(int index, int size, Object... kv) {
    Logs l = new Logs();
    l.put("batch", index);
    l.put("size", size);
    for (int i = 0; i < kv.length; i += 2) {
      l.put((String) kv[i], kv[i + 1]);
    }
    return l;
  }

  private static BaseLogger logger(List<String> stateful, List<String> metrics) {
    BaseLogger b = new BaseLogger(stateful);
    b.setParams(Map.of("metrics", metrics));
    return b;
  }

  @Test
  void writesSampleWeightedMeansIntoTheEpochLogs() {
    BaseLogger b = logger(List.of(), List.of("loss", "mae", "val_loss"));
    b.onEpochBegin(0, new Logs());
    b.onBatchEnd(0, batch(0, 32, "loss", 0.9, "mae", 0.3));
    b.onBatchEnd(1, batch(1, 32, "loss", 0.8, "mae", 0.2));
    b.onBatchEnd(2, batch(2, 4, "loss", 0.6, "mae", 0.1));
    Logs epoch = new Logs();
    epoch.put("val_loss", 1.5);
    b.onEpochEnd(0, epoch);
    double loss = (0.9 * 32 + 0.8 * 32 + 0.6 * 4) / 68;
    double mae = (0.3 * 32 + 0.2 * 32 + 0.1 * 4) / 68;
    assertThat(epoch.getDouble("loss")).isCloseTo(loss, within(1e-12));
    assertThat(epoch.getDouble("mae")).isCloseTo(mae, within(1e-12));
    assertThat(epoch.getDouble("val_loss")).isEqualTo(1.5);
    // val_ values pass through untouched; keys keep insertion order.
    assertThat(epoch.keySet()).containsExactly("val_loss", "loss", "mae");
  }

  @Test
  void statefulMetricsTakeTheLastBatchValue() {
    BaseLogger b = logger(List.of("acc"), List.of("loss", "acc"));
    b.onEpochBegin(0, new Logs());
    b.onBatchEnd(0, batch(0, 10, "loss", 1.0, "acc", 0.2));
    b.onBatchEnd(1, batch(1, 30, "loss", 3.0, "acc", 0.6));
    Logs epoch = new Logs();
    b.onEpochEnd(0, epoch);
    assertThat(epoch.getDouble("loss")).isCloseTo((10 * 1.0 + 30 * 3.0) / 40, within(1e-12));
    assertThat(epoch.getDouble("acc")).isEqualTo(0.6);
  }

  @Test
  void writesOnlyParamsMetricsThatWereSeen() {
    BaseLogger b = logger(List.of(), List.of("loss", "acc"));
    b.onEpochBegin(0, new Logs());
    b.onBatchEnd(0, batch(0, 2, "loss", 1.0, "custom", 5.0));
    Logs epoch = new Logs();
    b.onEpochEnd(0, epoch);
    assertThat(epoch).containsOnlyKeys("loss");
  }

  @Test
  void resetsTotalsAtEachEpoch() {
    BaseLogger b = logger(List.of(), List.of("loss"));
    b.onEpochBegin(0, new Logs());
    b.onBatchEnd(0, batch(0, 5, "loss", 10.0));
    b.onEpochEnd(0, new Logs());
    b.onEpochBegin(1, new Logs());
    b.onBatchEnd(0, batch(0, 1, "loss", 2.0));
    b.onBatchEnd(1, batch(1, 3, "loss", 4.0));
    Logs epoch = new Logs();
    b.onEpochEnd(1, epoch);
    assertThat(epoch.getDouble("loss")).isCloseTo((2.0 + 12.0) / 4, within(1e-12));
  }
}
