package dev.vestibule.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SessionCookiesTest {

  private static final Duration WEEK = Duration.ofDays(7);
  private final SessionCookies cookies = new SessionCookies("vestibule", false, "Lax");

  /** What a browser would send back after receiving {@code setCookies}. */
  private static Map<String, String> browserJar(List<String> setCookies) {
    return apply(new HashMap<>(), setCookies);
  }

  /** The browser's jar after it stored or deleted what {@code setCookies} says. */
  private static Map<String, String> apply(Map<String, String> jar, List<String> setCookies) {
    for (String line : setCookies) {
      String pair = line.substring(0, line.indexOf(';'));
      String cookieName = pair.substring(0, pair.indexOf('='));
      if (line.contains("Max-Age=0")) {
        jar.remove(cookieName);
      } else {
        jar.put(cookieName, pair.substring(pair.indexOf('=') + 1));
      }
    }
    return jar;
  }

  private static String value(int length) {
    StringBuilder sb = new StringBuilder(length);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (int i = 0; i < length; i++) {
      sb.append(alphabet.charAt(i * 7 % alphabet.length()));
    }
    return sb.toString();
  }

  private static List<String> clearedNames(List<String> setCookies) {
    return setCookies.stream().filter(l -> l.contains("Max-Age=0"))
        .map(l -> l.substring(0, l.indexOf('='))).toList();
  }

  @Test
  @DisplayName("a small value is one cookie that reads back the same")
  void smallValueIsOneCookie() {
    List<String> headers = cookies.write("abc", WEEK, Set.of());

    assertThat(headers).containsExactly("vestibule=abc; Path=/; Max-Age=604800; HttpOnly; SameSite=Lax");
    assertThat(cookies.read(browserJar(headers))).contains("abc");
  }

  @Test
  @DisplayName("a 9000-character value becomes 3 chunks, each Set-Cookie line at most 4096 bytes, read back equal")
  void largeValueIsChunked() {
    String big = value(9000);
    SessionCookies secure = new SessionCookies("vestibule", true, "Strict");

    List<String> headers = secure.write(big, WEEK, Set.of());

    assertThat(headers).hasSize(3);
    assertThat(headers).extracting(l -> l.substring(0, l.indexOf('=')))
        .containsExactly("__Host-vestibule.0", "__Host-vestibule.1", "__Host-vestibule.2");
    assertThat(headers).allSatisfy(l -> assertThat(l.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(4096));
    assertThat(secure.read(browserJar(headers))).contains(big);
  }

  @Test
  @DisplayName("4000 characters still fit one cookie; 4001 are chunked")
  void chunkingThreshold() {
    assertThat(cookies.write(value(4000), WEEK, Set.of())).hasSize(1)
        .allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(4096));
    assertThat(cookies.write(value(4001), WEEK, Set.of())).hasSize(2);
  }

  @Test
  @DisplayName("shrinking from 3 chunks to one cookie clears name.0 to name.2")
  void shrinkToOneCookieClearsChunks() {
    Map<String, String> jar = browserJar(cookies.write(value(9000), WEEK, Set.of()));

    List<String> headers = cookies.write("small", WEEK, jar.keySet());

    assertThat(headers.get(0)).startsWith("vestibule=small;");
    assertThat(clearedNames(headers)).containsExactlyInAnyOrder("vestibule.0", "vestibule.1", "vestibule.2");
    apply(jar, headers);
    assertThat(jar).containsOnlyKeys("vestibule");
    assertThat(cookies.read(jar)).contains("small");
  }

  @Test
  @DisplayName("growing from one cookie to chunks clears the unchunked cookie, which would otherwise win on read")
  void growToChunksClearsSingle() {
    List<String> headers = cookies.write(value(9000), WEEK, Set.of("vestibule", "other"));

    assertThat(headers).hasSize(4);
    assertThat(clearedNames(headers)).containsExactly("vestibule");
  }

  @Test
  @DisplayName("shrinking from 3 chunks to 2 clears name.2 only")
  void shrinkChunksClearsStaleChunk() {
    List<String> headers = cookies.write(value(7000), WEEK, Set.of("vestibule.0", "vestibule.1", "vestibule.2"));

    assertThat(headers).hasSize(3);
    assertThat(clearedNames(headers)).containsExactly("vestibule.2");
    assertThat(headers.get(0)).startsWith("vestibule.0=");
    assertThat(headers.get(1)).startsWith("vestibule.1=");
  }

  @Test
  @DisplayName("clearing removes the cookie and every chunk the browser sent, with matching attributes")
  void clearWithChunks() {
    SessionCookies secure = new SessionCookies("vestibule", true, "Lax");
    List<String> headers = secure.clear(Set.of("__Host-vestibule.0", "__Host-vestibule.1", "__Host-vestibule.2", "csrf"));

    assertThat(clearedNames(headers)).containsExactlyInAnyOrder(
        "__Host-vestibule", "__Host-vestibule.0", "__Host-vestibule.1", "__Host-vestibule.2");
    assertThat(headers).allSatisfy(l -> assertThat(l).contains("=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Lax"));
  }

  @Test
  @DisplayName("clearing with no session cookie in the request still clears the cookie")
  void clearWithoutCookies() {
    assertThat(cookies.clear(Set.of())).containsExactly("vestibule=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax");
  }

  @Test
  @DisplayName("under https the cookie is __Host- prefixed, Secure, Path=/ and has no Domain")
  void secureCookie() {
    SessionCookies secure = new SessionCookies("vestibule", true, "Strict");

    assertThat(secure.name()).isEqualTo("__Host-vestibule");
    assertThat(secure.write("abc", WEEK, Set.of())).singleElement().satisfies(l -> {
      assertThat(l).startsWith("__Host-vestibule=abc;");
      assertThat(l).contains("; Secure", "; Path=/", "; HttpOnly", "; SameSite=Strict");
      assertThat(l.toLowerCase()).doesNotContain("domain");
    });
    assertThat(secure.read(Map.of("vestibule", "plain", "__Host-vestibule", "prefixed"))).contains("prefixed");
  }

  @Test
  @DisplayName("Max-Age is whole seconds, rounded down but at least 1 while positive")
  void maxAgeSeconds() {
    assertThat(cookies.write("a", Duration.ofMillis(2999), Set.of())).singleElement().asString().contains("Max-Age=2;");
    assertThat(cookies.write("a", Duration.ofMillis(10), Set.of())).singleElement().asString().contains("Max-Age=1;");
    assertThat(cookies.write("a", null, Set.of())).singleElement().asString().doesNotContain("Max-Age");
  }

  @Test
  @DisplayName("reading prefers the unchunked cookie, stops at the first missing chunk, and finds nothing in a foreign jar")
  void readRules() {
    assertThat(cookies.read(Map.of("vestibule", "one", "vestibule.0", "x"))).contains("one");
    assertThat(cookies.read(Map.of("vestibule.0", "a", "vestibule.1", "b", "vestibule.3", "d"))).contains("ab");
    assertThat(cookies.read(Map.of("vestibule.1", "b"))).isEmpty();
    assertThat(cookies.read(Map.of("other", "x"))).isEmpty();
    assertThat(cookies.read(Map.of())).isEmpty();
  }

  @Test
  @DisplayName("own cookies are the name and name.<digits>, nothing else")
  void ownCookies() {
    assertThat(cookies.isOwnCookie("vestibule")).isTrue();
    assertThat(cookies.isOwnCookie("vestibule.0")).isTrue();
    assertThat(cookies.isOwnCookie("vestibule.12")).isTrue();
    assertThat(cookies.isOwnCookie("vestibule.")).isFalse();
    assertThat(cookies.isOwnCookie("vestibule.x")).isFalse();
    assertThat(cookies.isOwnCookie("vestibule-csrf")).isFalse();
    assertThat(cookies.isOwnCookie("vestibulex")).isFalse();
    assertThat(cookies.isOwnCookie("Vestibule")).isFalse();
    assertThat(cookies.isOwnCookie(null)).isFalse();
  }

  @Test
  @DisplayName("a Cookie header is parsed despite odd spacing and empty parts; the first of a repeated name wins")
  void parseCookieHeader() {
    assertThat(SessionCookies.parseCookieHeader(" a=1;b=2 ;;  c = 3 ; a=9; novalue; =x; d=; e=\"q\"; f=x=y"))
        .containsExactly(Map.entry("a", "1"), Map.entry("b", "2"), Map.entry("c", "3"),
            Map.entry("d", ""), Map.entry("e", "q"), Map.entry("f", "x=y"));
    assertThat(SessionCookies.parseCookieHeader(null)).isEmpty();
    assertThat(SessionCookies.parseCookieHeader("  ")).isEmpty();
  }

  @Test
  @DisplayName("stripping Vestibule's own cookies leaves the app's cookies for the upstream")
  void stripCookies() {
    String header = "theme=dark; vestibule.0=AAA;vestibule.1=BBB ; vestibule-csrf=t; ; lang=fr";

    assertThat(SessionCookies.stripCookies(header, cookies::isOwnCookie)).isEqualTo("theme=dark; vestibule-csrf=t; lang=fr");
    assertThat(SessionCookies.stripCookies(header, n -> n.startsWith("vestibule"))).isEqualTo("theme=dark; lang=fr");
    assertThat(SessionCookies.stripCookies("vestibule=x", cookies::isOwnCookie)).isNull();
    assertThat(SessionCookies.stripCookies(null, cookies::isOwnCookie)).isNull();
  }

  @Test
  @DisplayName("bad names, SameSite values and cookie values are refused up front")
  void validation() {
    assertThatThrownBy(() -> new SessionCookies("bad name", false, "Lax")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SessionCookies("", false, "Lax")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SessionCookies("vestibule", false, "Sometimes")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SessionCookies("vestibule", false, "None"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Secure");
    assertThat(new SessionCookies("vestibule", true, "none").write("a", WEEK, Set.of()))
        .singleElement().asString().endsWith("; Secure; SameSite=None");
    assertThatThrownBy(() -> cookies.write("a;b", WEEK, Set.of())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> cookies.write("", WEEK, Set.of())).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("a real sealed session travels through the cookies and opens again")
  void sealedSessionThroughCookies() {
    SessionSealer sealer = new SessionSealer(List.of("current-secret-0123456789abcdefghijkl"));
    byte[] plaintext = value(7000).getBytes(StandardCharsets.UTF_8);
    String sealed = sealer.seal(plaintext, "session");

    Map<String, String> jar = browserJar(cookies.write(sealed, WEEK, Set.of()));
    String header = String.join("; ", jar.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());

    assertThat(cookies.read(SessionCookies.parseCookieHeader(header)).flatMap(v -> sealer.unseal(v, "session")))
        .hasValueSatisfying(u -> assertThat(u.plaintext()).isEqualTo(plaintext));
  }
}
