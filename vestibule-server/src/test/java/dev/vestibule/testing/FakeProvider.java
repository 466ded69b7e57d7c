package dev.vestibule.testing;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OAuth2 authorisation server on loopback that tests can steer: password and refresh_token grants with
 * rotating refresh tokens, RFC 7009 revocation, userinfo, and switches for rejecting or failing refreshes.
 */
public final class FakeProvider implements AutoCloseable {
  public enum RefreshMode { OK, REJECT, REJECT_401, FAIL_503, FAIL_500, GARBAGE, HANG }

  public static final String USER = "alice@example.com";
  public static final String PASSWORD = "correct horse battery staple";
  public static final String CLIENT_ID = "web";
  public static final String CLIENT_SECRET = "s3cret-client";

  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  private final AtomicInteger sequence = new AtomicInteger();
  public final AtomicInteger passwordGrants = new AtomicInteger();
  public final AtomicInteger refreshGrants = new AtomicInteger();
  public final List<String> revoked = new CopyOnWriteArrayList<>();
  /** Refresh tokens currently valid, mapped to the user. */
  private final Map<String, String> liveRefreshTokens = new ConcurrentHashMap<>();
  private final Map<String, String> liveAccessTokens = new ConcurrentHashMap<>();
  public volatile RefreshMode refreshMode = RefreshMode.OK;
  public volatile long accessTokenSeconds = 300;
  public volatile long refreshDelayMillis = 0;
  public volatile boolean userinfo = true;
  /** Issue access tokens as (unsigned) JWTs carrying the user's claims, instead of opaque strings. */
  public volatile boolean jwtAccessTokens = false;
  /** Add an (unsigned) ID token with the user's claims to every token answer. */
  public volatile boolean idTokens = false;
  /** Extra bytes of claims in the userinfo answer, to make sessions too big for one cookie. */
  public volatile int userinfoPaddingBytes = 0;
  /** Every token ever issued, so tests can look for leaks. */
  public final List<String> issued = new CopyOnWriteArrayList<>();
  private volatile String lastRefreshToken;

  public FakeProvider() {
    Router router = Router.router(vertx);
    router.post("/oauth/token").handler(BodyHandler.create()).handler(this::token);
    router.post("/oauth/revoke").handler(BodyHandler.create()).handler(this::revoke);
    router.get("/userinfo").handler(this::userinfo);
    server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
  }

  public String url(String path) {
    return "http://127.0.0.1:" + server.actualPort() + path;
  }

  /** Whether the upstream should accept this access token. */
  public boolean isLive(String accessToken) {
    return liveAccessTokens.containsKey(accessToken);
  }

  /** The refresh token issued last (by a login or a refresh). */
  public String lastRefreshToken() {
    return lastRefreshToken;
  }

  /** Makes every access token issued so far unacceptable upstream (as if the provider revoked them). */
  public void expireAllAccessTokens() {
    liveAccessTokens.clear();
  }

  private void token(RoutingContext ctx) {
    if (!clientAuthenticated(ctx)) {
      error(ctx, 401, "invalid_client");
      return;
    }
    String grant = ctx.request().getFormAttribute("grant_type");
    if ("password".equals(grant)) {
      passwordGrants.incrementAndGet();
      if (USER.equals(ctx.request().getFormAttribute("username")) && PASSWORD.equals(ctx.request().getFormAttribute("password"))) {
        issue(ctx, USER);
      } else {
        error(ctx, 400, "invalid_grant");
      }
      return;
    }
    if ("refresh_token".equals(grant)) {
      refreshGrants.incrementAndGet();
      String presented = ctx.request().getFormAttribute("refresh_token");
      vertx.setTimer(Math.max(1, refreshDelayMillis), id -> {
        switch (refreshMode) {
          case REJECT -> error(ctx, 400, "invalid_grant");
          case REJECT_401 -> error(ctx, 401, "invalid_client");
          case FAIL_503 -> error(ctx, 503, "temporarily_unavailable");
          case FAIL_500 -> ctx.response().setStatusCode(500).end("<html>Internal Server Error</html>");
          case GARBAGE -> ctx.response().putHeader("Content-Type", "application/json").end("{\"unexpected\":");
          case HANG -> { }
          case OK -> {
            String user = presented == null ? null : liveRefreshTokens.remove(presented);
            if (user == null) {
              error(ctx, 400, "invalid_grant");
            } else {
              issue(ctx, user);
            }
          }
        }
      });
      return;
    }
    error(ctx, 400, "unsupported_grant_type");
  }

  private void issue(RoutingContext ctx, String user) {
    int n = sequence.incrementAndGet();
    String access = "at-" + n + "-" + Long.toHexString(System.nanoTime());
    if (jwtAccessTokens) {
      access = jwt(new JsonObject().put("sub", "user-1").put("email", user).put("name", "Alice (from the access token)")
          .put("iss", url("")).put("aud", CLIENT_ID).put("jti", access).put("scope", "openid")
          .put("iat", System.currentTimeMillis() / 1000).put("exp", System.currentTimeMillis() / 1000 + accessTokenSeconds));
    }
    String refresh = "rt-" + n + "-" + Long.toHexString(System.nanoTime());
    liveAccessTokens.put(access, user);
    liveRefreshTokens.put(refresh, user);
    issued.add(access);
    issued.add(refresh);
    lastRefreshToken = refresh;
    JsonObject answer = new JsonObject().put("access_token", access).put("token_type", "Bearer")
        .put("expires_in", accessTokenSeconds).put("refresh_token", refresh);
    if (idTokens) {
      String id = jwt(new JsonObject().put("sub", "user-1").put("email", user).put("name", "Alice (from the ID token)")
          .put("iss", url("")).put("aud", CLIENT_ID).put("nonce", "n-" + n)
          .put("iat", System.currentTimeMillis() / 1000).put("exp", System.currentTimeMillis() / 1000 + 300));
      issued.add(id);
      answer.put("id_token", id);
    }
    ctx.response().putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store")
        .end(answer.encode());
  }

  private static String jwt(JsonObject claims) {
    Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
    String header = base64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    return header + "." + base64.encodeToString(claims.encode().getBytes(StandardCharsets.UTF_8)) + ".sig";
  }

  private void revoke(RoutingContext ctx) {
    if (!clientAuthenticated(ctx)) {
      error(ctx, 401, "invalid_client");
      return;
    }
    String token = ctx.request().getFormAttribute("token");
    revoked.add(token);
    liveRefreshTokens.remove(token);
    ctx.response().setStatusCode(200).end();
  }

  private void userinfo(RoutingContext ctx) {
    String authorization = String.valueOf(ctx.request().getHeader("Authorization"));
    String user = authorization.startsWith("Bearer ") ? liveAccessTokens.get(authorization.substring(7)) : null;
    if (!userinfo || user == null) {
      ctx.response().setStatusCode(401).end();
      return;
    }
    JsonObject claims = new JsonObject().put("sub", "user-1").put("email", user).put("name", "Alice");
    if (userinfoPaddingBytes > 0) claims.put("bio", "b".repeat(userinfoPaddingBytes));
    ctx.response().putHeader("Content-Type", "application/json").end(claims.encode());
  }

  private static boolean clientAuthenticated(RoutingContext ctx) {
    String expected = "Basic " + Base64.getEncoder()
        .encodeToString((CLIENT_ID + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
    if (expected.equals(ctx.request().getHeader("Authorization"))) return true;
    return CLIENT_ID.equals(ctx.request().getFormAttribute("client_id"))
        && CLIENT_SECRET.equals(ctx.request().getFormAttribute("client_secret"));
  }

  private static void error(RoutingContext ctx, int status, String code) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("error", code).encode());
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
