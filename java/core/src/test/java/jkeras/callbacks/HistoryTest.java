package jkeras.callbacks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HistoryTest {

  private static Logs logs(Object... kv) {
    Logs l = new Logs();
    for (int i = 0; i < kv.length; i += 2) {
      l.put((String) kv[i], kv[i + 1]);
    }
    return l;
  }

  @Test
  void recordsEveryNumericKeyPerEpoch() {
    History h = new History();
    h.onTrainBegin(new Logs());
    h.onEpochEnd(3, logs("loss", 0.5, "val_loss", 0.7, "lr", 0.01f, "note", "x"));
    h.onEpochEnd(4, logs("loss", 0.4, "val_loss", 0.6, "lr", 0.01f));
    assertThat(h.epoch()).containsExactly(3, 4);
    assertThat(h.history().keySet()).containsExactly("loss", "val_loss", "lr");
    assertThat(h.history().get("loss")).containsExactly(0.5, 0.4);
    assertThat(h.history().get("val_loss")).containsExactly(0.7, 0.6);
    assertThat(h.history().get("lr")).containsExactly((double) 0.01f, (double) 0.01f);
  }

  @Test
  void keysAppearingLaterHaveShorterLists() {
    // e.g. validation_freq=2: val_ keys only from the second epoch on.
    History h = new History();
    h.onTrainBegin(new Logs());
    Map<String, List<Double>> view = h.history();
    h.onEpochEnd(0, logs("loss", 1.0));
    h.onEpochEnd(1, logs("loss", 0.5, "val_loss", 0.9));
    assertThat(view.get("loss")).containsExactly(1.0, 0.5);
    assertThat(view.get("val_loss")).containsExactly(0.9);
  }

  @Test
  void historyIsUnmodifiable() {
    History h = new History();
    h.onTrainBegin(new Logs());
    h.onEpochEnd(0, logs("loss", 1.0));
    assertThatThrownBy(() -> h.history().put("x", List.of()))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> h.history().get("loss").add(2.0))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> h.epoch().add(1)).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void trainBeginStartsANewRecordAndOldViewsKeepTheirRun() {
    History h = new History();
    h.onTrainBegin(new Logs());
    h.onEpochEnd(0, logs("loss", 1.0));
    h.onEpochEnd(1, logs("loss", 0.8));
    Map<String, List<Double>> first = h.history();
    List<Integer> firstEpochs = h.epoch();

    h.onTrainBegin(new Logs());
    h.onEpochEnd(0, logs("loss", 0.3));
    assertThat(h.epoch()).containsExactly(0);
    assertThat(h.history().get("loss")).containsExactly(0.3);
    assertThat(first.get("loss")).containsExactly(1.0, 0.8);
    assertThat(firstEpochs).containsExactly(0, 1);
  }

  @Test
  void exposesTheParams() {
    History h = new History();
    h.setParams(Map.of("epochs", 3, "verbose", 0));
    assertThat(h.params()).containsEntry("epochs", 3);
  }
}
