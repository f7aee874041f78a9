package jkeras.callbacks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LogsTest {
  @Test
  void keepsInsertionOrderAndReadsNumbersAsDoubles() {
    Logs l = new Logs();
    l.put("size", 32);
    l.put("loss", 0.5f);
    l.put("batch", 0);
    assertThat(l.keySet()).containsExactly("size", "loss", "batch");
    assertThat(l.getDouble("size")).isEqualTo(32.0);
    assertThat(l.getDouble("loss")).isEqualTo((double) 0.5f);
    assertThat(l.getDouble("missing")).isNull();
    assertThat(l.getDouble("missing", -1)).isEqualTo(-1.0);
  }

  @Test
  void rejectsNonNumericValues() {
    Logs l = new Logs();
    l.put("name", "x");
    assertThatThrownBy(() -> l.getDouble("name"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Received: name=x");
  }
}
