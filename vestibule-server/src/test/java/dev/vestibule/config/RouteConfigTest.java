package dev.vestibule.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RouteConfigTest {

  private static RouteConfig route(String path) {
    return new RouteConfig(path, Optional.of(URI.create("http://127.0.0.1:9001")), Optional.empty(),
        RouteAuth.of(RouteAuthMode.REQUIRED), Relay.BEARER, true, 1024, RouteSection.DEFAULT_TIMEOUT, false, Set.of());
  }

  @Test
  void prefixDropsTheWildcard() {
    assertThat(route("/api/**").prefix()).isEqualTo("/api");
    assertThat(route("/**").prefix()).isEmpty();
    assertThat(route("/x").prefix()).isEqualTo("/x");
  }

  @Test
  void prefixRouteMatchesItsSubtreeOnly() {
    RouteConfig api = route("/api/**");
    assertThat(api.matches("/api")).isTrue();
    assertThat(api.matches("/api/")).isTrue();
    assertThat(api.matches("/api/x/y")).isTrue();
    assertThat(api.matches("/apix")).isFalse();
    assertThat(api.matches("/")).isFalse();
    assertThat(api.matches(null)).isFalse();
  }

  @Test
  void rootWildcardMatchesEverything() {
    RouteConfig all = route("/**");
    assertThat(all.matches("/")).isTrue();
    assertThat(all.matches("/anything/at/all")).isTrue();
  }

  @Test
  void exactRouteMatchesOnlyItself() {
    RouteConfig exact = route("/x");
    assertThat(exact.matches("/x")).isTrue();
    assertThat(exact.matches("/x/")).isFalse();
    assertThat(exact.matches("/x/y")).isFalse();
    assertThat(exact.isPrefix()).isFalse();
  }

  @Test
  void staticRouteIsStatic() {
    RouteConfig files = new RouteConfig("/**", Optional.empty(), Optional.of(Path.of("/srv")),
        RouteAuth.of(RouteAuthMode.NONE), Relay.NONE, false, 1, RouteSection.DEFAULT_TIMEOUT, false, Set.of());
    assertThat(files.isStatic()).isTrue();
    assertThat(route("/api/**").isStatic()).isFalse();
  }

  @Test
  void emptyMethodSetAllowsEveryMethod() {
    assertThat(route("/x").allowsMethod("PATCH")).isTrue();
  }
}
