package dev.vestibule.session;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vestibule.token.TokenSet;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns a {@link Session} into sealed text and back. Issued-at and expiry travel inside the
 * seal, and {@link #open} refuses an expired session whatever the cookie's Max-Age said.
 * Session times are kept to the second ({@code accessExpiresAt} to the millisecond).
 */
public final class SessionCodec {

  public static final String PURPOSE = "session";
  /** Sealing purpose of a cookie that holds only the id of a session kept on the server. */
  public static final String REFERENCE_PURPOSE = "session-reference";

  private static final int FORMAT = 1;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, Object>> USER = new TypeReference<>() {};

  /** {@code needsReseal}: opened with a non-first secret, so the caller should set a freshly sealed cookie. */
  public record Opened(Session session, boolean needsReseal) {}

  /** The id a reference cookie carries; {@code needsReseal} as for {@link Opened}. */
  public record Reference(String sessionId, boolean needsReseal) {}

  private final SessionSealer sealer;

  public SessionCodec(SessionSealer sealer) {
    this.sealer = Objects.requireNonNull(sealer, "sealer");
  }

  public String seal(Session s) {
    ObjectNode json = JSON.createObjectNode()
        .put("v", FORMAT)
        .put("sid", s.id())
        .put("iat", s.loggedInAt().getEpochSecond())
        // iat to the millisecond: a login right after a password reset, in the same second, is not older than it
        .put("iatMs", s.loggedInAt().toEpochMilli())
        .put("exp", s.expiresAt().getEpochSecond())
        .put("seen", s.lastSeenAt().getEpochSecond());
    json.set("user", JSON.valueToTree(s.user()));
    TokenSet t = s.tokens();
    json.put("at", t.accessToken());
    t.refreshToken().ifPresent(rt -> json.put("rt", rt));
    t.idToken().ifPresent(it -> json.put("it", it));
    t.accessExpiresAt().ifPresent(ate -> json.put("ate", ate.toEpochMilli()));
    try {
      return sealer.seal(JSON.writeValueAsBytes(json), PURPOSE);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("session user claims cannot be written as JSON", e);
    }
  }

  /** Empty when the value does not unseal, does not parse, or the session is expired at {@code now}. */
  public Optional<Opened> open(String sealed, Instant now) {
    return sealer.unseal(sealed, PURPOSE).flatMap(u -> {
      try {
        Session s = parse(JSON.readTree(u.plaintext()));
        return s.expired(now) ? Optional.empty() : Optional.of(new Opened(s, !u.sealedWithCurrentSecret()));
      } catch (Exception e) {
        return Optional.empty();
      }
    });
  }

  /** The cookie of a session kept on the server: its id alone, sealed. */
  public String sealReference(String sessionId) {
    return sealer.seal(sessionId, REFERENCE_PURPOSE);
  }

  /** Empty for anything that is not a reference this codec sealed; never throws. */
  public Optional<Reference> openReference(String sealed) {
    return sealer.unseal(sealed, REFERENCE_PURPOSE).map(u ->
        new Reference(new String(u.plaintext(), StandardCharsets.UTF_8), !u.sealedWithCurrentSecret()));
  }

  private static Session parse(JsonNode j) {
    if (j.path("v").asInt() != FORMAT || !j.path("user").isObject()) {
      throw new IllegalArgumentException("unsupported session format");
    }
    TokenSet tokens = new TokenSet(text(j, "at"),
        optionalText(j, "rt"),
        optionalText(j, "it"),
        j.hasNonNull("ate") ? Optional.of(Instant.ofEpochMilli(number(j, "ate"))) : Optional.empty());
    return new Session(text(j, "sid"), JSON.convertValue(j.get("user"), USER), tokens,
        j.hasNonNull("iatMs") ? Instant.ofEpochMilli(number(j, "iatMs")) : Instant.ofEpochSecond(number(j, "iat")),
        Instant.ofEpochSecond(number(j, "exp")),
        Instant.ofEpochSecond(number(j, "seen")));
  }

  private static String text(JsonNode j, String field) {
    JsonNode n = j.get(field);
    if (n == null || !n.isTextual()) {
      throw new IllegalArgumentException("missing " + field);
    }
    return n.asText();
  }

  private static Optional<String> optionalText(JsonNode j, String field) {
    return j.hasNonNull(field) ? Optional.of(text(j, field)) : Optional.empty();
  }

  private static long number(JsonNode j, String field) {
    JsonNode n = j.get(field);
    if (n == null || !n.canConvertToLong() || !n.isIntegralNumber()) {
      throw new IllegalArgumentException("missing " + field);
    }
    return n.asLong();
  }
}
