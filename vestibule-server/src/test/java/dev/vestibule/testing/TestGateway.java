package dev.vestibule.testing;

import dev.vestibule.config.ConfigLoader;
import dev.vestibule.config.VestibuleConfig;
import dev.vestibule.server.Gateway;
import java.time.Clock;
import java.util.Map;

/** A gateway started in-process from YAML, on a free loopback port. */
public final class TestGateway implements AutoCloseable {
  public static final String SECRET = "test-session-secret-0123456789-abcdefghij";

  private final Gateway gateway;

  public TestGateway(String yaml) {
    this(yaml, Clock.systemUTC());
  }

  public TestGateway(String yaml, Clock clock) {
    try {
      VestibuleConfig config = ConfigLoader.parse(yaml, Map.of());
      gateway = Gateway.start(config, clock).await();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A config for {@code provider}, with {@code extra} YAML appended (routes and overrides). */
  public static String oauth2Config(FakeProvider provider, String extra) {
    return new GatewayYaml(provider).build() + extra;
  }

  public String url(String path) {
    return "http://127.0.0.1:" + gateway.port() + path;
  }

  public int port() {
    return gateway.port();
  }

  @Override
  public void close() {
    gateway.stop().await();
  }
}
