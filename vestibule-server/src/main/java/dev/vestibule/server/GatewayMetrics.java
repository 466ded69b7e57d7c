package dev.vestibule.server;

import dev.vestibule.refresh.RefreshObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/** The gateway's Prometheus metrics. Labels are route patterns and status codes, never paths or users. */
public final class GatewayMetrics implements RefreshObserver {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Map<Outcome, Counter> refreshes = new EnumMap<>(Outcome.class);
  private final Counter coalesced;
  private final Counter endedSessions;

  public GatewayMetrics() {
    for (Outcome outcome : Outcome.values()) {
      refreshes.put(outcome, Counter.builder("vestibule.refresh")
          .description("Calls to the identity provider's token endpoint to refresh a session, by outcome")
          .tag("outcome", outcome.name().toLowerCase())
          .register(registry));
    }
    coalesced = Counter.builder("vestibule.refresh.coalesced")
        .description("Refreshes answered by another request's refresh instead of a provider call")
        .register(registry);
    endedSessions = Counter.builder("vestibule.sessions.ended")
        .description("Sessions ended by logout, rejected refresh or idle timeout")
        .register(registry);
  }

  public void request(String route, int status) {
    registry.counter("vestibule.requests", "route", route, "status", Integer.toString(status)).increment();
  }

  public Timer.Sample startUpstream() {
    return Timer.start(registry);
  }

  public void stopUpstream(Timer.Sample sample, String route) {
    sample.stop(Timer.builder("vestibule.upstream.latency")
        .description("Time from forwarding a request to the upstream's response head")
        .tag("route", route)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(60))
        .register(registry));
  }

  public void sessionEnded() {
    endedSessions.increment();
  }

  @Override
  public void refreshed(Outcome outcome) {
    refreshes.get(outcome).increment();
  }

  @Override
  public void coalesced() {
    coalesced.increment();
  }

  public String scrape() {
    return registry.scrape();
  }
}
