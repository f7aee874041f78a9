package jkeras.callbacks;

import static jkeras.callbacks.CallbackTestSupport.X;
import static jkeras.callbacks.CallbackTestSupport.Y;
import static jkeras.callbacks.CallbackTestSupport.fit;
import static jkeras.callbacks.CallbackTestSupport.model;
import static jkeras.callbacks.CallbackTestSupport.warnings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import jkeras.internal.PyRepr;
import jkeras.models.Sequential;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** RemoteMonitor against an HTTP server on the loopback address, started by the test. */
@Tag("native")
class RemoteMonitorTest {

  /** One received request: its path, headers (lower-case names) and body. */
  record Request(String path, Map<String, String> headers, String body) {}

  /** A minimal HTTP/1.1 server on 127.0.0.1 that answers 200 to every request and keeps it. */
  static final class LoopbackServer implements AutoCloseable {
    final ServerSocket socket;
    final List<Request> requests = new CopyOnWriteArrayList<>();
    final Thread thread;

    LoopbackServer() throws IOException {
      socket = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
      thread = new Thread(this::serve, "remote-monitor-test-server");
      thread.setDaemon(true);
      thread.start();
    }

    String root() {
      return "http://127.0.0.1:" + socket.getLocalPort();
    }

    private void serve() {
      while (!socket.isClosed()) {
        try (Socket s = socket.accept()) {
          InputStream in = new BufferedInputStream(s.getInputStream());
          String[] requestLine = line(in).split(" ");
          Map<String, String> headers = new TreeMap<>();
          for (String h = line(in); !h.isEmpty(); h = line(in)) {
            int colon = h.indexOf(':');
            headers.put(
                h.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                h.substring(colon + 1).trim());
          }
          byte[] body =
              in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
          requests.add(
              new Request(requestLine[1], headers, new String(body, StandardCharsets.UTF_8)));
          OutputStream out = s.getOutputStream();
          out.write(
              "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                  .getBytes(StandardCharsets.US_ASCII));
          out.flush();
        } catch (IOException e) {
          // closed
        }
      }
    }

    private static String line(InputStream in) throws IOException {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) if (c != '\r') b.write(c);
      return b.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws Exception {
      socket.close();
      thread.join(5000);
    }
  }

  @Test
  void postsEachEpochsLogsAsAFormFieldOfJson() throws Exception {
    try (LoopbackServer server = new LoopbackServer();
        Sequential m = model(0.05)) {
      RemoteMonitor rm = RemoteMonitor.builder().root(server.root()).build();
      History h = m.fit(X, Y, fit(2, rm).validationSplit(0.25).build());
      assertThat(server.requests).hasSize(2);
      for (int e = 0; e < 2; e++) {
        Request r = server.requests.get(e);
        assertThat(r.path()).isEqualTo("/publish/epoch/end/");
        assertThat(r.headers()).containsEntry("content-type", "application/x-www-form-urlencoded");
        assertThat(r.body()).startsWith("data=");
        String json = URLDecoder.decode(r.body().substring(5), StandardCharsets.UTF_8);
        assertThat(json)
            .isEqualTo(
                "{\"epoch\": "
                    + e
                    + ", \"val_loss\": "
                    + PyRepr.pyFloat(h.history().get("val_loss").get(e))
                    + ", \"loss\": "
                    + PyRepr.pyFloat(h.history().get("loss").get(e))
                    + "}");
      }
    }
  }

  @Test
  void sendsJsonBodiesWithHeadersOnAnotherPath() throws Exception {
    try (LoopbackServer server = new LoopbackServer();
        Sequential m = model(0.05)) {
      RemoteMonitor rm =
          RemoteMonitor.fromConfig(
              Map.of(
                  "root",
                  server.root(),
                  "path",
                  "/epochs",
                  "send_as_json",
                  true,
                  "headers",
                  Map.of("X-Run", "7")));
      m.fit(X, Y, fit(1, ReduceLROnPlateau.builder().monitor("loss").build(), rm).build());
      Request r = server.requests.get(0);
      assertThat(r.path()).isEqualTo("/epochs");
      assertThat(r.headers())
          .containsEntry("content-type", "application/json")
          .containsEntry("x-run", "7");
      // lr is a float32 in the logs; numpy's .item() sends its double value.
      assertThat(r.body())
          .matches("\\{\"epoch\": 0, \"loss\": [0-9.]+, \"lr\": 0\\.05000000074505806\\}");
    }
  }

  @Test
  void warnsAndTrainsOnWhenTheServerCannotBeReached() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    String root = "http://127.0.0.1:" + port;
    try (Sequential m = model(0.05)) {
      List<String> w =
          warnings(
              () ->
                  assertThat(
                          m.fit(X, Y, fit(2, RemoteMonitor.builder().root(root).build()).build())
                              .epoch())
                      .hasSize(2));
      assertThat(w)
          .containsExactly(
              "Warning: could not reach RemoteMonitor root server at " + root,
              "Warning: could not reach RemoteMonitor root server at " + root);
    }
  }

  @Test
  void rejectsARootThatIsNoHttpUrl() {
    assertThatThrownBy(() -> RemoteMonitor.builder().root("localhost:9000").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Expected `root` to be an http:// or https:// URL. Received: root=localhost:9000");
  }
}
