package jkeras.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jkeras.layers.Dense;
import jkeras.models.Sequential;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code tf.config.threading} in Java: settings fixed by the process' first model session, as
 * TensorFlow's are once initialised. The suite's JVM has started sessions before or in this test,
 * so only what holds after initialisation is checked here.
 */
@Tag("native")
class ThreadingTest {
  private static void startASession() {
    try (Sequential m = new Sequential()) {
      m.add(Dense.builder(2).inputShape(3).build());
      m.compile("sgd", "mse");
    }
  }

  @Test
  void aChangeAfterTheFirstSessionFailsNamingTheSetting() {
    startASession();
    int intra = Threading.getIntraOpParallelismThreads();
    int inter = Threading.getInterOpParallelismThreads();
    assertThatThrownBy(() -> Threading.setIntraOpParallelismThreads(intra + 3))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("Intra op parallelism cannot be modified after initialization")
        .hasMessageContaining("intra_op_parallelism_threads=" + (intra + 3));
    assertThatThrownBy(() -> Threading.setInterOpParallelismThreads(inter + 3))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("inter_op_parallelism_threads=" + (inter + 3));
    // Setting what is already in force is no change.
    Threading.setIntraOpParallelismThreads(intra);
    Threading.setInterOpParallelismThreads(inter);
    assertThat(Threading.getIntraOpParallelismThreads()).isEqualTo(intra);
    assertThat(Threading.getInterOpParallelismThreads()).isEqualTo(inter);
    boolean caller = Threading.isCallerThreadExecution();
    assertThatThrownBy(() -> Threading.setCallerThreadExecution(!caller))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("Caller's-thread execution cannot be modified after initialization")
        .hasMessageContaining("callerThreadExecution=" + !caller);
    Threading.setCallerThreadExecution(caller);
    assertThat(Threading.isCallerThreadExecution()).isEqualTo(caller);
  }

  @Test
  void rejectsANegativeCount() {
    assertThatThrownBy(() -> Threading.setIntraOpParallelismThreads(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Expected `intra_op_parallelism_threads` to be a non-negative integer (0: jkeras'"
                + " rule). Received: intra_op_parallelism_threads=-1");
    assertThatThrownBy(() -> Threading.setInterOpParallelismThreads(-2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("inter_op_parallelism_threads=-2");
  }
}
