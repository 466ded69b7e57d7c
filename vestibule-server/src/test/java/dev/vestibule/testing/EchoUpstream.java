package dev.vestibule.testing;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Predicate;

/**
 * An upstream API on loopback that answers every request with what it received (method, path, headers,
 * body) as JSON, and 401 when the bearer token is not one it accepts. Paths starting with {@code /slow}
 * answer after {@code slowMillis}; {@code /download?chunks=N} streams N chunks, 100 ms apart. A request header
 * {@code X-Echo-Set-Cookie: a|b} makes the answer set those cookies, {@code X-Echo-Header: A: 1|B: 2} add
 * those headers. {@code /status/NNN} answers NNN;
 * {@code /upload-timing} says when the first body bytes and the end of the body arrived.
 */
public final class EchoUpstream implements AutoCloseable {
  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  public final List<JsonObject> received = new CopyOnWriteArrayList<>();
  public volatile Predicate<String> acceptsToken = token -> true;
  public volatile long slowMillis = 3_000;
  /** Refuse an unacceptable token as soon as the request head arrives, before reading the body. */
  public volatile boolean rejectBeforeBody = false;
  /** A delay for every answer, to hold concurrent requests in flight together. */
  public volatile long everyAnswerDelayMillis = 0;
  /** The close code of each WebSocket that closed (1005 when none was given). */
  public final BlockingQueue<Short> webSocketCloses = new LinkedBlockingQueue<>();
  /** The one WebSocket subprotocol this upstream speaks. */
  public static final String WEBSOCKET_PROTOCOL = "chat.v2";

  public EchoUpstream() {
    // Large enough for the gateway's own 32 KiB header limit, so that limit is the one tests see.
    server = vertx.createHttpServer(new HttpServerOptions().setMaxHeaderSize(64 * 1024)
            .setWebSocketSubProtocols(List.of(WEBSOCKET_PROTOCOL))
            .setMaxWebSocketFrameSize(1024 * 1024).setMaxWebSocketMessageSize(4 * 1024 * 1024))
        .requestHandler(this::handle).listen(0, "127.0.0.1").await();
  }

  public String url(String path) {
    return "http://127.0.0.1:" + server.actualPort() + path;
  }

  public JsonObject last() {
    return received.isEmpty() ? null : received.get(received.size() - 1);
  }

  private void handle(HttpServerRequest request) {
    if (request.canUpgradeToWebSocket() && !request.path().startsWith("/v1/status/")) {
      webSocket(request);
      return;
    }
    if (request.path().startsWith("/v1/download")) {
      download(request);
      return;
    }
    if (request.path().startsWith("/v1/upload-timing")) {
      uploadTiming(request);
      return;
    }
    if (request.path().startsWith("/v1/status/")) {
      request.body().onSuccess(body -> request.response()
          .setStatusCode(Integer.parseInt(request.path().substring("/v1/status/".length())))
          .putHeader("Content-Type", "text/plain")
          .putHeader("X-Upstream", "yes")
          .end("upstream says " + request.path()));
      return;
    }
    if (rejectBeforeBody && !acceptable(request)) {
      received.add(new JsonObject().put("method", request.method().name()).put("uri", request.uri())
          .put("headers", headers(request.headers())).put("body", "(not read)"));
      request.response().setStatusCode(401).putHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"").end();
      return;
    }
    request.body().onSuccess(body -> {
      JsonObject seen = new JsonObject()
          .put("method", request.method().name())
          .put("uri", request.uri())
          .put("headers", headers(request.headers()))
          .put("body", body.toString());
      received.add(seen);
      if (!acceptable(request)) {
        request.response().setStatusCode(401).putHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"").end();
        return;
      }
      long delay = request.path().contains("/slow") ? slowMillis : everyAnswerDelayMillis;
      // X-Echo-Set-Cookie: a|b makes the answer carry Set-Cookie: a and Set-Cookie: b.
      String setCookies = request.getHeader("X-Echo-Set-Cookie");
      if (setCookies != null) {
        for (String cookie : setCookies.split("\\|")) request.response().headers().add("Set-Cookie", cookie);
      }
      // X-Echo-Header: A: 1|B: 2 makes the answer carry those headers.
      String extra = request.getHeader("X-Echo-Header");
      if (extra != null) {
        for (String header : extra.split("\\|")) {
          String[] nameValue = header.split(":\\s*", 2);
          request.response().headers().add(nameValue[0], nameValue[1]);
        }
      }
      Runnable answer = () -> request.response()
          .putHeader("Content-Type", "application/json")
          .putHeader("Connection", "keep-alive, X-Internal-Hop")
          .putHeader("X-Internal-Hop", "must not reach the client")
          .putHeader("Keep-Alive", "timeout=5")
          .end(seen.encode());
      if (delay > 0) vertx.setTimer(delay, id -> answer.run()); else answer.run();
    });
  }

  /** Answers when the first body bytes and the end arrived (epoch millis), and how many bytes came. */
  private void uploadTiming(HttpServerRequest request) {
    long[] firstChunkAt = {0};
    long[] bytes = {0};
    request.handler(chunk -> {
      if (firstChunkAt[0] == 0) firstChunkAt[0] = System.currentTimeMillis();
      bytes[0] += chunk.length();
    });
    request.endHandler(v -> request.response().putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("firstChunkAt", firstChunkAt[0]).put("endAt", System.currentTimeMillis())
            .put("bytes", bytes[0]).encode()));
  }

  private void download(HttpServerRequest request) {
    int chunks = Integer.parseInt(request.getParam("chunks", "5"));
    var response = request.response().setChunked(true).putHeader("Content-Type", "application/octet-stream");
    response.write(Buffer.buffer("chunk-0\n"));
    long[] sent = {1};
    vertx.setPeriodic(100, id -> {
      if (sent[0] >= chunks) {
        vertx.cancelTimer(id);
        response.end();
        return;
      }
      response.write(Buffer.buffer("chunk-" + sent[0]++ + "\n"));
    });
  }

  /**
   * A WebSocket: refused with 401 for a token it does not accept; else its first message is what the handshake
   * carried (as for a request), then it echoes text as {@code echo:<text>} and binary as is; the text
   * {@code close:<code>} makes it close with that code.
   */
  private void webSocket(HttpServerRequest request) {
    JsonObject seen = new JsonObject().put("method", "WEBSOCKET").put("uri", request.uri())
        .put("headers", headers(request.headers()));
    received.add(seen);
    if (!acceptable(request)) {
      request.response().setStatusCode(401).end();
      return;
    }
    if (request.path().startsWith("/v1/slow")) {
      request.pause();
      vertx.setTimer(slowMillis, id -> upgrade(request, seen));
    } else {
      upgrade(request, seen);
    }
  }

  private void upgrade(HttpServerRequest request, JsonObject seen) {
    request.toWebSocket().onSuccess(ws -> {
      ws.writeTextMessage(seen.copy().put("subProtocol", ws.subProtocol()).encode());
      ws.textMessageHandler(text -> {
        if (text.startsWith("close:")) {
          ws.close(Short.parseShort(text.substring(6)), "upstream closes");
        } else {
          ws.writeTextMessage("echo:" + text);
        }
      });
      ws.binaryMessageHandler(ws::writeBinaryMessage);
      ws.closeHandler(v -> webSocketCloses.add(ws.closeStatusCode() == null ? (short) 1005 : ws.closeStatusCode()));
    });
  }

  private boolean acceptable(HttpServerRequest request) {
    String authorization = request.getHeader("Authorization");
    String token = authorization != null && authorization.startsWith("Bearer ") ? authorization.substring(7) : null;
    return token == null || acceptsToken.test(token);
  }

  private static JsonObject headers(MultiMap headers) {
    JsonObject out = new JsonObject();
    for (Map.Entry<String, String> header : headers) {
      String name = header.getKey().toLowerCase();
      JsonArray values = out.getJsonArray(name, new JsonArray());
      values.add(header.getValue());
      out.put(name, values);
    }
    return out;
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
