package dev.vestibule.oidc;

import dev.vestibule.session.SessionCookies;
import dev.vestibule.session.SessionSealer;
import dev.vestibule.web.Sessions;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Carries a {@link LoginAttempt} through the provider and back, sealed with the session secrets under a purpose of
 * its own. SameSite=Lax, not Strict: the callback is a top-level navigation coming from the provider's site, and a
 * Strict cookie would not come with it.
 */
public final class LoginAttemptCookie {
  public static final String NAME = Sessions.OIDC_COOKIE;
  static final Duration TTL = Duration.ofMinutes(10);
  private static final String PURPOSE = "vestibule/oidc-login/v1";

  private final SessionSealer sealer;
  private final Clock clock;
  private final boolean secure;
  private final String name;

  public LoginAttemptCookie(SessionSealer sealer, Clock clock, boolean secure) {
    this.sealer = sealer;
    this.clock = clock;
    this.secure = secure;
    this.name = secure ? "__Host-" + NAME : NAME;
  }

  public LoginAttempt start(String returnTo) {
    return LoginAttempt.start(returnTo, clock.instant().plus(TTL));
  }

  public void write(RoutingContext ctx, LoginAttempt attempt) {
    // Rounded up: the attempt was started a moment ago and should not look shorter-lived than it is.
    long seconds = Math.max(1, (Duration.between(clock.instant(), attempt.expiresAt()).toMillis() + 999) / 1000);
    ctx.response().headers().add("Set-Cookie", cookie(sealer.seal(attempt.toJson(), PURPOSE), seconds));
  }

  /** The unexpired attempt this browser holds; empty for none, a tampered one or an expired one. */
  public Optional<LoginAttempt> read(RoutingContext ctx) {
    Instant now = clock.instant();
    return value(ctx)
        .flatMap(value -> sealer.unseal(value, PURPOSE))
        .flatMap(unsealed -> LoginAttempt.fromJson(new String(unsealed.plaintext(), StandardCharsets.UTF_8)))
        .filter(attempt -> attempt.expiresAt().isAfter(now));
  }

  /** Removes the cookie when the browser sent one: an attempt is good for one callback. */
  public void clear(RoutingContext ctx) {
    if (value(ctx).isPresent()) ctx.response().headers().add("Set-Cookie", cookie("", 0));
  }

  private Optional<String> value(RoutingContext ctx) {
    Map<String, String> cookies = SessionCookies.parseCookieHeader(String.join("; ", ctx.request().headers().getAll("Cookie")));
    return Optional.ofNullable(cookies.get(name)).filter(v -> !v.isEmpty());
  }

  private String cookie(String value, long maxAgeSeconds) {
    StringBuilder cookie = new StringBuilder(name).append('=').append(value)
        .append("; Path=/; Max-Age=").append(maxAgeSeconds).append("; HttpOnly; SameSite=Lax");
    if (secure) cookie.append("; Secure");
    return cookie.toString();
  }
}
