package dev.vestibule.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vestibule.token.TokenSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SessionTest {

  private static final Instant LOGIN = Instant.parse("2025-01-01T10:00:00Z");
  private static final TokenSet TOKENS = new TokenSet("access-secret-abc", Optional.of("refresh-secret-def"),
      Optional.of("id-secret-ghi"), Optional.of(LOGIN.plusSeconds(1800)));

  private static Session session(Map<String, Object> user) {
    return new Session("sess-id-0123456789", user, TOKENS, LOGIN, LOGIN.plus(Duration.ofDays(7)), LOGIN);
  }

  @Test
  @DisplayName("toString of a session or its token set never shows a token")
  void toStringRedactsTokens() {
    Session s = session(Map.of("sub", "alice"));
    for (String printed : List.of(s.toString(), TOKENS.toString())) {
      assertThat(printed).doesNotContain("access-secret-abc", "refresh-secret-def", "id-secret-ghi");
    }
    assertThat(s.toString()).doesNotContain("sess-id-0123456789").contains("redacted");
  }

  @Test
  @DisplayName("the user map is copied: later changes to the caller's map do not leak in, and it cannot be modified")
  void userIsCopiedDefensively() {
    Map<String, Object> user = new LinkedHashMap<>();
    List<Object> roles = new ArrayList<>(List.of("admin"));
    Map<String, Object> address = new HashMap<>(Map.of("city", "Lyon"));
    user.put("sub", "alice");
    user.put("nickname", null);
    user.put("roles", roles);
    user.put("address", address);
    Session s = session(user);

    user.put("sub", "mallory");
    roles.add("root");
    address.put("city", "Paris");

    assertThat(s.user()).containsEntry("sub", "alice").containsEntry("nickname", null);
    assertThat(s.user().get("roles")).isEqualTo(List.of("admin"));
    assertThat(s.user().get("address")).isEqualTo(Map.of("city", "Lyon"));
    assertThatThrownBy(() -> s.user().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    assertThat(s.user().keySet()).containsExactly("sub", "nickname", "roles", "address");
  }

  @Test
  @DisplayName("a session is expired from expiresAt on, not a moment before")
  void expiry() {
    Session s = session(Map.of());
    assertThat(s.expired(s.expiresAt().minusNanos(1))).isFalse();
    assertThat(s.expired(s.expiresAt())).isTrue();
    assertThat(s.expired(s.expiresAt().plusSeconds(1))).isTrue();
  }

  @Test
  @DisplayName("a session unused for the idle timeout is idle; a zero timeout never idles")
  void idle() {
    Session s = session(Map.of()).withLastSeen(LOGIN.plusSeconds(600));
    Duration thirtyMinutes = Duration.ofMinutes(30);
    assertThat(s.idle(LOGIN.plusSeconds(600).plus(thirtyMinutes).minusSeconds(1), thirtyMinutes)).isFalse();
    assertThat(s.idle(LOGIN.plusSeconds(600).plus(thirtyMinutes), thirtyMinutes)).isTrue();
    assertThat(s.idle(LOGIN.plus(Duration.ofDays(6)), Duration.ZERO)).isFalse();
  }

  @Test
  @DisplayName("withTokens and withLastSeen return new sessions and leave the original alone")
  void withers() {
    Session s = session(Map.of("sub", "alice"));
    TokenSet refreshed = new TokenSet("new-access", Optional.empty(), Optional.empty(), Optional.empty());

    Session updated = s.withTokens(refreshed).withLastSeen(LOGIN.plusSeconds(60));

    assertThat(updated.tokens()).isEqualTo(refreshed);
    assertThat(updated.lastSeenAt()).isEqualTo(LOGIN.plusSeconds(60));
    assertThat(updated.id()).isEqualTo(s.id());
    assertThat(updated.user()).isEqualTo(s.user());
    assertThat(s.tokens()).isEqualTo(TOKENS);
    assertThat(s.lastSeenAt()).isEqualTo(LOGIN);
  }

  @Test
  @DisplayName("new session ids are 128 random bits in base64url")
  void newIds() {
    String id = Session.newId();
    assertThat(id).hasSize(22).matches("[A-Za-z0-9_-]+");
    assertThat(Session.newId()).isNotEqualTo(id);
  }
}
