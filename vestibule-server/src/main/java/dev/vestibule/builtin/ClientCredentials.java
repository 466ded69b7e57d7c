package dev.vestibule.builtin;

import io.vertx.ext.web.RoutingContext;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** An OAuth2 client's id and secret, from HTTP Basic (client_secret_basic) or the form (client_secret_post). */
record ClientCredentials(String id, String secret) {
  static Optional<ClientCredentials> of(RoutingContext ctx) {
    String authorization = ctx.request().getHeader("Authorization");
    if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      try {
        String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        int colon = decoded.indexOf(':');
        if (colon < 0) return Optional.empty();
        return Optional.of(new ClientCredentials(
            URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
            URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8)));
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
    }
    String id = ctx.request().getFormAttribute("client_id");
    if (id == null || id.isEmpty()) return Optional.empty();
    return Optional.of(new ClientCredentials(id, ctx.request().getFormAttribute("client_secret")));
  }
}
