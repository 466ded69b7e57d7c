package dev.vestibule.guard;

import dev.vestibule.identity.apikey.Privilege;
import dev.vestibule.relay.TokenRelay;
import dev.vestibule.session.Session;
import dev.vestibule.token.TokenRejectedException;
import dev.vestibule.web.Problem;
import dev.vestibule.web.RefreshFailures;
import dev.vestibule.web.Sessions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Route guards: higher-order handlers that check one thing before the wrapped handler runs, put what they
 * verified into {@link Verified}, and compose by nesting:
 *
 * <pre>{@code
 * router.post("/api/notes").handler(
 *     guards.authenticated(guards.csrf(guards.byteLimit(2048, Set.of(), ctx -> {
 *       JsonObject note = Verified.of(ctx).json().orElseThrow();
 *       ...
 *     }))));
 * }</pre>
 *
 * The gateway's route options are built from these same guards.
 */
public final class Guards {
  // Every other method needs the CSRF header: not only POST, PUT, PATCH and DELETE, but also WebDAV's, and "post",
  // which some upstreams upper-case into a POST.
  private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);
  /** The body limit of {@link #apiManagement}: its requests carry a token id and a few short fields. */
  public static final int API_MANAGEMENT_MAX_BODY = 2048;
  /** The body limit of {@link #mfaCode}: a code is 7 digits. */
  public static final int MFA_CODE_MAX_BODY = 1024;

  private final Sessions sessions;
  private final TokenRelay relay;
  private final RefreshFailures refreshFailures;
  private final ApiKeyGuard apiKeys;
  private final MailedLoginGuard mailedLogins;
  private final Deduplicator deduplicator = new Deduplicator();
  private final AtomicLong deduplicated = new AtomicLong();

  public Guards(Sessions sessions, TokenRelay relay, RefreshFailures refreshFailures) {
    this(sessions, relay, refreshFailures, null, null);
  }

  /**
   * @param apiKeys the API-key check, or null without the built-in identity (then {@link #apiKey} is unavailable)
   * @param mailedLogins the link and code checks, or null without the built-in identity (then {@link #magicLink}
   *     and {@link #mfaCode} are unavailable)
   */
  public Guards(Sessions sessions, TokenRelay relay, RefreshFailures refreshFailures, ApiKeyGuard apiKeys,
      MailedLoginGuard mailedLogins) {
    this.sessions = sessions;
    this.relay = relay;
    this.refreshFailures = refreshFailures;
    this.apiKeys = apiKeys;
    this.mailedLogins = mailedLogins;
  }

  /**
   * Needs a usable session: 401 with a {@code login} link (302 to login for a browser navigation) without
   * one. Tokens about to expire are refreshed first, so the handler sees fresh ones.
   */
  public Handler<RoutingContext> authenticated(Handler<RoutingContext> next) {
    return loaded(ctx -> {
      ctx.request().pause();
      Optional<Session> session = sessions.get(ctx);
      if (session.isEmpty()) {
        refreshFailures.loginRequired(ctx, "This route needs a logged-in session.");
        return;
      }
      refreshed(ctx, session.get()).onComplete(ar -> {
        if (ar.succeeded()) {
          Verified.of(ctx).session(ar.result());
          next.handle(ctx);
        } else if (!refreshFailures.handle(ctx, ar.cause())) {
          ctx.fail(ar.cause());
        }
      });
    });
  }

  /**
   * Uses the session when there is one and goes on as a guest on any failure but an unavailable provider
   * (503): a session whose refresh was rejected is ended and the request continues as a guest.
   */
  public Handler<RoutingContext> optional(Handler<RoutingContext> next) {
    return loaded(ctx -> {
      ctx.request().pause();
      Optional<Session> session = sessions.get(ctx);
      if (session.isEmpty()) {
        next.handle(ctx);
        return;
      }
      refreshed(ctx, session.get()).onComplete(ar -> {
        if (ar.succeeded()) {
          Verified.of(ctx).session(ar.result());
          next.handle(ctx);
          return;
        }
        if (RefreshFailures.unwrap(ar.cause()) instanceof TokenRejectedException) {
          sessions.end(ctx);
          next.handle(ctx);
        } else if (!refreshFailures.handle(ctx, ar.cause())) {
          ctx.fail(ar.cause());
        }
      });
    });
  }

  /**
   * Unsafe methods (POST, PUT, PATCH, DELETE, and any other but GET, HEAD and OPTIONS) of a request with a session
   * need an {@code X-CSRF-Token} header equal to the {@code vestibule-csrf} cookie and bound to that session: 403
   * otherwise.
   */
  public Handler<RoutingContext> csrf(Handler<RoutingContext> next) {
    return loaded(ctx -> {
      if (!SAFE.contains(ctx.request().method()) && sessions.get(ctx).isPresent() && !sessions.csrfValid(ctx)) {
        Problem.forbidden("Missing or wrong X-CSRF-Token header.").send(ctx.response());
        return;
      }
      next.handle(ctx);
    });
  }

  /** A POST of a logged-in user with a valid CSRF header: 405 for other methods, then 401, then 403. */
  public Handler<RoutingContext> authenticatedPost(Handler<RoutingContext> next) {
    return only(HttpMethod.POST, authenticated(csrf(next)));
  }

  /**
   * Logs in with a mailed link: a GET whose {@code token} query parameter is an unused, unexpired link token. The
   * link's user gets a new session (replacing any other) before the handler runs; {@link Verified#session()} holds
   * it and {@link Verified#returnTo()} the path the user asked to land on. An unusable link is a 401 with a
   * {@code login} member (a browser navigation goes to the login page instead); a client address with too many
   * unusable links gets 429.
   *
   * @throws IllegalStateException without the built-in identity, which sends the links
   */
  public Handler<RoutingContext> magicLink(Handler<RoutingContext> next) {
    if (mailedLogins == null) throw new IllegalStateException("magic links need the built-in identity (identity.type: builtin)");
    return only(HttpMethod.GET, mailedLogins.link(next));
  }

  /**
   * Completes a login with its mailed code: a POST (405 otherwise) with a valid CSRF header once a session
   * exists, a JSON body {@code {"code": "1234567"}} of at most {@value #MFA_CODE_MAX_BODY} bytes, from the browser
   * holding the login's challenge cookie. The right code starts a new session (new id, new tokens) before the
   * handler runs, in {@link Verified#session()}. A wrong code is a 401 with {@code attemptsLeft}; too many are a
   * 429; a missing, used or expired challenge is a 401.
   *
   * @throws IllegalStateException without the built-in identity, which sends the codes
   */
  public Handler<RoutingContext> mfaCode(Handler<RoutingContext> next) {
    if (mailedLogins == null) throw new IllegalStateException("MFA codes need the built-in identity (identity.type: builtin)");
    return only(HttpMethod.POST, csrf(byteLimit(MFA_CODE_MAX_BODY, Set.of(), mailedLogins.code(next))));
  }

  private static Handler<RoutingContext> only(HttpMethod method, Handler<RoutingContext> next) {
    return ctx -> {
      if (ctx.request().method() != method) {
        ctx.response().putHeader("Allow", method.name());
        Problem.of(405, "method-not-allowed", "Method not allowed", "Only " + method.name() + " is accepted here.")
            .send(ctx.response());
        return;
      }
      next.handle(ctx);
    };
  }

  /**
   * Needs an {@code X-API-KEY} header with a key of {@code required} privilege or higher, used from an address
   * it allows: 401 for a missing, unknown, revoked or expired key, 403 for a key that may not do this, 429 with
   * Retry-After once a client address had too many refusals (a valid key still passes). The accepted key's
   * metadata goes into {@link Verified#apiKey()}.
   *
   * @throws IllegalStateException without the built-in identity, which holds the keys
   */
  public Handler<RoutingContext> apiKey(Privilege required, Handler<RoutingContext> next) {
    if (apiKeys == null) throw new IllegalStateException("API keys need the built-in identity (identity.type: builtin)");
    return apiKeys.guard(required, next);
  }

  /**
   * For endpoints where a logged-in user manages their API keys: {@link #authenticatedPost} with a JSON body
   * of at most {@value #API_MANAGEMENT_MAX_BODY} bytes, read into {@link Verified#json()}.
   */
  public Handler<RoutingContext> apiManagement(Handler<RoutingContext> next) {
    return authenticatedPost(byteLimit(API_MANAGEMENT_MAX_BODY, Set.of(), next));
  }

  /**
   * Reads the body of requests whose method is in {@code methods} (all methods when empty), refusing
   * with 413 before reading when the declared length is over {@code bytes}, and while reading otherwise.
   * The body, and its JSON object when it is JSON, go into {@link Verified}; an empty body leaves them
   * empty; malformed JSON is a 400.
   */
  public Handler<RoutingContext> byteLimit(long bytes, Set<HttpMethod> methods, Handler<RoutingContext> next) {
    return ctx -> {
      HttpServerRequest request = ctx.request();
      if (!methods.isEmpty() && !methods.contains(request.method())) {
        next.handle(ctx);
        return;
      }
      if (declaredTooLarge(ctx, bytes)) return;
      readBody(ctx, bytes).onSuccess(body -> {
        JsonObject json = null;
        if (body.length() > 0 && isJson(request)) {
          try {
            json = new JsonObject(body);
          } catch (DecodeException | ClassCastException e) {
            Problem.badRequest("The body is not a JSON object.").send(ctx.response());
            return;
          }
        }
        Verified.of(ctx).body(body.length() == 0 ? null : body, json);
        next.handle(ctx);
      });
    };
  }

  /**
   * Refuses a declared body over {@code bytes} with 413 without reading it; for handlers that stream the
   * body on and check the limit as it arrives (the gateway's proxy).
   */
  public Handler<RoutingContext> declaredLimit(long bytes, Handler<RoutingContext> next) {
    return ctx -> {
      if (!declaredTooLarge(ctx, bytes)) next.handle(ctx);
    };
  }

  /**
   * Runs concurrent identical requests of one session (same method, path and query, and body — put a
   * {@link #byteLimit} outside to include the body) once, and answers all of them with its reply. Requests without
   * a session or API key are never shared: guests may differ in what the gateway does not see (their own cookies).
   */
  public Handler<RoutingContext> deduplicated(Reply.Handler next) {
    return loaded(ctx -> {
      Optional<Session> session = sessions.get(ctx);
      // Requests with API keys share answers per key, never across keys.
      Optional<String> caller = session.map(Session::id)
          .or(() -> Verified.of(ctx).apiKey().map(key -> "api-key:" + key.tokenId()));
      if (caller.isEmpty()) {
        next.handle(ctx).onSuccess(reply -> reply.send(ctx.response())).onFailure(ctx::fail);
        return;
      }
      String key = Deduplicator.key(caller.get(), ctx.request().method().name(),
          ctx.request().uri(), Verified.of(ctx).body().orElse(null));
      deduplicator.run(key, () -> next.handle(ctx).map(reply ->
              new Deduplicator.Shared(reply, sessions.get(ctx).orElse(null))), deduplicated::incrementAndGet)
          .onSuccess(shared -> {
            Session mine = sessions.get(ctx).orElse(null);
            if (shared.session() != null && mine != null && !shared.session().equals(mine)) {
              sessions.replace(ctx, shared.session());
            }
            shared.reply().send(ctx.response());
          })
          .onFailure(ctx::fail);
    });
  }

  /** How many requests were answered with another request's reply. */
  public long deduplicatedCount() {
    return deduplicated.get();
  }

  // The session may live in Redis: read it (holding the body back meanwhile) before the guard looks at it.
  private Handler<RoutingContext> loaded(Handler<RoutingContext> guard) {
    return ctx -> {
      Future<Void> loading = sessions.load(ctx);
      if (loading.succeeded()) {
        guard.handle(ctx);
        return;
      }
      ctx.request().pause();
      loading.onComplete(ar -> {
        ctx.request().resume();
        if (ar.succeeded()) {
          guard.handle(ctx);
        } else if (!refreshFailures.handle(ctx, ar.cause())) {
          ctx.fail(ar.cause());
        }
      });
    };
  }

  private Future<Session> refreshed(RoutingContext ctx, Session session) {
    return Future.fromCompletionStage(relay.ensureFresh(session.tokens()), ctx.vertx().getOrCreateContext())
        .map(tokens -> {
          if (tokens.equals(session.tokens())) return session;
          Session renewed = session.withTokens(tokens);
          sessions.replace(ctx, renewed);
          return renewed;
        });
  }

  private static boolean declaredTooLarge(RoutingContext ctx, long bytes) {
    String length = ctx.request().getHeader("Content-Length");
    if (length == null || declaredLength(length) <= bytes) return false;
    ctx.response().putHeader("Connection", "close");
    Problem.tooLarge(bytes).send(ctx.response());
    return true;
  }

  private static Future<Buffer> readBody(RoutingContext ctx, long bytes) {
    if (ctx.body() != null && ctx.body().available()) {
      Buffer read = ctx.body().buffer();
      return Future.succeededFuture(read == null ? Buffer.buffer() : read);
    }
    HttpServerRequest request = ctx.request();
    if (request.isEnded()) return Future.succeededFuture(Buffer.buffer());
    io.vertx.core.Promise<Buffer> promise = io.vertx.core.Promise.promise();
    Buffer body = Buffer.buffer();
    request.handler(chunk -> {
      if (body.length() + chunk.length() > bytes) {
        request.handler(null);
        request.endHandler(null);
        ctx.response().putHeader("Connection", "close");
        Problem.tooLarge(bytes).send(ctx.response());
        return;
      }
      body.appendBuffer(chunk);
    });
    request.endHandler(v -> promise.tryComplete(body));
    request.exceptionHandler(promise::tryFail);
    request.resume();
    return promise.future();
  }

  private static boolean isJson(HttpServerRequest request) {
    String type = request.getHeader("Content-Type");
    return type != null && type.toLowerCase(Locale.ROOT).contains("json");
  }

  private static long declaredLength(String header) {
    try {
      return Long.parseLong(header.trim());
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }
}
