package dev.vestibule.config;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The whole gateway configuration, as read by {@link ConfigLoader}. {@code publicUrl} has no trailing slash. */
public record VestibuleConfig(Listen listen, URI publicUrl, List<Cidr> trustedProxies, SessionConfig session,
    IdentityConfig identity, RefreshConfig refresh, LimitsConfig limits, MailConfig mail,
    Optional<URI> redis, List<RouteConfig> routes, LoginConfig login) {

  public VestibuleConfig {
    Objects.requireNonNull(listen, "listen");
    Objects.requireNonNull(publicUrl, "publicUrl");
    trustedProxies = List.copyOf(trustedProxies);
    Objects.requireNonNull(session, "session");
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(refresh, "refresh");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(mail, "mail");
    Objects.requireNonNull(redis, "redis");
    routes = List.copyOf(routes);
    Objects.requireNonNull(login, "login");
  }

  /** True under an https public URL: Secure cookies with the {@code __Host-} prefix. */
  public boolean secure() {
    return "https".equals(publicUrl.getScheme());
  }

  @Override
  public String toString() {
    return "VestibuleConfig[listen=" + listen + ", publicUrl=" + publicUrl + ", trustedProxies=" + trustedProxies
        + ", session=" + session + ", identity=" + identity + ", refresh=" + refresh + ", limits=" + limits
        + ", mail=" + mail + ", redis=" + Redact.url(redis) + ", routes=" + routes + ", login=" + login + "]";
  }
}
