package dev.vestibule.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vestibule.testing.Browser;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OperationsTest extends GatewayTest {

  @BeforeEach
  void startGateway() {
    start(config().section("refresh:\n  before: 60s\n").route("/api/**", upstream.url("/v1")));
  }

  private String metrics() {
    Browser.Response response = newBrowser().get("/metrics");
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.header("Content-Type")).startsWith("text/plain");
    return response.body();
  }

  /** The value of the sample whose line starts with {@code name} and has all {@code labels}. */
  private static double sample(String metrics, String name, String... labels) {
    List<String> lines = metrics.lines()
        .filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
        .filter(line -> List.of(labels).stream().allMatch(line::contains))
        .toList();
    assertThat(lines).as("samples of %s with %s", name, List.of(labels)).isNotEmpty();
    return lines.stream().mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
  }

  @Test
  void healthzSaysUp() {
    Browser.Response health = browser.get("/healthz");
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.header("Content-Type")).startsWith("application/json");
    assertThat(health.json()).isEqualTo(new JsonObject().put("status", "UP"));
  }

  @Test
  void anUnknownPathIs404ProblemJson() {
    assertProblem(browser.get("/nowhere/at/all"), 404);
    assertProblem(browser.post("/nowhere", "{}"), 404);
    assertThat(upstream.received).isEmpty();
  }

  @Test
  void metricsCountRequestsByRouteAndStatus() {
    login();
    browser.get("/api/customer-4711/orders");
    browser.get("/api/customer-4711/orders");
    newBrowser().get("/api/things");

    String metrics = metrics();
    assertThat(sample(metrics, "vestibule_requests_total", "route=\"/api/**\"", "status=\"200\"")).isEqualTo(2.0);
    assertThat(sample(metrics, "vestibule_requests_total", "route=\"/api/**\"", "status=\"401\"")).isEqualTo(1.0);
    assertThat(sample(metrics, "vestibule_upstream_latency_seconds_bucket", "route=\"/api/**\"")).isPositive();
    assertThat(sample(metrics, "vestibule_upstream_latency_seconds_count", "route=\"/api/**\"")).isEqualTo(2.0);
    assertThat(metrics).as("labels are route patterns, never request paths").doesNotContain("customer-4711");
  }

  @Test
  void metricsCountRefreshesCoalescedRefreshesAndEndedSessions() {
    provider.accessTokenSeconds = 30;
    login();
    provider.accessTokenSeconds = 300;
    Browser lateTab = copyOf(browser);

    assertThat(browser.get("/api/things").status()).isEqualTo(200);
    assertThat(lateTab.get("/api/things").status()).isEqualTo(200);
    assertThat(provider.refreshGrants.get()).isEqualTo(1);
    assertThat(browser.post("/auth/logout", "", "X-CSRF-Token", browser.csrf()).status()).isEqualTo(204);

    String metrics = metrics();
    assertThat(sample(metrics, "vestibule_refresh_total", "outcome=\"ok\"")).isEqualTo(1.0);
    assertThat(sample(metrics, "vestibule_refresh_coalesced_total")).isGreaterThanOrEqualTo(1.0);
    assertThat(sample(metrics, "vestibule_sessions_ended_total")).isEqualTo(1.0);
  }
}
