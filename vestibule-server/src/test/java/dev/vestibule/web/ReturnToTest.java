package dev.vestibule.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReturnToTest {
  @ParameterizedTest
  @ValueSource(strings = {"/", "/notes", "/notes?tab=mine&x=%2F%2Fevil", "/a/b#frag", "/%5Cevil.example"})
  void pathsOnThisSiteAreKept(String path) {
    assertThat(ReturnTo.sameOrigin(path)).contains(path);
    assertThat(ReturnTo.orHome(path)).isEqualTo(path);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "notes", "https://evil.example/", "//evil.example", "/\\evil.example", "\\\\evil.example",
      "/\t/evil.example", "/\n/evil.example", " /notes", "/notes page", "javascript:alert(1)", "/caf\u00e9", "/\u0000"})
  void anythingABrowserCouldReadAsAnotherSiteBecomesTheHomePage(String candidate) {
    assertThat(ReturnTo.sameOrigin(candidate)).isEmpty();
    assertThat(ReturnTo.orHome(candidate)).isEqualTo("/");
  }

  @ParameterizedTest
  @ValueSource(ints = {2048, 2049})
  void veryLongPathsAreRefused(int length) {
    String path = "/" + "a".repeat(length - 1);
    assertThat(ReturnTo.sameOrigin(path).isPresent()).isEqualTo(length <= 2048);
  }
}
