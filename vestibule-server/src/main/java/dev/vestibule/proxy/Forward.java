package dev.vestibule.proxy;

import dev.vestibule.relay.UpstreamCall;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * One client request on its way upstream. The body streams to the upstream as it arrives and, when a retry
 * may follow, is also kept (up to the route's limit) so the retry can replay it.
 */
final class Forward implements UpstreamCall<HttpClientResponse> {
  private final HttpServerRequest request;
  private final Context context;
  private final HttpClient client;
  private final RequestOptions target;
  private final Function<String, MultiMap> headersFor;
  private final long maxBodyBytes;
  private final long timeoutMillis;
  private final boolean keepBody;
  private final boolean hasBody;
  private final Promise<Void> bodyComplete = Promise.promise();
  private final Buffer kept = Buffer.buffer();
  private final Buffer preread;
  private long received;
  private HttpClientRequest streamingTo;
  private boolean streaming;

  /**
   * @param headersFor the upstream request headers for an access token (null when relaying none)
   * @param keepBody whether to keep the body for a retry
   * @param preread the body when a guard has already read it, else null (the body is streamed)
   */
  Forward(HttpServerRequest request, Context context, HttpClient client, RequestOptions target,
      Function<String, MultiMap> headersFor, long maxBodyBytes, long timeoutMillis, boolean keepBody, Buffer preread) {
    this.request = request;
    this.context = context;
    this.client = client;
    this.target = target;
    this.headersFor = headersFor;
    this.maxBodyBytes = maxBodyBytes;
    this.timeoutMillis = timeoutMillis;
    this.keepBody = keepBody;
    this.preread = preread;
    this.hasBody = preread == null ? hasBody(request) : preread.length() > 0;
    if (preread != null) kept.appendBuffer(preread);
    if (!hasBody || preread != null) bodyComplete.tryComplete();
  }

  /** Whether the client's body went over the route's limit (whatever the upstream side saw). */
  boolean bodyTooLarge() {
    return received > maxBodyBytes;
  }

  @Override
  public CompletionStage<HttpClientResponse> send(String accessToken, int attempt) {
    if (Vertx.currentContext() == context) return attempt(accessToken, attempt).toCompletionStage();
    Promise<HttpClientResponse> promise = Promise.promise();
    context.runOnContext(v -> attempt(accessToken, attempt).onComplete(promise));
    return promise.future().toCompletionStage();
  }

  @Override
  public int status(HttpClientResponse response) {
    return response.statusCode();
  }

  @Override
  public void discard(HttpClientResponse response) {
    if (streamingTo == response.request()) {
      // The upstream answered before the body was through: stop feeding it, keep reading for the retry.
      streamingTo = null;
      response.request().reset();
      request.resume();
    } else {
      response.body();
      response.resume();
    }
  }

  private Future<HttpClientResponse> attempt(String accessToken, int attempt) {
    RequestOptions options = new RequestOptions(target).setHeaders(headersFor.apply(accessToken));
    return client.request(options)
        .recover(failure -> Future.failedFuture(new UpstreamFailure(UpstreamFailure.Kind.UNREACHABLE, "upstream unreachable")))
        .compose(upstream -> {
          Future<HttpClientResponse> response = withTimeout(upstream);
          if (attempt == 1 && !streaming && preread == null) {
            streaming = true;
            streamBody(upstream);
          } else {
            bodyComplete.future()
                .onSuccess(v -> upstream.end(kept))
                .onFailure(failure -> upstream.reset());
          }
          return response;
        });
  }

  private Future<HttpClientResponse> withTimeout(HttpClientRequest upstream) {
    Promise<HttpClientResponse> result = Promise.promise();
    Vertx vertx = context.owner();
    long timer = vertx.setTimer(timeoutMillis, id -> {
      if (result.tryFail(new UpstreamFailure(UpstreamFailure.Kind.TIMEOUT, "upstream timed out"))) upstream.reset();
    });
    upstream.response().onComplete(ar -> {
      vertx.cancelTimer(timer);
      if (ar.succeeded()) {
        // Held until someone reads it: the answer reaches its reader through a hop onto the context, and a
        // small body and its end could otherwise arrive, unheard, in between.
        ar.result().pause();
        if (!result.tryComplete(ar.result())) ar.result().request().reset();
      } else {
        result.tryFail(failure(ar.cause()));
      }
    });
    return result.future();
  }

  // The request's idle timeout (also the route timeout) can fire before the timer: it is a timeout too.
  private static Throwable failure(Throwable cause) {
    if (cause instanceof UpstreamFailure) return cause;
    if (cause instanceof TimeoutException) return new UpstreamFailure(UpstreamFailure.Kind.TIMEOUT, "upstream timed out");
    return new UpstreamFailure(UpstreamFailure.Kind.UNREACHABLE, "upstream connection failed");
  }

  private void streamBody(HttpClientRequest upstream) {
    if (!hasBody) {
      upstream.end();
      return;
    }
    String length = request.getHeader("Content-Length");
    if (length != null) {
      upstream.putHeader("Content-Length", length);
    } else {
      upstream.setChunked(true);
    }
    streamingTo = upstream;
    request.handler(chunk -> {
      received += chunk.length();
      if (received > maxBodyBytes) {
        tooLarge();
        return;
      }
      if (keepBody) kept.appendBuffer(chunk);
      HttpClientRequest sink = streamingTo;
      if (sink == null) return;
      sink.write(chunk);
      if (sink.writeQueueFull()) {
        request.pause();
        sink.drainHandler(v -> request.resume());
      }
    });
    request.endHandler(v -> {
      if (streamingTo != null) streamingTo.end();
      bodyComplete.tryComplete();
    });
    request.exceptionHandler(failure -> {
      if (streamingTo != null) streamingTo.reset();
      bodyComplete.tryFail(new UpstreamFailure(UpstreamFailure.Kind.UNREACHABLE, "client request failed"));
    });
    request.resume();
  }

  private void tooLarge() {
    request.handler(null);
    request.endHandler(null);
    if (streamingTo != null) {
      streamingTo.reset(0, new UpstreamFailure(UpstreamFailure.Kind.BODY_TOO_LARGE, "body too large"));
      streamingTo = null;
    }
    bodyComplete.tryFail(new UpstreamFailure(UpstreamFailure.Kind.BODY_TOO_LARGE, "body too large"));
  }

  private static boolean hasBody(HttpServerRequest request) {
    String length = request.getHeader("Content-Length");
    if (length != null) return !length.trim().equals("0");
    return request.headers().contains("Transfer-Encoding");
  }
}
