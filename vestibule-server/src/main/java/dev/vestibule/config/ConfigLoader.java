package dev.vestibule.config;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads the YAML config into a {@link VestibuleConfig}, or fails with the first problem found. */
public final class ConfigLoader {

  static final List<String> ROOT_KEYS = List.of("listen", "publicUrl", "trustedProxies", "session", "identity",
      "refresh", "limits", "mail", "redis", "routes", "login");

  private ConfigLoader() {
  }

  public static VestibuleConfig load(Path file, Map<String, String> env) throws ConfigException {
    String yaml;
    try {
      yaml = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigException(YamlTree.FILE_KEY, file + " does not exist; check the --config path");
    } catch (CharacterCodingException e) {
      throw new ConfigException(YamlTree.FILE_KEY, file + " is not UTF-8 text; save it as UTF-8");
    } catch (IOException e) {
      throw new ConfigException(YamlTree.FILE_KEY, "cannot read " + file + " (" + e.getClass().getSimpleName()
          + "); check that it is a readable file");
    }
    return parse(yaml, env);
  }

  public static VestibuleConfig parse(String yaml, Map<String, String> env) throws ConfigException {
    YamlTree.Node root = YamlTree.read(yaml);
    Section top;
    if (root == null) {
      top = new Section("", Map.of(), env);
    } else if (root instanceof YamlTree.Mapping mapping) {
      top = new Section("", mapping.entries(), env);
    } else {
      throw new ConfigException(YamlTree.FILE_KEY, "the config must be a mapping of keys like listen:, session: and"
          + " routes:, but it is " + root.kind());
    }
    top.allowOnly(ROOT_KEYS);

    Value listenValue = top.get("listen");
    Optional<String> listenText = listenValue.text();
    Listen listen = listenText.isPresent() ? Listen.parse(listenValue.key(), listenText.get()) : Listen.DEFAULT;
    URI publicUrl = publicUrl(top.get("publicUrl"), listen);
    List<Cidr> trustedProxies = trustedProxies(top.get("trustedProxies"));
    Optional<URI> redis = redis(top.get("redis"));
    SessionConfig session = SessionSection.read(top.get("session").sectionOrEmpty(),
        "https".equals(publicUrl.getScheme()), redis.isPresent());
    IdentityConfig identity = IdentitySection.read(top.get("identity").sectionOrEmpty());
    RefreshConfig refresh = refresh(top.get("refresh").sectionOrEmpty());
    LimitsConfig limits = limits(top.get("limits").sectionOrEmpty());
    MailConfig mail = mail(top.get("mail").sectionOrEmpty());
    List<RouteConfig> routes = RouteSection.readAll(top.get("routes"), identity.type());
    LoginConfig login = login(top.get("login").sectionOrEmpty(), identity.type());
    return new VestibuleConfig(listen, publicUrl, trustedProxies, session, identity, refresh, limits, mail, redis,
        routes, login);
  }

  private static URI publicUrl(Value value, Listen listen) throws ConfigException {
    Optional<String> text = value.text();
    if (text.isPresent()) {
      return Urls.base(value.key(), text.get());
    }
    return URI.create(listen.port() == 80 ? "http://localhost" : "http://localhost:" + listen.port());
  }

  private static List<Cidr> trustedProxies(Value value) throws ConfigException {
    List<Cidr> out = new ArrayList<>();
    for (Value item : value.list().orElse(List.of())) {
      out.add(Cidr.parse(item.key(), item.required("write an address or network like 10.0.0.0/8")));
    }
    return out;
  }

  private static Optional<URI> redis(Value value) throws ConfigException {
    Optional<String> text = value.text();
    if (text.isEmpty()) {
      return Optional.empty();
    }
    URI uri = Urls.absolute(value.key(), text.get(), Set.of("redis", "rediss"), "redis:// or rediss:// URL",
        "redis://127.0.0.1:6379");
    RedisUrl.prefix(uri);
    return Optional.of(uri);
  }

  private static RefreshConfig refresh(Section s) throws ConfigException {
    s.allowOnly(List.of("before", "grace", "timeout"));
    return new RefreshConfig(
        s.get("before").duration(Duration.ofSeconds(60)),
        s.get("grace").duration(Duration.ofSeconds(60)),
        s.get("timeout").positiveDuration(Duration.ofSeconds(10)));
  }

  private static LimitsConfig limits(Section s) throws ConfigException {
    s.allowOnly(List.of("login", "register", "codes"));
    return new LimitsConfig(
        rateLimit(s.get("login"), new RateLimit(10, Duration.ofMinutes(1))),
        rateLimit(s.get("register"), new RateLimit(5, Duration.ofMinutes(1))),
        rateLimit(s.get("codes"), new RateLimit(5, Duration.ofMinutes(15))));
  }

  private static RateLimit rateLimit(Value value, RateLimit fallback) throws ConfigException {
    Optional<String> text = value.text();
    return text.isEmpty() ? fallback : RateLimit.parse(value.key(), text.get());
  }

  private static MailConfig mail(Section s) throws ConfigException {
    s.allowOnly(List.of("smtp", "from"));
    Value smtpValue = s.get("smtp");
    String smtpText = smtpValue.text("log").strip();
    Optional<URI> smtp = Optional.empty();
    if (!smtpText.equalsIgnoreCase("log")) {
      URI uri = Urls.absolute(smtpValue.key(), smtpText, Set.of("smtp", "smtps"),
          "smtp:// or smtps:// URL (or log)", "smtp://mail.example.com:587");
      if (uri.getPort() < 0) {
        throw new ConfigException(smtpValue.key(), "'" + Redact.url(smtpText)
            + "' has no port; add it, like smtp://mail.example.com:587 or smtps://mail.example.com:465");
      }
      smtp = Optional.of(uri);
    }
    Value fromValue = s.get("from");
    String from = fromValue.text("vestibule@localhost").strip();
    if (from.indexOf('@') < 0 || from.chars().anyMatch(Character::isISOControl)) {
      throw new ConfigException(fromValue.key(), "'" + from + "' is not a mail address; write it like vestibule@example.com");
    }
    return new MailConfig(smtp, from);
  }

  private static LoginConfig login(Section s, IdentityType type) throws ConfigException {
    s.allowOnly(List.of("page"));
    Value pageValue = s.get("page");
    // With oidc the provider's page is the login page: /auth/login goes there and comes back to returnTo.
    String page = pageValue.text(type == IdentityType.OIDC ? "/auth/login" : "/login").strip();
    if (!page.startsWith("/") || page.startsWith("//") || page.startsWith("/\\")) {
      throw new ConfigException(pageValue.key(), "'" + page + "' must be a path on this site starting with a single /, like /login");
    }
    if (page.indexOf('?') >= 0 || page.indexOf('#') >= 0 || page.chars().anyMatch(c -> c <= ' ' || c == '\\')) {
      throw new ConfigException(pageValue.key(), "'" + page + "' must be a plain path without ?query, #fragment, spaces or \\, like /login");
    }
    return new LoginConfig(page);
  }
}
