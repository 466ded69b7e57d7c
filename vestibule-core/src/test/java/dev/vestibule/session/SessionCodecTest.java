package dev.vestibule.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vestibule.token.TokenSet;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SessionCodecTest {

  private static final String CURRENT = "current-secret-0123456789abcdefghijkl";
  private static final String OLD = "old-secret-0123456789abcdefghijklmnopq";
  private static final Instant LOGIN = Instant.parse("2025-01-01T10:00:00Z");
  private static final Instant NOW = LOGIN.plusSeconds(60);

  private final SessionCodec codec = new SessionCodec(new SessionSealer(List.of(CURRENT)));

  private static Session session() {
    Map<String, Object> user = new LinkedHashMap<>();
    user.put("sub", "alice");
    user.put("email", "alice@example.com");
    user.put("roles", List.of("admin", "dev"));
    user.put("picture", null);
    return new Session(Session.newId(), user,
        new TokenSet("eyJ.access", Optional.of("refresh-1"), Optional.of("eyJ.id"),
            Optional.of(Instant.parse("2025-01-01T10:30:00.123Z"))),
        LOGIN, LOGIN.plus(Duration.ofDays(7)), LOGIN.plusSeconds(30));
  }

  @Test
  @DisplayName("a sealed session opens as the same session, without asking for a re-seal")
  void roundTrip() {
    Session s = session();
    assertThat(codec.open(codec.seal(s), NOW)).hasValueSatisfying(o -> {
      assertThat(o.session()).isEqualTo(s);
      assertThat(o.needsReseal()).isFalse();
    });
  }

  @Test
  @DisplayName("a session without refresh token, id token or access expiry round trips too")
  void roundTripMinimalTokens() {
    Session s = session().withTokens(new TokenSet("only-access", null, null, null));
    assertThat(codec.open(codec.seal(s), NOW)).hasValueSatisfying(o -> assertThat(o.session()).isEqualTo(s));
  }

  @Test
  @DisplayName("the login time keeps its milliseconds; a cookie sealed before they were kept opens to the second")
  void loginTimeToTheMillisecond() {
    Instant login = Instant.parse("2025-01-01T10:00:00.987Z");
    Session s = new Session(Session.newId(), Map.of(), new TokenSet("a", null, null, null), login,
        login.plus(Duration.ofDays(7)), login);
    assertThat(codec.open(codec.seal(s), NOW)).hasValueSatisfying(o -> assertThat(o.session().loggedInAt()).isEqualTo(login));

    SessionSealer sealer = new SessionSealer(List.of(CURRENT));
    String older = "{\"v\":1,\"sid\":\"x\",\"iat\":1735725600,\"exp\":9999999999,\"seen\":1,\"user\":{},\"at\":\"a\"}";
    assertThat(new SessionCodec(sealer).open(sealer.seal(older, SessionCodec.PURPOSE), NOW))
        .hasValueSatisfying(o -> assertThat(o.session().loggedInAt()).isEqualTo(Instant.parse("2025-01-01T10:00:00Z")));
  }

  @Test
  @DisplayName("sealing the same session twice gives different cookie values")
  void sealsDiffer() {
    Session s = session();
    assertThat(codec.seal(s)).isNotEqualTo(codec.seal(s));
  }

  @Test
  @DisplayName("an expired session is refused at exactly expiresAt, whatever the cookie's Max-Age")
  void expiredIsRefused() {
    Session s = session();
    String sealed = codec.seal(s);
    assertThat(codec.open(sealed, s.expiresAt().minusMillis(1))).isPresent();
    assertThat(codec.open(sealed, s.expiresAt())).isEmpty();
    assertThat(codec.open(sealed, s.expiresAt().plus(Duration.ofDays(1)))).isEmpty();
  }

  @Test
  @DisplayName("a session sealed with an older listed secret opens and needs a re-seal")
  void rotationNeedsReseal() {
    Session s = session();
    String sealedWithOld = new SessionCodec(new SessionSealer(List.of(OLD))).seal(s);
    SessionCodec rotated = new SessionCodec(new SessionSealer(List.of(CURRENT, OLD)));

    assertThat(rotated.open(sealedWithOld, NOW)).hasValueSatisfying(o -> {
      assertThat(o.session()).isEqualTo(s);
      assertThat(o.needsReseal()).isTrue();
    });
    assertThat(rotated.open(rotated.seal(s), NOW)).hasValueSatisfying(o -> assertThat(o.needsReseal()).isFalse());
  }

  @Test
  @DisplayName("tampered, truncated, garbage and foreign-secret cookies all mean no session")
  void badInputMeansNoSession() {
    String sealed = codec.seal(session());
    SessionCodec foreign = new SessionCodec(new SessionSealer(List.of("someone-elses-secret-0123456789abcdef")));

    assertThat(codec.open(sealed.substring(0, sealed.length() - 1), NOW)).isEmpty();
    assertThat(codec.open(sealed.substring(0, 10) + (sealed.charAt(10) == 'x' ? 'y' : 'x') + sealed.substring(11), NOW)).isEmpty();
    assertThat(codec.open("garbage", NOW)).isEmpty();
    assertThat(codec.open("", NOW)).isEmpty();
    assertThat(codec.open(null, NOW)).isEmpty();
    assertThat(foreign.open(sealed, NOW)).isEmpty();
  }

  @Test
  @DisplayName("a correctly sealed value that is not a session, or was sealed for another purpose, is refused")
  void wellSealedNonSessionIsRefused() {
    SessionSealer sealer = new SessionSealer(List.of(CURRENT));
    SessionCodec c = new SessionCodec(sealer);
    for (String json : List.of("not json", "[]", "{}", "{\"v\":2}",
        "{\"v\":1,\"sid\":\"x\",\"iat\":1,\"exp\":9999999999,\"seen\":1,\"user\":{}}",
        "{\"v\":1,\"sid\":\"x\",\"iat\":\"1\",\"exp\":9999999999,\"seen\":1,\"user\":{},\"at\":\"a\"}",
        "{\"v\":1,\"sid\":\"x\",\"iat\":1,\"exp\":9999999999,\"seen\":1,\"user\":[],\"at\":\"a\"}")) {
      assertThat(c.open(sealer.seal(json.getBytes(StandardCharsets.UTF_8), SessionCodec.PURPOSE), NOW))
          .as(json).isEmpty();
    }
    String valid = "{\"v\":1,\"sid\":\"x\",\"iat\":1,\"exp\":9999999999,\"seen\":1,\"user\":{},\"at\":\"a\"}";
    assertThat(c.open(sealer.seal(valid, SessionCodec.PURPOSE), NOW)).isPresent();
    assertThat(c.open(sealer.seal(valid, "mfa-challenge"), NOW)).isEmpty();
  }
}
