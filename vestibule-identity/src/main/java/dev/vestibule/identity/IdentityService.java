package dev.vestibule.identity;

import dev.vestibule.identity.apikey.ApiKey;
import dev.vestibule.identity.apikey.ApiKeyCheck;
import dev.vestibule.identity.apikey.ApiKeyRequestException;
import dev.vestibule.identity.apikey.ApiKeys;
import dev.vestibule.identity.apikey.Ipv4Range;
import dev.vestibule.identity.apikey.IssuedApiKey;
import dev.vestibule.identity.apikey.NewApiKey;
import dev.vestibule.identity.apikey.Privilege;
import dev.vestibule.identity.db.Database;
import dev.vestibule.identity.db.DatabaseUnavailableException;
import dev.vestibule.identity.jwt.AccessTokenClaims;
import dev.vestibule.identity.jwt.AccessTokens;
import dev.vestibule.identity.jwt.DatabaseKeyStore;
import dev.vestibule.identity.jwt.FileKeyStore;
import dev.vestibule.identity.jwt.SigningKeyStore;
import dev.vestibule.identity.jwt.SigningKeys;
import dev.vestibule.identity.magic.MagicLinkMail;
import dev.vestibule.identity.magic.MagicLinks;
import dev.vestibule.identity.mail.Mail;
import dev.vestibule.identity.mail.MailDeliveryException;
import dev.vestibule.identity.mail.Mailer;
import dev.vestibule.identity.mfa.MfaCodes;
import dev.vestibule.identity.mfa.MfaMail;
import dev.vestibule.identity.mfa.MfaVerification;
import dev.vestibule.identity.password.PasswordHasher;
import dev.vestibule.identity.password.PasswordPolicy;
import dev.vestibule.identity.refresh.RefreshTokens;
import dev.vestibule.identity.reset.PasswordResets;
import dev.vestibule.identity.reset.ResetMail;
import dev.vestibule.identity.secret.Secrets;
import dev.vestibule.identity.user.Account;
import dev.vestibule.identity.user.EmailAddresses;
import dev.vestibule.identity.user.EmailTakenException;
import dev.vestibule.identity.user.User;
import dev.vestibule.identity.user.UserStore;
import dev.vestibule.token.ProviderUnavailableException;
import dev.vestibule.token.TokenRejectedException;
import dev.vestibule.token.TokenSet;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in identity: users, passwords, access and refresh tokens, password reset, magic links, MFA codes, API
 * keys. Every method blocks (JDBC,
 * password hashing): call it off the event loop. A database that fails mid-call, or password hashing at capacity,
 * surfaces as {@link ProviderUnavailableException}: answer 503 with Retry-After.
 */
public final class IdentityService implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(IdentityService.class);
  private static final int NAME_MAX_LENGTH = 200;
  // Compared against when a client id is unknown, so that the answer takes as long as for a known one.
  private static final String NO_SECRET = Secrets.newToken();

  private final IdentitySettings settings;
  private final Database db;
  private final Mailer mailer;
  private final Clock clock;
  private final UserStore users;
  private final PasswordHasher hasher;
  private final PasswordPolicy policy;
  private final SigningKeys signingKeys;
  private final AccessTokens accessTokens;
  private final RefreshTokens refreshTokens;
  private final PasswordResets resets;
  private final ApiKeys apiKeys;
  private final MagicLinks magicLinks;
  private final MfaCodes mfaCodes;
  private final ThreadPoolExecutor background;

  private IdentityService(IdentitySettings settings, Database db, Mailer mailer, Clock clock) {
    this.settings = settings;
    this.db = db;
    this.mailer = mailer;
    this.clock = clock;
    this.users = new UserStore(db);
    this.policy = PasswordPolicy.standard();
    SigningKeyStore keyStore = settings.keyFile().<SigningKeyStore>map(FileKeyStore::new).orElseGet(() -> new DatabaseKeyStore(db));
    this.signingKeys = new SigningKeys(keyStore, clock, settings.accessTokenTtl());
    this.accessTokens = new AccessTokens(signingKeys, settings.issuerId(), settings.accessTokenTtl(), clock);
    this.refreshTokens = new RefreshTokens(db, clock, settings.refreshTokenTtl(), settings.refreshGrace());
    this.resets = new PasswordResets(db, users, refreshTokens, clock, settings.resetTtl());
    this.apiKeys = new ApiKeys(db, clock);
    this.magicLinks = new MagicLinks(db, users, clock, settings.magicLinkTtl());
    this.mfaCodes = new MfaCodes(db, clock, settings.mfaCodeTtl());
    this.hasher = new PasswordHasher(settings.argon2(), settings.hashing());
    // Mails (reset and login links, login codes) go out here, after the caller got its answer: a mail to an
    // existing account must not make the answer slower than for an unknown address, nor a slow SMTP server a login.
    this.background = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(1000), r -> {
      Thread t = new Thread(r, "vestibule-identity-mail");
      t.setDaemon(true);
      return t;
    }, (task, pool) -> log.warn("mail requests are arriving faster than mails go out; one was dropped"));
  }

  /**
   * Opens the identity on {@code settings.databaseUrl()}, migrating its schema, and creates a signing key when
   * there is none yet.
   *
   * @throws DatabaseUnavailableException when the database cannot be reached or migrated
   */
  public static IdentityService open(IdentitySettings settings, Mailer mailer, Clock clock) {
    Database db = Database.open(settings.databaseUrl());
    IdentityService service;
    try {
      service = new IdentityService(settings, db, mailer, clock);
    } catch (RuntimeException | Error e) {
      db.close();
      throw e;
    }
    try {
      service.purgeExpired();
      return service;
    } catch (RuntimeException | Error e) {
      service.close();
      throw e;
    }
  }

  public IdentitySettings settings() {
    return settings;
  }

  // ---- users ----

  /**
   * Creates an account with the default roles.
   *
   * @throws RegistrationException {@code INVALID} with an error per bad field (name missing, email malformed,
   *     password weak), or {@code EMAIL_TAKEN} when the email belongs to another account in any letter case
   */
  public User register(String name, String email, String password) throws RegistrationException {
    List<FieldError> errors = new ArrayList<>();
    if (name == null || name.isBlank()) errors.add(new FieldError("name", "Enter your name."));
    else if (name.strip().length() > NAME_MAX_LENGTH) errors.add(new FieldError("name", "Use at most " + NAME_MAX_LENGTH + " characters."));
    else if (name.chars().anyMatch(Character::isISOControl)) errors.add(new FieldError("name", "Use printable characters only."));
    if (!EmailAddresses.isValid(email)) errors.add(new FieldError("email", "Enter a valid email address."));
    policy.problem(password).ifPresent(problem -> errors.add(new FieldError("password", problem)));
    if (!errors.isEmpty()) throw new RegistrationException(RegistrationException.Kind.INVALID, errors);
    // Checked before hashing so that a taken address costs no hash; the unique index settles races.
    if (users.findByEmail(email).isPresent()) throw emailTaken();
    String hash = hasher.hash(password);
    try {
      return users.create(name, email, hash, settings.defaultRoles(), clock.instant());
    } catch (EmailTakenException e) {
      throw emailTaken();
    }
  }

  /**
   * Adds an account whose password hash comes from another system: Argon2id or bcrypt ({@code $2a$ $2b$ $2y$}).
   * A bcrypt hash is replaced by Argon2id at the account's next login.
   */
  public User importUser(String name, String email, String passwordHash, List<String> roles) throws RegistrationException {
    List<FieldError> errors = new ArrayList<>();
    if (name == null || name.isBlank()) errors.add(new FieldError("name", "Enter your name."));
    if (!EmailAddresses.isValid(email)) errors.add(new FieldError("email", "Enter a valid email address."));
    if (passwordHash == null || !passwordHash.matches("\\$(argon2id|2a|2b|2y)\\$.+")) {
      errors.add(new FieldError("passwordHash", "Give an Argon2id or bcrypt hash."));
    }
    if (!errors.isEmpty()) throw new RegistrationException(RegistrationException.Kind.INVALID, errors);
    try {
      return users.create(name, email, passwordHash, roles, clock.instant());
    } catch (EmailTakenException e) {
      throw emailTaken();
    }
  }

  /**
   * The user with this email and password. Takes one password verification whether or not the account exists,
   * so neither the answer nor its timing tells. A bcrypt (or weaker Argon2id) hash is upgraded on success.
   */
  public Optional<User> authenticate(String email, String password) {
    Optional<Account> account = users.findByEmail(email);
    if (account.isEmpty()) {
      hasher.verifyDummy(password);
      return Optional.empty();
    }
    PasswordHasher.Verification verification = hasher.verify(password, account.get().passwordHash());
    if (!verification.matches()) return Optional.empty();
    if (verification.needsRehash()) upgradeHash(account.get(), password);
    return Optional.of(account.get().user());
  }

  private void upgradeHash(Account account, String password) {
    try {
      if (users.upgradeHash(account.user().id(), account.passwordHash(), hasher.hash(password))) {
        log.info("password hash of user {} upgraded to Argon2id {}", account.user().id(), hasher.params());
      }
    } catch (ProviderUnavailableException e) {
      // The login itself succeeded; the upgrade waits for the next one.
      log.warn("password hash of user {} not upgraded now: {}", account.user().id(), e.getMessage());
    }
  }

  public List<User> users() {
    return users.all();
  }

  public Optional<User> user(String id) {
    return users.find(id);
  }

  /** Replaces the roles of a user; they reach access tokens issued from then on. */
  public Optional<User> setRoles(String userId, List<String> roles) {
    return users.setRoles(userId, roles);
  }

  // ---- tokens ----

  /**
   * Starts a login of {@code user} at {@code clientId}: a new refresh-token family and an access token whose
   * {@code aud} is the client.
   *
   * @throws TokenRejectedException {@code invalid_client} for an unknown client, {@code invalid_grant} when the
   *     user no longer exists
   */
  public TokenSet login(User user, String clientId) {
    requireClient(clientId);
    User current = users.find(user.id()).orElseThrow(() -> new TokenRejectedException("invalid_grant", "unknown user"));
    String refreshToken = refreshTokens.start(current.id(), clientId);
    return tokenSet(current, clientId, refreshToken);
  }

  /**
   * Rotates {@code refreshToken}: a fresh access token and the family's next refresh token. Within the grace
   * period, a token already rotated gets the family's current refresh token instead.
   *
   * @throws TokenRejectedException {@code invalid_grant} when the token is unknown, expired, revoked, issued to
   *     another client, or reused after the grace period (which ends that login); {@code invalid_client} for an
   *     unknown client
   */
  public TokenSet refresh(String refreshToken, String clientId) {
    requireClient(clientId);
    RefreshTokens.Refreshed refreshed = refreshTokens.use(refreshToken, clientId);
    User user = users.find(refreshed.userId()).orElseThrow(() -> new TokenRejectedException("invalid_grant", "unknown user"));
    return tokenSet(user, clientId, refreshed.refreshToken());
  }

  /** Ends the login of {@code refreshToken}, as RFC 7009 says: an unknown or dead token is fine. */
  public void revoke(String refreshToken) {
    refreshTokens.revoke(refreshToken);
  }

  /** As {@link #revoke(String)}, for a request of {@code clientId}: another client's token is left alone. */
  public void revoke(String refreshToken, String clientId) {
    refreshTokens.clientOf(refreshToken).filter(c -> c.equals(clientId)).ifPresent(c -> refreshTokens.revoke(refreshToken));
  }

  /** Ends every login of a user (all refresh-token families); returns how many were live. */
  public int endAllLogins(String userId) {
    return refreshTokens.revokeAll(userId, "ended");
  }

  /**
   * Whether {@code clientId} is a known client and {@code secretOrNull} is its secret (compared in constant
   * time). A public client authenticates with no secret (null or empty).
   */
  public boolean authenticateClient(String clientId, String secretOrNull) {
    Optional<OAuthClient> client = client(clientId);
    String given = secretOrNull == null ? "" : secretOrNull;
    if (client.isEmpty()) {
      Secrets.constantTimeEquals(given, NO_SECRET);
      return false;
    }
    return client.get().secret().map(secret -> Secrets.constantTimeEquals(given, secret)).orElse(given.isEmpty());
  }

  /**
   * Verifies an access token for a resource server in this JVM: signature, type, issuer, expiry, and an audience
   * that is one of the configured clients.
   *
   * @throws TokenRejectedException {@code invalid_token} when any check fails
   */
  public AccessTokenClaims verifyAccessToken(String jwt) {
    AccessTokenClaims claims = accessTokens.verify(jwt);
    if (client(claims.audience()).isEmpty()) throw new TokenRejectedException("invalid_token", "issued to an unknown client");
    return claims;
  }

  /** The public signing keys, as served at {@code /.well-known/jwks.json}. */
  public String jwksJson() {
    return signingKeys.jwksJson();
  }

  /** The discovery document served at {@code /.well-known/openid-configuration} (RFC 8414 metadata). */
  public Map<String, Object> openidConfiguration() {
    String issuer = settings.issuerId();
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("issuer", issuer);
    doc.put("token_endpoint", issuer + "/oauth/token");
    doc.put("revocation_endpoint", issuer + "/oauth/revoke");
    doc.put("jwks_uri", issuer + "/.well-known/jwks.json");
    doc.put("grant_types_supported", List.of("password", "refresh_token"));
    doc.put("response_types_supported", List.of());
    doc.put("token_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post", "none"));
    doc.put("revocation_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post", "none"));
    doc.put("subject_types_supported", List.of("public"));
    doc.put("access_token_signing_alg_values_supported", List.of(SigningKeys.ALGORITHM.getName()));
    doc.put("claims_supported", List.of("iss", "sub", "aud", "client_id", "iat", "exp", "jti", "roles", "name", "email"));
    return doc;
  }

  /** Starts signing with a new key; tokens signed with the old one keep verifying until they expire. */
  public void rotateSigningKey() {
    signingKeys.rotate();
  }

  private TokenSet tokenSet(User user, String clientId, String refreshToken) {
    AccessTokens.Issued access = accessTokens.issue(user, clientId);
    return new TokenSet(access.token(), Optional.of(refreshToken), Optional.empty(), Optional.of(access.expiresAt()));
  }

  private Optional<OAuthClient> client(String clientId) {
    if (clientId == null) return Optional.empty();
    return settings.clients().stream().filter(c -> c.id().equals(clientId)).findFirst();
  }

  private void requireClient(String clientId) {
    if (client(clientId).isEmpty()) throw new TokenRejectedException("invalid_client", "unknown client");
  }

  // ---- password reset ----

  /**
   * Mails a single-use link {@code resetPageUrl?token=...} to the account of {@code email}, if there is one.
   * Returns at once either way, before any database or mail work, so nothing tells whether the account exists;
   * failures are logged.
   */
  public void requestPasswordReset(String email, String resetPageUrl) {
    if (resetPageUrl == null || resetPageUrl.isBlank()) throw new IllegalArgumentException("resetPageUrl is required");
    if (email == null || email.isBlank()) return;
    mailLater("password reset", () -> resets.issue(email).map(issued -> ResetMail.compose(issued, resetPageUrl, resets.ttl())));
  }

  /** Composes and sends a mail on the mail thread; {@code compose} gives empty when there is nobody to write to. */
  private void mailLater(String what, Supplier<Optional<Mail>> compose) {
    background.execute(() -> {
      try {
        compose.get().ifPresent(mailer::send);
      } catch (MailDeliveryException | ProviderUnavailableException e) {
        log.warn("{} mail not sent: {}", what, e.getMessage());
      } catch (RuntimeException e) {
        log.error("{} mail not sent", what, e);
      }
    });
  }

  /**
   * Sets a new password with a token from a reset mail, spends the token, and ends every login of the user.
   *
   * @throws RegistrationException {@code INVALID} with a {@code password} error when the new password is weak
   * @throws TokenRejectedException {@code invalid_token} when the token is unknown, used or expired
   */
  public User resetPassword(String token, String newPassword) throws RegistrationException {
    Optional<String> weakness = policy.problem(newPassword);
    if (weakness.isPresent()) {
      throw new RegistrationException(RegistrationException.Kind.INVALID, List.of(new FieldError("password", weakness.get())));
    }
    resets.check(token);
    User user = resets.complete(token, hasher.hash(newPassword));
    log.info("password of user {} reset; all their logins ended", user.id());
    return user;
  }

  // ---- magic links ----

  /**
   * Mails a single-use login link {@code verifyUrl?token=...} to the account of {@code email}, if there is one.
   * Returns at once either way, before any database or mail work, so nothing tells whether the account exists.
   *
   * @param returnTo the same-origin path ({@code /...}) the link's user lands on; the caller has checked it
   */
  public void requestMagicLink(String email, String returnTo, String verifyUrl) {
    if (verifyUrl == null || verifyUrl.isBlank()) throw new IllegalArgumentException("verifyUrl is required");
    if (returnTo == null || !returnTo.startsWith("/") || returnTo.startsWith("//")) {
      throw new IllegalArgumentException("returnTo must be a same-origin path");
    }
    if (email == null || email.isBlank()) return;
    mailLater("login link", () -> magicLinks.issue(email, returnTo)
        .map(issued -> MagicLinkMail.compose(issued, verifyUrl, magicLinks.ttl())));
  }

  /**
   * Spends a login link's token: the user it logs in (start their session with {@link #login}) and the path
   * they asked to land on.
   *
   * @throws TokenRejectedException {@code invalid_token} when the token is unknown, used or expired, or its user
   *     is gone
   */
  public MagicLinkLogin redeemMagicLink(String token) {
    MagicLinks.Redeemed redeemed = magicLinks.redeem(token);
    User user = users.find(redeemed.userId()).orElseThrow(() -> new TokenRejectedException("invalid_token", "unknown user"));
    log.info("user {} logged in with a mailed link", user.id());
    return new MagicLinkLogin(user, redeemed.returnTo());
  }

  /** A spent login link: who logs in and where they go next. */
  public record MagicLinkLogin(User user, String returnTo) {}

  // ---- MFA codes ----

  /** Turns the mailed login code on or off for a user; empty when there is no such user. */
  public Optional<User> setMfa(String userId, boolean enabled) {
    Optional<User> changed = users.setMfa(userId, enabled);
    changed.ifPresent(user -> log.info("MFA {} for user {}", enabled ? "on" : "off", user.id()));
    return changed;
  }

  /**
   * Starts the second step of a login of {@code user} (whose password was right): mails a new 7-digit code and
   * returns the challenge the browser keeps. Any earlier pending challenge of the user stops working.
   */
  public MfaChallenge startMfa(User user) {
    MfaCodes.Issued issued = mfaCodes.issue(user);
    mailLater("login code", () -> Optional.of(MfaMail.compose(issued, mfaCodes.ttl())));
    return new MfaChallenge(issued.challenge(), issued.expiresAt());
  }

  /** The user of a pending challenge, to count code attempts per account before checking one. */
  public Optional<String> mfaChallengeOwner(String challenge) {
    return mfaCodes.owner(challenge);
  }

  /**
   * Checks a mailed code against the browser's challenge, in constant time; each check uses one of
   * {@value MfaCodes#MAX_ATTEMPTS} attempts, and the right code spends the challenge.
   */
  public MfaVerification verifyMfaCode(String challenge, String code) {
    return mfaCodes.verify(challenge, code);
  }

  /** A login waiting for its mailed code; the challenge goes into a cookie, never into a log line. */
  public record MfaChallenge(String challenge, Instant expiresAt) {
    @Override
    public String toString() {
      return "MfaChallenge[challenge=redacted, expiresAt=" + expiresAt + "]";
    }
  }

  // ---- API keys ----
  // The user id always comes from the caller's session, never from a client: a key of another user is no key.

  /**
   * A new API key of {@code userId}. The raw key is in the answer and nowhere else: it is stored hashed.
   *
   * @throws ApiKeyRequestException {@code INVALID} for a bad name or an expiry not in the future,
   *     {@code TOO_MANY_KEYS} when the user holds {@value ApiKeys#MAX_KEYS_PER_USER} already
   */
  public IssuedApiKey createApiKey(String userId, NewApiKey request) throws ApiKeyRequestException {
    IssuedApiKey issued = apiKeys.create(userId, request);
    log.info("API key {} ({}) of user {} created", issued.key().tokenId(), issued.key().privilege().label(), userId);
    return issued;
  }

  /** The API keys of {@code userId}, oldest first, expired ones included; never the keys themselves. */
  public List<ApiKey> apiKeys(String userId) {
    return apiKeys.list(userId);
  }

  /** The API key {@code tokenId}, if {@code userId} owns it. */
  public Optional<ApiKey> apiKey(String userId, String tokenId) {
    return apiKeys.find(userId, tokenId);
  }

  /** Ends the API key {@code tokenId} of {@code userId} for good; false when the user has no such key. */
  public boolean revokeApiKey(String userId, String tokenId) {
    boolean revoked = apiKeys.revoke(userId, tokenId);
    if (revoked) log.info("API key {} of user {} revoked", tokenId, userId);
    return revoked;
  }

  /**
   * Replaces the API key {@code tokenId} of {@code userId} by a new raw key; the old one stops working at once.
   * Id, name, privilege, restriction and usage stay.
   *
   * @param expiresAt a new expiry, or empty to keep the current one
   */
  public Optional<IssuedApiKey> rotateApiKey(String userId, String tokenId, Optional<Instant> expiresAt) {
    Optional<IssuedApiKey> rotated = apiKeys.rotate(userId, tokenId, expiresAt);
    rotated.ifPresent(issued -> log.info("API key {} of user {} rotated", tokenId, userId));
    return rotated;
  }

  /** Restricts where the API key may be used from (empty: anywhere); empty when the user has no such key. */
  public Optional<ApiKey> restrictApiKey(String userId, String tokenId, Optional<Ipv4Range> ipv4) {
    return apiKeys.restrict(userId, tokenId, ipv4);
  }

  /** Sets the API key's privilege; empty when the user has no such key. */
  public Optional<ApiKey> changeApiKeyPrivilege(String userId, String tokenId, Privilege privilege) {
    Optional<ApiKey> changed = apiKeys.changePrivilege(userId, tokenId, privilege);
    changed.ifPresent(key -> log.info("API key {} of user {} now has privilege {}", tokenId, userId, privilege.label()));
    return changed;
  }

  /**
   * Checks an {@code X-API-KEY} presented from {@code clientAddress} for a route that needs {@code required}; an
   * accepted key's use is counted. The secret is compared in constant time.
   */
  public ApiKeyCheck verifyApiKey(String rawKey, Privilege required, String clientAddress) {
    return apiKeys.verify(rawKey, required, clientAddress);
  }

  /**
   * The users whose password was reset after {@code since}, with when: every login of theirs that began before is
   * over. A gateway that remembers ended logins in memory learns them again from here at start.
   */
  public Map<String, Instant> passwordsResetSince(Instant since) {
    return users.passwordsResetSince(since);
  }

  // ---- upkeep ----

  /**
   * Forgets expired refresh and reset tokens, login links, code challenges, and API keys expired for over
   * {@link ApiKeys#KEPT_AFTER_EXPIRY}. Runs at open; call it now and then (the gateway does, hourly).
   */
  public void purgeExpired() {
    int refresh = refreshTokens.purgeExpired();
    int reset = resets.purgeExpired();
    int links = magicLinks.purgeExpired();
    int challenges = mfaCodes.purgeExpired();
    int keys = apiKeys.purgeExpired();
    if (refresh + reset + links + challenges + keys > 0) {
      log.debug("purged expired: {} refresh tokens, {} reset tokens, {} login links, {} code challenges, {} API keys",
          refresh, reset, links, challenges, keys);
    }
  }

  /** The password hasher, for its counters (verifications, queue length). */
  public PasswordHasher passwordHasher() {
    return hasher;
  }

  /** Waits until the mails asked for so far are handled. */
  void awaitBackgroundWork() throws InterruptedException, ExecutionException, TimeoutException {
    background.submit(() -> {}).get(30, TimeUnit.SECONDS);
  }

  private static RegistrationException emailTaken() {
    return new RegistrationException(RegistrationException.Kind.EMAIL_TAKEN,
        List.of(new FieldError("email", "An account with this email already exists.")));
  }

  @Override
  public void close() {
    background.shutdown();
    try {
      if (!background.awaitTermination(10, TimeUnit.SECONDS)) background.shutdownNow();
    } catch (InterruptedException e) {
      background.shutdownNow();
      Thread.currentThread().interrupt();
    }
    hasher.close();
    db.close();
  }
}
