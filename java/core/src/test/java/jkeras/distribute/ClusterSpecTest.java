package jkeras.distribute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code TF_CONFIG} as launchers write it, and the errors bad ones get. */
class ClusterSpecTest {
  @Test
  void readsWorkersAndTheTask() {
    ClusterSpec s =
        ClusterSpec.parse(
            "{\"cluster\": {\"worker\": [\"h0:2222\", \"h1:2222\", \"h2:2222\"]},"
                + " \"task\": {\"type\": \"worker\", \"index\": 2}}");
    assertThat(s.numWorkers()).isEqualTo(3);
    assertThat(s.rank()).isEqualTo(2);
    assertThat(s.isChief()).isFalse();
    assertThat(s.addressOf("worker", 1)).isEqualTo("h1:2222");
    assertThat(ClusterSpec.parse(s.toTfConfig("worker", 2))).isEqualTo(s);
    assertThat(new MultiWorkerMirroredStrategy(s).replicaContext())
        .isEqualTo(new ReplicaContext(3, 2));
  }

  @Test
  void aChiefJobComesFirstAndIsTheChief() {
    ClusterSpec s =
        ClusterSpec.parse(
            "{\"cluster\": {\"worker\": [\"h1:1\", \"h2:1\"], \"chief\": [\"h0:1\"]},"
                + " \"task\": {\"type\": \"chief\", \"index\": 0}}");
    assertThat(s.tasks())
        .extracting(e -> e.getKey() + ":" + e.getValue())
        .containsExactly("chief:0", "worker:0", "worker:1");
    assertThat(s.isChief()).isTrue();
    assertThat(
            ClusterSpec.parse(
                    "{\"cluster\": {\"worker\": [\"h1:1\"], \"chief\": [\"h0:1\"]},"
                        + " \"task\": {\"type\": \"worker\", \"index\": 0}}")
                .rank())
        .isEqualTo(1);
  }

  @Test
  void badSpecsAreNamed() {
    assertThatThrownBy(() -> ClusterSpec.parse("{\"cluster\": {\"worker\": [\"h0:1\"]}}"))
        .hasMessageContaining("`task`");
    assertThatThrownBy(
            () ->
                ClusterSpec.parse(
                    "{\"cluster\": {\"ps\": [\"h0:1\"], \"worker\": [\"h1:1\"]},"
                        + " \"task\": {\"type\": \"worker\", \"index\": 0}}"))
        .hasMessageContaining("`ps` job");
    assertThatThrownBy(() -> ClusterSpec.ofWorkers(List.of("h0:1"), 1))
        .hasMessageContaining("`task.index` must be in [0, 1)")
        .hasMessageContaining("received 1");
    assertThatThrownBy(() -> ClusterSpec.ofWorkers(List.of("h0"), 0))
        .hasMessageContaining("\"host:port\"")
        .hasMessageContaining("received \"h0\"");
    assertThatThrownBy(() -> ClusterSpec.parse("{not json"))
        .hasMessageStartingWith("TF_CONFIG is not valid JSON");
    assertThatThrownBy(
            () -> new MultiWorkerMirroredStrategy(ClusterSpec.ofWorkers(List.of("h:1"), 0), 0))
        .hasMessageContaining("`timeout_seconds`")
        .hasMessageContaining("received 0");
  }

  @Test
  void scopesNest() {
    MultiWorkerMirroredStrategy a =
        new MultiWorkerMirroredStrategy(ClusterSpec.ofWorkers(List.of("h:1"), 0));
    assertThat(MultiWorkerMirroredStrategy.current()).isNull();
    try (var s = a.scope()) {
      assertThat(MultiWorkerMirroredStrategy.current()).isSameAs(a);
    }
    assertThat(MultiWorkerMirroredStrategy.current()).isNull();
  }
}
