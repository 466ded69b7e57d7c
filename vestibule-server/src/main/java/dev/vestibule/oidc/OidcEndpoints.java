package dev.vestibule.oidc;

import dev.vestibule.auth.OAuth2Authenticator;
import dev.vestibule.session.Session;
import dev.vestibule.token.OAuth2Client;
import dev.vestibule.token.ProviderUnavailableException;
import dev.vestibule.token.TokenRejectedException;
import dev.vestibule.token.TokenSet;
import dev.vestibule.web.Problem;
import dev.vestibule.web.RefreshFailures;
import dev.vestibule.web.ReturnTo;
import dev.vestibule.web.Sessions;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The authorization code flow with PKCE (OpenID Connect Core §3.1): {@code GET /auth/login} sends the browser to the
 * provider, {@code GET /auth/callback} brings it back logged in. A callback that cannot complete answers 401
 * problem+json with {@code error} (why) and {@code login} (where to start again); 503 when the provider cannot be
 * reached. Never a token in an answer or a log line.
 */
final class OidcEndpoints {
  private static final Logger LOG = LoggerFactory.getLogger(OidcEndpoints.class);

  private final ProviderMetadata provider;
  private final OAuth2Client client;
  private final IdTokens idTokens;
  private final String clientId;
  private final List<String> scopes;
  private final URI redirectUri;
  private final LoginAttemptCookie cookie;
  private final Sessions sessions;

  OidcEndpoints(ProviderMetadata provider, OAuth2Client client, IdTokens idTokens, String clientId, List<String> scopes,
      URI redirectUri, LoginAttemptCookie cookie, Sessions sessions) {
    this.provider = provider;
    this.client = client;
    this.idTokens = idTokens;
    this.clientId = clientId;
    this.scopes = scopes;
    this.redirectUri = redirectUri;
    this.cookie = cookie;
    this.sessions = sessions;
  }

  void mount(Router router) {
    router.get("/auth/login").handler(this::login);
    router.get(OidcIdentity.CALLBACK_PATH).handler(this::callback);
    router.post("/auth/login").handler(ctx -> {
      ctx.response().putHeader("Allow", "GET");
      Problem.of(405, "method-not-allowed", "Method not allowed", "This gateway logs in with an OpenID provider:"
          + " send the browser to GET /auth/login?returnTo=/path; passwords are never sent here.")
          .with("login", "/auth/login").send(ctx.response());
    });
  }

  private void login(RoutingContext ctx) {
    LoginAttempt attempt = cookie.start(ReturnTo.orHome(ctx.request().getParam("returnTo")));
    Map<String, String> query = new LinkedHashMap<>();
    query.put("response_type", "code");
    query.put("client_id", clientId);
    query.put("redirect_uri", redirectUri.toString());
    query.put("scope", String.join(" ", scopes));
    query.put("state", attempt.state());
    query.put("nonce", attempt.nonce());
    query.put("code_challenge", attempt.codeChallenge());
    query.put("code_challenge_method", "S256");
    String endpoint = provider.authorizationEndpoint().toString();
    cookie.write(ctx, attempt);
    ctx.response().setStatusCode(302)
        .putHeader("Location", endpoint + (endpoint.contains("?") ? "&" : "?") + form(query))
        .putHeader("Cache-Control", "no-store")
        .end();
  }

  private void callback(RoutingContext ctx) {
    Optional<LoginAttempt> held = cookie.read(ctx);
    cookie.clear(ctx);
    if (held.isEmpty()) {
      refuse(ctx, "login-expired", "No login is in progress in this browser, or it took longer than 10 minutes;"
          + " start again.", "/");
      return;
    }
    LoginAttempt attempt = held.get();
    var params = ctx.request().params();
    if (!attempt.stateMatches(params.get("state"))) {
      refuse(ctx, "state-mismatch", "The answer from the identity provider does not belong to this browser's login.",
          attempt.returnTo());
      return;
    }
    String iss = params.get("iss");
    // RFC 9207: an iss that names another issuer is a mix-up attack; a provider that promises iss must send it.
    if (iss != null ? !iss.equals(provider.issuer()) : provider.issParameterSupported()) {
      refuse(ctx, "issuer-mismatch", "The answer does not come from the configured identity provider.",
          attempt.returnTo());
      return;
    }
    String error = params.get("error");
    if (error != null) {
      refuse(ctx, error.matches("[A-Za-z0-9_.-]{1,64}") ? error : "provider-error",
          "The identity provider did not log you in.", attempt.returnTo());
      return;
    }
    String code = params.get("code");
    if (code == null || code.isEmpty()) {
      refuse(ctx, "no-code", "The identity provider answered without an authorization code.", attempt.returnTo());
      return;
    }
    Future.fromCompletionStage(client.authorizationCode(code, redirectUri, attempt.codeVerifier()),
            ctx.vertx().getOrCreateContext())
        .compose(tokens -> ctx.vertx().executeBlocking(() -> verified(tokens, attempt.nonce()))
            .compose(claims -> Future.fromCompletionStage(client.userinfo(tokens.accessToken()),
                ctx.vertx().getOrCreateContext()).map(userinfo -> user(claims, userinfo)))
            .map(user -> sessions.create(user, tokens)))
        .onSuccess(session -> complete(ctx, session, attempt.returnTo()))
        .onFailure(failure -> failed(ctx, RefreshFailures.unwrap(failure), attempt.returnTo()));
  }

  private Map<String, Object> verified(TokenSet tokens, String nonce) {
    String idToken = tokens.idToken().orElseThrow(() ->
        new IdTokens.InvalidIdTokenException("the token response has no id_token"));
    return idTokens.verify(idToken, nonce);
  }

  /** The userinfo claims when they are about the ID token's subject (Core §5.3.4), else the ID token's. */
  private static Map<String, Object> user(Map<String, Object> idClaims, Optional<Map<String, Object>> userinfo) {
    if (userinfo.isPresent()) {
      if (!Objects.equals(userinfo.get().get("sub"), idClaims.get("sub"))) {
        throw new IdTokens.InvalidIdTokenException("userinfo-mismatch",
            "userinfo describes another subject than the ID token");
      }
      return OAuth2Authenticator.userClaims(userinfo.get());
    }
    return OAuth2Authenticator.userClaims(idClaims);
  }

  private void complete(RoutingContext ctx, Session session, String returnTo) {
    sessions.set(ctx, session);
    ctx.response().setStatusCode(302).putHeader("Location", returnTo).putHeader("Cache-Control", "no-store").end();
  }

  private void failed(RoutingContext ctx, Throwable cause, String returnTo) {
    if (cause instanceof ProviderUnavailableException) {
      LOG.warn("oidc login: the provider could not be reached: {}", cause.getMessage());
      ctx.response().putHeader("Retry-After", "5");
      Problem.of(503, "provider-unavailable", "Service unavailable", "The identity provider could not be reached;"
          + " try again shortly.").with("login", loginLink(returnTo)).send(ctx.response());
    } else if (cause instanceof TokenRejectedException rejected) {
      refuse(ctx, "code-rejected", "The identity provider refused the login's authorization code.", returnTo);
      LOG.info("oidc login refused: the token endpoint said {}", rejected.getClass().getSimpleName());
    } else if (cause instanceof IdTokens.InvalidIdTokenException invalid) {
      refuse(ctx, invalid.error(), "The identity provider's answer about the user did not pass its checks.", returnTo);
      LOG.info("oidc login refused: {}", invalid.getMessage());
    } else {
      LOG.error("oidc login failed: {}", cause.getClass().getName());
      refuse(ctx, "login-failed", "The login could not be completed.", returnTo);
    }
  }

  private void refuse(RoutingContext ctx, String error, String detail, String returnTo) {
    LOG.info("oidc login refused: {}", error);
    Problem.of(401, "login-failed", "Login failed", detail)
        .with("error", error)
        .with("login", loginLink(returnTo))
        .send(ctx.response());
  }

  private static String loginLink(String returnTo) {
    return "/auth/login?returnTo=" + URLEncoder.encode(returnTo, StandardCharsets.UTF_8);
  }

  private static String form(Map<String, String> values) {
    StringBuilder out = new StringBuilder();
    values.forEach((name, value) -> {
      if (!out.isEmpty()) out.append('&');
      out.append(URLEncoder.encode(name, StandardCharsets.UTF_8)).append('=')
          .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
    });
    return out.toString();
  }
}
