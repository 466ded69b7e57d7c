package dev.vestibule.web;

import dev.vestibule.session.CsrfTokens;
import dev.vestibule.session.EndedSessions;
import dev.vestibule.session.LocalEndedSessions;
import dev.vestibule.session.Session;
import dev.vestibule.session.SessionCodec;
import dev.vestibule.session.SessionCookies;
import dev.vestibule.session.StoredSessions;
import dev.vestibule.token.TokenSet;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The user's session as an HTTP request sees it: read from the sealed cookie once per request, and written
 * back (re-sealed, chunked, or cleared) just before the response head goes out.
 *
 * <pre>{@code
 * Optional<Session> current = sessions.get(ctx);          // guest when absent
 * Session session = sessions.require(ctx);              // 401 when absent
 * sessions.set(ctx, sessions.create(user, tokens));     // a new login
 * sessions.replace(ctx, session.withTokens(refreshed));  // same login, new tokens
 * sessions.end(ctx);                                     // logout: the cookie is refused from now on
 * }</pre>
 */
public final class Sessions {
  public static final String CSRF_COOKIE = "vestibule-csrf";
  public static final String CSRF_HEADER = "X-CSRF-Token";
  /** Holds a login's MFA challenge between the password and the mailed code ({@code __Host-} prefixed under https). */
  public static final String MFA_COOKIE = "vestibule-mfa";
  /** Holds an OpenID login in flight between {@code /auth/login} and {@code /auth/callback}. */
  public static final String OIDC_COOKIE = "vestibule-oidc";
  private static final String STATE = "vestibule.session";
  private static final String LOADING = "vestibule.session.loading";
  private static final Logger LOG = LoggerFactory.getLogger(Sessions.class);

  private final SessionCodec codec;
  private final SessionCookies cookies;
  private final CsrfTokens csrf;
  private final EndedSessions ended;
  private final Clock clock;
  private final Duration maxAge;
  private final Duration idleTimeout;
  private final String sameSite;
  private final boolean secure;
  private final Runnable onEnded;
  private final String mfaCookieName;
  private final StoredSessions store;
  // In memory alone, reading a session costs no I/O: it is left to the first handler that asks, as a route may never.
  private final boolean readAhead;

  public Sessions(SessionCodec codec, SessionCookies cookies, CsrfTokens csrf, EndedSessions ended, Clock clock,
      Duration maxAge, Duration idleTimeout, String sameSite, boolean secure, Runnable onEnded) {
    this(codec, cookies, csrf, ended, clock, maxAge, idleTimeout, sameSite, secure, onEnded, null);
  }

  /** With {@code store} (may be null) the session lives on the server and the cookie holds only its sealed id. */
  public Sessions(SessionCodec codec, SessionCookies cookies, CsrfTokens csrf, EndedSessions ended, Clock clock,
      Duration maxAge, Duration idleTimeout, String sameSite, boolean secure, Runnable onEnded, StoredSessions store) {
    this.store = store;
    this.readAhead = store != null || !(ended instanceof LocalEndedSessions);
    this.codec = codec;
    this.cookies = cookies;
    this.csrf = csrf;
    this.ended = ended;
    this.clock = clock;
    this.maxAge = maxAge;
    this.idleTimeout = idleTimeout;
    this.sameSite = sameSite;
    this.secure = secure;
    this.onEnded = onEnded;
    this.mfaCookieName = secure ? "__Host-" + MFA_COOKIE : MFA_COOKIE;
  }

  /** A new login's session, valid for {@code session.maxAge} from now. */
  public Session create(Map<String, Object> user, TokenSet tokens) {
    Instant now = clock.instant();
    return new Session(Session.newId(), user, tokens, now, now.plus(maxAge), now);
  }

  /** The request's usable session: sealed by us, unexpired, not idle too long, not ended. */
  public Optional<Session> get(RoutingContext ctx) {
    return Optional.ofNullable(state(ctx).session);
  }

  /** The request's session, or a {@link ProblemException} (401) that the failure handler answers. */
  public Session require(RoutingContext ctx) {
    return get(ctx).orElseThrow(() -> new ProblemException(Problem.unauthorized("This route needs a logged-in session.")));
  }

  /**
   * Starts a new login: the response carries its cookie and a CSRF cookie bound to it. A login this browser held
   * before ends, so a copy of its old cookie is refused from now on.
   */
  public void set(RoutingContext ctx, Session session) {
    State state = state(ctx);
    Session previous = state.session != null ? state.session : state.opened;
    if (previous != null && !previous.id().equals(session.id())) {
      onEnded.run();
      ending(previous).whenComplete((v, failure) -> {
        if (failure != null) LOG.warn("the session before a new login could not be ended: {}", failure.getMessage());
      });
    }
    state.session = session;
    state.write = true;
    state.clear = false;
  }

  /** Stores a changed session of the same login (refreshed tokens). */
  public void replace(RoutingContext ctx, Session session) {
    set(ctx, session);
  }

  /** Removes the session cookies from the browser. */
  public void clear(RoutingContext ctx) {
    State state = state(ctx);
    state.session = null;
    state.write = false;
    state.clear = true;
  }

  /**
   * Ends the login: the cookie is cleared and refused if replayed, until it would have expired anyway. The future
   * completes once every instance would refuse it.
   */
  public Future<Void> end(RoutingContext ctx) {
    State state = state(ctx);
    Session session = state.session != null ? state.session : state.opened;
    clear(ctx);
    if (session == null) return Future.succeededFuture();
    onEnded.run();
    return Future.fromCompletionStage(ending(session), ctx.vertx().getOrCreateContext());
  }

  /** Ends every session of this user that started before now (after a password reset). */
  public Future<Void> endUser(String userId) {
    return endUser(userId, clock.instant());
  }

  /** Ends every session of this user that started before {@code at}. */
  public Future<Void> endUser(String userId, Instant at) {
    // A cookie tells when its login began to the millisecond: the new password's first login, in the cutoff's
    // millisecond but after it, must not look older than the cutoff.
    Instant before = at.truncatedTo(ChronoUnit.MILLIS);
    return Future.fromCompletionStage(ended.endUser(userId, before, at.plus(maxAge)));
  }

  private CompletionStage<Void> ending(Session session) {
    CompletionStage<Void> remembered = ended.end(session.id(), session.expiresAt());
    return store == null ? remembered : remembered.thenCompose(v -> store.delete(session.id()));
  }

  /**
   * Reads the request's session before its handlers ask for it: {@code router.route().handler(sessions.loader())}
   * ahead of the routes (the gateway and {@code mountAuthEndpoints} do). Needed when sessions or ended logins live
   * in Redis; without it, the first {@link #get} reads the cookie alone. When Redis cannot answer, the request goes
   * on: only a handler that asks for the session fails (503), so routes without sessions keep working.
   */
  public Handler<RoutingContext> loader() {
    return ctx -> {
      if (!readAhead) {
        ctx.next();
        return;
      }
      Future<Void> loading = load(ctx);
      if (loading.succeeded()) {
        ctx.next();
        return;
      }
      // The body waits for the handler that reads it; resuming only schedules its delivery.
      ctx.request().pause();
      loading.onComplete(ar -> {
        ctx.request().resume();
        ctx.next(); // a failed read fails only the handlers that ask for the session: a route without one still works
      });
    };
  }

  /**
   * For routes that all use the session: fails the request (503 through the failure handler) when {@link #loader()}
   * could not read it, before the handler does work it cannot finish (an OpenID code exchange, a password check).
   */
  public Handler<RoutingContext> requireLoaded() {
    return ctx -> {
      Future<Void> loading = ctx.get(LOADING);
      if (loading != null && loading.failed()) {
        ctx.fail(loading.cause());
      } else {
        ctx.next();
      }
    };
  }

  /** Reads the request's session once; fails when the shared store cannot answer. */
  public Future<Void> load(RoutingContext ctx) {
    if (ctx.get(STATE) != null) return Future.succeededFuture();
    Future<Void> pending = ctx.get(LOADING);
    if (pending != null) return pending;
    CompletableFuture<State> read = read(ctx.request()).toCompletableFuture();
    if (read.isDone() && !read.isCompletedExceptionally()) {
      install(ctx, read.join());
      return Future.succeededFuture();
    }
    Future<Void> loading = Future.fromCompletionStage(read, ctx.vertx().getOrCreateContext()).map(state -> {
      if (ctx.get(STATE) == null) install(ctx, state);
      return null;
    });
    ctx.put(LOADING, loading);
    return loading;
  }

  /**
   * Stores the request's session on the server now, for a handler that must not answer before another instance
   * could read it (a new login); with cookie sessions there is nothing to wait for.
   */
  public Future<Void> persist(RoutingContext ctx) {
    State state = state(ctx);
    if (store == null || state.session == null || state.session == state.saved) return Future.succeededFuture();
    Session session = state.session;
    state.saved = session;
    return Future.fromCompletionStage(store.save(session.id(), codec.seal(session), session.expiresAt()),
        ctx.vertx().getOrCreateContext()).onFailure(failure -> state.write = false); // no cookie for a session not kept
  }

  private static String userId(Session session) {
    Object id = session.user().get("id");
    if (id == null) id = session.user().get("sub");
    return id == null ? null : id.toString();
  }

  /** Whether the request's X-CSRF-Token matches its CSRF cookie and belongs to its session. */
  public boolean csrfValid(RoutingContext ctx) {
    State state = state(ctx);
    if (state.session == null) return false;
    return csrf.verify(state.session.id(), ctx.request().getHeader(CSRF_HEADER), state.cookies.get(CSRF_COOKIE));
  }

  /** Whether a cookie name is one of Vestibule's, which never reach an upstream. */
  public boolean isOwnCookie(String name) {
    return cookies.isOwnCookie(name) || CSRF_COOKIE.equals(name) || MFA_COOKIE.equals(name) || mfaCookieName.equals(name)
        || OIDC_COOKIE.equals(name) || ("__Host-" + OIDC_COOKIE).equals(name);
  }

  /** The MFA challenge this browser holds since its password was accepted, if any. */
  public Optional<String> mfaChallenge(RoutingContext ctx) {
    return Optional.ofNullable(state(ctx).cookies.get(mfaCookieName)).filter(value -> !value.isEmpty());
  }

  /**
   * Gives the browser the challenge its mailed code completes. SameSite=Strict: a cross-site request never carries
   * it, so the code step needs no CSRF token before a session exists.
   */
  public void startMfa(RoutingContext ctx, String challenge, Instant expiresAt) {
    state(ctx).mfaCookie = mfaCookie(challenge, Math.max(1, Duration.between(clock.instant(), expiresAt).toSeconds()));
  }

  /** Removes the MFA challenge from the browser (completed, spent, or unknown). */
  public void endMfa(RoutingContext ctx) {
    State state = state(ctx);
    state.mfaCookie = state.cookies.containsKey(mfaCookieName) ? mfaCookie("", 0) : null;
  }

  private State state(RoutingContext ctx) {
    State state = ctx.get(STATE);
    if (state != null) return state;
    Future<Void> loading = ctx.get(LOADING);
    if (loading != null && loading.failed()) {
      throw loading.cause() instanceof RuntimeException unavailable ? unavailable : new IllegalStateException(loading.cause());
    }
    CompletableFuture<State> read = read(ctx.request()).toCompletableFuture();
    if (!read.isDone() || read.isCompletedExceptionally()) {
      throw new IllegalStateException("sessions in Redis are read ahead: mount Sessions.loader() before this route"
          + " (or wrap it in a guard)");
    }
    return install(ctx, read.join());
  }

  private State install(RoutingContext ctx, State state) {
    ctx.put(STATE, state);
    ctx.addHeadersEndHandler(v -> writeCookies(ctx, state));
    return state;
  }

  private CompletionStage<State> read(HttpServerRequest request) {
    List<String> headers = request.headers().getAll("Cookie");
    Map<String, String> requestCookies = SessionCookies.parseCookieHeader(String.join("; ", headers));
    State state = new State(requestCookies);
    Optional<String> sealed = cookies.read(requestCookies);
    if (sealed.isEmpty()) return CompletableFuture.completedFuture(state);
    Instant now = clock.instant();
    return open(sealed.get(), now).thenCompose(opened -> {
      if (opened.isEmpty()) {
        state.clear = true; // expired or not ours: tidy the browser up
        return CompletableFuture.completedFuture(state);
      }
      Session session = opened.get().session();
      state.opened = session;
      return ended.isEnded(session.id(), userId(session), session.loggedInAt()).thenCompose(isEnded -> {
        if (isEnded) {
          state.clear = true;
          return CompletableFuture.completedFuture(state);
        }
        if (session.idle(now, idleTimeout)) {
          onEnded.run();
          state.clear = true;
          return ending(session).thenApply(v -> state);
        }
        state.session = session;
        state.saved = session;
        if (idleTimeout.isPositive() && session.lastSeenAt().plus(idleTimeout.dividedBy(10)).isBefore(now)) {
          state.session = session.withLastSeen(now);
          state.write = true;
        }
        state.write |= opened.get().needsReseal();
        if (!requestCookies.containsKey(CSRF_COOKIE)) state.write = true;
        return CompletableFuture.completedFuture(state);
      });
    });
  }

  /** The session a cookie stands for: sealed inside it, or kept in the store under the id it seals. */
  private CompletionStage<Optional<SessionCodec.Opened>> open(String sealed, Instant now) {
    if (store == null) return CompletableFuture.completedFuture(codec.open(sealed, now));
    Optional<SessionCodec.Reference> reference = codec.openReference(sealed);
    if (reference.isEmpty()) return CompletableFuture.completedFuture(Optional.empty());
    return store.load(reference.get().sessionId()).thenApply(stored -> stored
        .flatMap(value -> codec.open(value, now))
        .filter(opened -> opened.session().id().equals(reference.get().sessionId()))
        .map(opened -> new SessionCodec.Opened(opened.session(), opened.needsReseal() || reference.get().needsReseal())));
  }

  /**
   * Puts the session's cookies on the response now, for an answer that has no headers-end event (a WebSocket
   * upgrade's 101); otherwise they are added just before the head goes out.
   */
  public void writeCookiesNow(RoutingContext ctx) {
    State state = ctx.get(STATE);
    if (state != null) writeCookies(ctx, state); // never read (or unreadable): nothing to write
  }

  /**
   * Whether a login read earlier, for a connection that outlives its request (a WebSocket), is still on: not past
   * its {@code maxAge}, not ended since (logout, password reset). Fails when the shared store cannot answer.
   */
  public Future<Boolean> stillOn(Session session, Context context) {
    if (!clock.instant().isBefore(session.expiresAt())) return Future.succeededFuture(false);
    return Future.fromCompletionStage(ended.isEnded(session.id(), userId(session), session.loggedInAt()), context)
        .map(isEnded -> !isEnded);
  }

  private void writeCookies(RoutingContext ctx, State state) {
    if (state.cookiesWritten) return;
    state.cookiesWritten = true;
    List<String> setCookies = new ArrayList<>();
    if (state.clear) {
      setCookies.addAll(cookies.clear(state.cookies.keySet()));
      if (state.cookies.containsKey(CSRF_COOKIE) || state.opened != null) setCookies.add(csrfCookie("", 0));
    } else if (state.write && state.session != null) {
      Session session = state.session;
      long seconds = Duration.between(clock.instant(), session.expiresAt()).toSeconds();
      if (seconds <= 0) {
        setCookies.addAll(cookies.clear(state.cookies.keySet()));
      } else {
        setCookies.addAll(cookies.write(store == null ? codec.seal(session) : codec.sealReference(session.id()),
            Duration.ofSeconds(seconds), state.cookies.keySet()));
        if (store != null && session != state.saved) save(state, session);
        String token = csrf.tokenFor(session.id());
        if (!token.equals(state.cookies.get(CSRF_COOKIE))) setCookies.add(csrfCookie(token, seconds));
      }
    }
    if (state.mfaCookie != null) setCookies.add(state.mfaCookie);
    if (setCookies.isEmpty()) return;
    setCookies.forEach(cookie -> ctx.response().headers().add("Set-Cookie", cookie));
    ctx.response().headers().set("Cache-Control", "no-store");
  }

  // The answer is already on its way; another instance reading this session meanwhile still finds the one before.
  private void save(State state, Session session) {
    state.saved = session;
    store.save(session.id(), codec.seal(session), session.expiresAt()).whenComplete((v, failure) -> {
      if (failure != null) LOG.warn("a session could not be stored: {}", failure.getMessage());
    });
  }

  private String csrfCookie(String value, long maxAgeSeconds) {
    StringBuilder cookie = new StringBuilder(CSRF_COOKIE).append('=').append(value)
        .append("; Path=/; Max-Age=").append(maxAgeSeconds).append("; SameSite=").append(sameSite);
    if (secure) cookie.append("; Secure");
    return cookie.toString();
  }

  private String mfaCookie(String value, long maxAgeSeconds) {
    StringBuilder cookie = new StringBuilder(mfaCookieName).append('=').append(value)
        .append("; Path=/; Max-Age=").append(maxAgeSeconds).append("; HttpOnly; SameSite=Strict");
    if (secure) cookie.append("; Secure");
    return cookie.toString();
  }

  private static final class State {
    final Map<String, String> cookies;
    String mfaCookie;
    Session opened;
    Session session;
    Session saved;
    boolean write;
    boolean clear;
    boolean cookiesWritten;

    State(Map<String, String> cookies) {
      this.cookies = cookies;
    }
  }
}
