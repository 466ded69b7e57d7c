package dev.vestibule.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A real WebSocket client (Vert.x) for one gateway port; frames up to 1 MiB, as a browser sends whole messages. */
public final class WebSocketCalls implements AutoCloseable {
  private final Vertx vertx = Vertx.vertx();
  private final WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions()
      .setMaxFrameSize(1024 * 1024).setMaxMessageSize(4 * 1024 * 1024).setMaxConnections(1000));
  private final int port;

  public WebSocketCalls(int port) {
    this.port = port;
  }

  /** An open WebSocket and the messages it received, text as is, binary as {@code binary:<text>}. */
  public record Open(WebSocket socket, BlockingQueue<String> messages, CompletableFuture<Short> closedWith) {
    public String next() throws InterruptedException {
      String message = messages.poll(10, TimeUnit.SECONDS);
      assertThat(message).as("a message within 10 s").isNotNull();
      return message;
    }
  }

  private WebSocketConnectOptions options(String path, List<String> protocols, String... headers) {
    MultiMap map = HttpHeaders.headers();
    for (int i = 0; i + 1 < headers.length; i += 2) map.add(headers[i], headers[i + 1]);
    // Only the Origin a test names: the client would otherwise add one of its own.
    return new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(path)
        .setHeaders(map).setSubProtocols(protocols).setAllowOriginHeader(map.contains("Origin"));
  }

  public Open open(String path, List<String> protocols, String... headers) {
    BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    CompletableFuture<Short> closed = new CompletableFuture<>();
    WebSocket socket = client.connect(options(path, protocols, headers)).map(ws -> {
      ws.textMessageHandler(messages::add);
      ws.binaryMessageHandler(bytes -> messages.add("binary:" + bytes.toString()));
      ws.closeHandler(v -> closed.complete(ws.closeStatusCode()));
      return ws;
    }).await();
    return new Open(socket, messages, closed);
  }

  /** The status the gateway refused the upgrade with (fails the test if it was accepted). */
  public int refused(String path, String... headers) {
    Throwable failure;
    try {
      client.connect(options(path, List.of(), headers)).await().close();
      failure = null;
    } catch (Throwable e) {
      failure = e;
    }
    assertThat(failure).as("the upgrade of %s is refused", path).isInstanceOf(UpgradeRejectedException.class);
    return ((UpgradeRejectedException) failure).getStatus();
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
