package dev.vestibule.demo;

import dev.vestibule.builtin.BuiltinIdentity;
import dev.vestibule.config.ConfigException;
import dev.vestibule.config.ConfigLoader;
import dev.vestibule.config.VestibuleConfig;
import dev.vestibule.identity.user.User;
import dev.vestibule.server.Gateway;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code ./vestibule serve} runs without a config: the built-in identity on SQLite under the data
 * directory, a session secret generated once and kept there, the demo API behind {@code /api/**}, and the
 * demo pages. Everything survives a restart.
 */
public final class EmbeddedDefault {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDefault.class);
  /** The demo's token timing: short access tokens so refreshes are visible. */
  public record Timing(String accessTokenTtl, String refreshBefore) {
    public static final Timing DEMO = new Timing("2m", "60s");
  }

  private final Vertx apiVertx;
  private final Gateway gateway;

  private EmbeddedDefault(Vertx apiVertx, Gateway gateway) {
    this.apiVertx = apiVertx;
    this.gateway = gateway;
  }

  /** Starts on {@code listen} (host:port), keeping its state in {@code dataDir}. */
  public static EmbeddedDefault start(Path dataDir, String listen, Clock clock) throws ConfigException {
    return start(dataDir, listen, clock, Timing.DEMO);
  }

  public static EmbeddedDefault start(Path dataDir, String listen, Clock clock, Timing timing) throws ConfigException {
    String secret = sessionSecret(dataDir.resolve("session-secret"));
    AtomicReference<Gateway> started = new AtomicReference<>();
    Vertx apiVertx = Vertx.vertx();
    String publicUrl = "http://" + listen.replace("127.0.0.1", "localhost");
    HttpServer api = DemoApi.start(apiVertx,
            () -> URI.create("http://127.0.0.1:" + started.get().port() + "/.well-known/jwks.json"),
            publicUrl, "web", dataDir.resolve("notes.json"), () -> users(started.get()))
        .await();
    VestibuleConfig config = ConfigLoader.parse("""
        listen: %s
        publicUrl: %s
        session:
          secrets: ["%s"]
        identity:
          type: builtin
          database: jdbc:sqlite:%s
          accessTokenTtl: %s
        refresh:
          before: %s
        routes:
          - path: /api/**
            upstream: http://127.0.0.1:%d/v1
        """.formatted(listen, publicUrl, secret, dataDir.resolve("vestibule.db").toAbsolutePath(), timing.accessTokenTtl(), timing.refreshBefore(),
        api.actualPort()), Map.of());
    try {
      Gateway gateway = Gateway.start(config, clock, DemoSite::mount).await();
      started.set(gateway);
      return new EmbeddedDefault(apiVertx, gateway);
    } catch (ConfigException | RuntimeException e) {
      apiVertx.close();
      throw e;
    }
  }

  public int port() {
    return gateway.port();
  }

  public Future<Void> stop() {
    return gateway.stop().eventually(() -> apiVertx.close());
  }

  private static List<Map<String, Object>> users(Gateway gateway) {
    return gateway.vestibule().builtinIdentity().orElseThrow().service().users().stream()
        .map(EmbeddedDefault::shown).toList();
  }

  private static Map<String, Object> shown(User user) {
    Map<String, Object> shown = BuiltinIdentity.publicUser(user);
    shown.remove("roles");
    return shown;
  }

  /** The secret in {@code file}, generated (owner-only) on first use. */
  static String sessionSecret(Path file) {
    try {
      if (Files.exists(file)) return Files.readString(file).strip();
      Files.createDirectories(file.toAbsolutePath().getParent());
      byte[] bytes = new byte[32];
      new SecureRandom().nextBytes(bytes);
      String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
      Files.writeString(file, secret);
      try {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system: left as created
      }
      LOG.warn("generated a session secret in {}: fine for this demo; production must set its own"
          + " (session.secrets in a config file, see README)", file);
      return secret;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
