package dev.vestibule.config;

import dev.vestibule.identity.apikey.Privilege;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads {@code identity:}; each key belongs to one or more identity types. */
final class IdentitySection {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(IdentitySection.class);

  private static final Map<String, Set<IdentityType>> OWNERS = new LinkedHashMap<>();

  static {
    Set<IdentityType> builtin = Set.of(IdentityType.BUILTIN);
    Set<IdentityType> provider = Set.of(IdentityType.OAUTH2, IdentityType.OIDC);
    OWNERS.put("type", Set.of(IdentityType.values()));
    for (String k : List.of("database", "accessTokenTtl", "refreshTokenTtl", "clients", "magicLinkTtl", "resetTtl",
        "mfaCodeTtl", "apiKeyMaxPrivilege")) {
      OWNERS.put(k, builtin);
    }
    OWNERS.put("tokenEndpoint", Set.of(IdentityType.OAUTH2));
    for (String k : List.of("revocationEndpoint", "userinfoEndpoint", "clientId", "clientSecret", "clientAuth")) {
      OWNERS.put(k, provider);
    }
    OWNERS.put("issuer", Set.of(IdentityType.OIDC));
    OWNERS.put("scopes", Set.of(IdentityType.OIDC));
  }

  static final List<String> DEFAULT_SCOPES = List.of("openid", "profile", "email", "offline_access");
  static final String DEFAULT_DATABASE = "jdbc:sqlite:./data/vestibule.db";

  private IdentitySection() {
  }

  static IdentityConfig read(Section s) throws ConfigException {
    IdentityType type = s.get("type").choice(IdentityType.class, IdentityType.BUILTIN);
    checkKeys(s, type);
    boolean builtin = type == IdentityType.BUILTIN;

    String database = builtin ? database(s.get("database")) : null;
    List<ClientConfig> clients = builtin ? clients(s.get("clients")) : List.of();
    Duration accessTokenTtl = s.get("accessTokenTtl").positiveDuration(Duration.ofMinutes(30));
    Duration refreshTokenTtl = s.get("refreshTokenTtl").positiveDuration(Duration.ofDays(7));
    Duration magicLinkTtl = s.get("magicLinkTtl").positiveDuration(Duration.ofMinutes(15));
    Duration resetTtl = s.get("resetTtl").positiveDuration(Duration.ofMinutes(30));
    Duration mfaCodeTtl = s.get("mfaCodeTtl").positiveDuration(Duration.ofMinutes(10));
    Privilege apiKeyMaxPrivilege = maxPrivilege(s.get("apiKeyMaxPrivilege"));

    URI tokenEndpoint = null;
    if (type == IdentityType.OAUTH2) {
      Value v = s.get("tokenEndpoint");
      tokenEndpoint = Urls.http(v.key(), v.required("set the provider's token URL, like https://idp.example.com/oauth/token"));
    }
    Optional<URI> revocationEndpoint = optionalUrl(s.get("revocationEndpoint"));
    Optional<URI> userinfoEndpoint = optionalUrl(s.get("userinfoEndpoint"));
    String clientId = builtin ? null
        : s.get("clientId").required("set the client id registered at the provider, like clientId: web");
    Optional<String> clientSecret = s.get("clientSecret").text();
    ClientAuth clientAuth = s.get("clientAuth").choice(ClientAuth.class, ClientAuth.BASIC);

    URI issuer = null;
    List<String> scopes = List.of();
    if (type == IdentityType.OIDC) {
      Value v = s.get("issuer");
      issuer = Urls.http(v.key(), v.required("set the provider's issuer URL, like https://idp.example.com"));
      if (issuer.getRawQuery() != null) {
        throw new ConfigException(v.key(), "must not have a ?query; write the issuer exactly as the provider publishes it");
      }
      scopes = scopes(s.get("scopes"));
    }
    return new IdentityConfig(type, database, accessTokenTtl, refreshTokenTtl, clients, magicLinkTtl, resetTtl,
        mfaCodeTtl, apiKeyMaxPrivilege, tokenEndpoint, revocationEndpoint, userinfoEndpoint, clientId, clientSecret, clientAuth,
        issuer, scopes);
  }

  private static void checkKeys(Section s, IdentityType type) throws ConfigException {
    for (String name : s.keys()) {
      Set<IdentityType> owners = OWNERS.get(name);
      if (owners == null) {
        String near = Keys.closest(name, List.copyOf(OWNERS.keySet()));
        if (near != null && !OWNERS.get(near).contains(type)) {
          throw new ConfigException(s.key(name), "unknown key; did you mean '" + near + "'? (it is only used with"
              + " identity.type " + labels(OWNERS.get(near)) + ")");
        }
        List<String> allowed = OWNERS.keySet().stream().filter(k -> OWNERS.get(k).contains(type)).toList();
        throw Keys.unknown(s.key(name), name, allowed);
      }
      if (!owners.contains(type)) {
        // One file may carry several types' settings (SPEC §2's example does): ignored, not an error.
        LOG.warn("{} is ignored: only used with identity.type {} (type is {})", s.key(name), labels(owners),
            label(type));
      }
    }
  }

  private static String labels(Set<IdentityType> types) {
    return String.join(" or ", types.stream().sorted().map(IdentitySection::label).toList());
  }

  private static String label(IdentityType type) {
    return type.name().toLowerCase(Locale.ROOT);
  }

  private static String database(Value v) throws ConfigException {
    String db = v.text(DEFAULT_DATABASE).strip();
    if (!db.startsWith("jdbc:sqlite:") && !db.startsWith("jdbc:postgresql:")) {
      // Not quoted back: a JDBC URL may carry a password.
      throw new ConfigException(v.key(), "must start with jdbc:sqlite: or jdbc:postgresql:, like " + DEFAULT_DATABASE
          + " or jdbc:postgresql://host:5432/db");
    }
    if (db.equals("jdbc:sqlite:") || db.equals("jdbc:postgresql:")) {
      throw new ConfigException(v.key(), "names no database; write it like " + DEFAULT_DATABASE);
    }
    return db;
  }

  private static List<ClientConfig> clients(Value v) throws ConfigException {
    Optional<List<Value>> items = v.list();
    if (items.isEmpty()) {
      return List.of(new ClientConfig("web", Optional.empty()));
    }
    if (items.get().isEmpty()) {
      throw new ConfigException(v.key(), "is empty; list at least one client, like [{id: web}]");
    }
    List<ClientConfig> clients = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (Value item : items.get()) {
      Section c = item.section().orElseThrow(() -> new ConfigException(item.key(), "is empty; write a client like {id: web}"));
      c.allowOnly(List.of("id", "secret"));
      Value idValue = c.get("id");
      String id = idValue.required("give the client an id, like {id: web}").strip();
      if (!ids.add(id)) {
        throw new ConfigException(idValue.key(), "'" + id + "' is already used by another client; ids must be unique");
      }
      clients.add(new ClientConfig(id, c.get("secret").text()));
    }
    return clients;
  }

  private static Privilege maxPrivilege(Value v) throws ConfigException {
    Optional<String> label = v.text();
    if (label.isEmpty()) return Privilege.FULL;
    return Privilege.fromLabel(label.get().strip()).orElseThrow(() ->
        new ConfigException(v.key(), "'" + label.get() + "' is not a privilege; use one of " + Privilege.labels()));
  }

  private static List<String> scopes(Value v) throws ConfigException {
    Optional<List<Value>> items = v.list();
    if (items.isEmpty()) {
      return DEFAULT_SCOPES;
    }
    List<String> scopes = new ArrayList<>();
    for (Value item : items.get()) {
      String scope = item.required("remove the empty entry").strip();
      if (!scope.matches("[\\x21\\x23-\\x5B\\x5D-\\x7E]+")) {
        throw new ConfigException(item.key(), "'" + scope + "' is not a valid scope; write one scope per list entry");
      }
      if (!scopes.contains(scope)) {
        scopes.add(scope);
      }
    }
    if (!scopes.contains("openid")) {
      throw new ConfigException(v.key(), "must include openid (OpenID Connect requires it)");
    }
    return scopes;
  }

  private static Optional<URI> optionalUrl(Value v) throws ConfigException {
    Optional<String> text = v.text();
    return text.isEmpty() ? Optional.empty() : Optional.of(Urls.http(v.key(), text.get()));
  }
}
