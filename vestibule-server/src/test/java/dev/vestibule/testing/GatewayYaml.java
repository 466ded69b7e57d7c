package dev.vestibule.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A gateway config for a {@link FakeProvider}, built up per test:
 * {@code new GatewayYaml(provider).session("maxAge: 2s").route("/api/**", upstream.url("/v1"), "timeout: 500ms")}.
 */
public final class GatewayYaml {
  private final FakeProvider provider;
  private String publicUrl = "http://localhost:8080";
  private List<String> secrets = List.of(TestGateway.SECRET);
  private final List<String> sessionLines = new ArrayList<>();
  private final StringBuilder sections = new StringBuilder();
  private final StringBuilder routes = new StringBuilder();
  private boolean userinfo = true;
  private String identity;

  public GatewayYaml(FakeProvider provider) {
    this.provider = provider;
  }

  /** A config whose {@code identity:} section is given with {@link #identity(String)}. */
  public GatewayYaml() {
    this(null);
  }

  /** The lines under {@code identity:} (like {@code "type: oidc\nissuer: ..."}), instead of the fake provider's. */
  public GatewayYaml identity(String lines) {
    identity = lines;
    return this;
  }

  public GatewayYaml publicUrl(String url) {
    publicUrl = url;
    return this;
  }

  public GatewayYaml secrets(String... values) {
    secrets = List.of(values);
    return this;
  }

  /** Leaves out the provider's userinfo endpoint. */
  public GatewayYaml withoutUserinfo() {
    userinfo = false;
    return this;
  }

  /** A line under {@code session:}, like {@code maxAge: 2s}. */
  public GatewayYaml session(String line) {
    sessionLines.add(line);
    return this;
  }

  /** A top-level section, written as YAML (e.g. {@code "refresh:\n  before: 60s\n"}). */
  public GatewayYaml section(String yaml) {
    sections.append(yaml.endsWith("\n") ? yaml : yaml + "\n");
    return this;
  }

  /** A proxied route; {@code lines} are its other keys, like {@code "auth: optional"}. */
  public GatewayYaml route(String path, String upstream, String... lines) {
    routes.append("  - path: ").append(path).append('\n');
    routes.append("    upstream: ").append(upstream).append('\n');
    for (String line : lines) routes.append("    ").append(line).append('\n');
    return this;
  }

  /** A route serving the files under {@code dir}. */
  public GatewayYaml staticRoute(String path, String dir) {
    routes.append("  - path: ").append(path).append('\n');
    routes.append("    static: ").append(dir).append('\n');
    return this;
  }

  public String build() {
    String quoted = secrets.stream().map(s -> "\"" + s + "\"").collect(Collectors.joining(", "));
    StringBuilder yaml = new StringBuilder("""
        listen: 127.0.0.1:0
        publicUrl: %s
        session:
          secrets: [%s]
        """.formatted(publicUrl, quoted));
    for (String line : sessionLines) yaml.append("  ").append(line).append('\n');
    if (identity != null) {
      yaml.append("identity:\n");
      identity.lines().forEach(line -> yaml.append("  ").append(line).append('\n'));
    } else {
      oauth2Identity(yaml);
    }
    yaml.append(sections);
    if (!routes.isEmpty()) yaml.append("routes:\n").append(routes);
    return yaml.toString();
  }

  private void oauth2Identity(StringBuilder yaml) {
    yaml.append("""
        identity:
          type: oauth2
          tokenEndpoint: %s
          revocationEndpoint: %s
          clientId: %s
          clientSecret: %s
        """.formatted(provider.url("/oauth/token"), provider.url("/oauth/revoke"), FakeProvider.CLIENT_ID,
        FakeProvider.CLIENT_SECRET));
    if (userinfo) yaml.append("  userinfoEndpoint: ").append(provider.url("/userinfo")).append('\n');
  }
}
