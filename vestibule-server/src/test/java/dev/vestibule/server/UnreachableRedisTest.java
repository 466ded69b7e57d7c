package dev.vestibule.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vestibule.config.ConfigException;
import dev.vestibule.config.ConfigLoader;
import dev.vestibule.testing.TestGateway;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Redis nobody answers at start-up stops the gateway with exit code 2 and one line naming redis (SPEC §1). */
class UnreachableRedisTest {
  @TempDir Path dir;
  private String yaml;

  @BeforeEach
  void configWithADeadRedis() throws IOException {
    int nobodyListens;
    try (ServerSocket socket = new ServerSocket(0)) {
      nobodyListens = socket.getLocalPort();
    }
    yaml = """
        listen: 127.0.0.1:0
        publicUrl: http://localhost:8080
        session:
          secrets: ["%s"]
        identity:
          type: oauth2
          tokenEndpoint: http://127.0.0.1:9/oauth/token
          clientId: web
        redis: redis://:hunter2-secret@127.0.0.1:%d
        """.formatted(TestGateway.SECRET, nobodyListens);
  }

  @Test
  void startingIsAConfigExceptionNamingRedis() {
    assertThatThrownBy(() -> Gateway.start(ConfigLoader.parse(yaml, Map.of()), Clock.systemUTC()))
        .isInstanceOfSatisfying(ConfigException.class, e -> {
          assertThat(e.key()).isEqualTo("redis");
          assertThat(e.getMessage()).contains("cannot reach Redis").doesNotContain("hunter2-secret");
        });
  }

  @Test
  void serveExitsWithCode2AndOneLineOnStderr() throws Exception {
    Path config = Files.writeString(dir.resolve("vestibule.yaml"), yaml);
    CommandLine.Outcome serve = CommandLine.run("serve", "--config", config.toString());

    String stderr = serve.stderr();
    int code = serve.exitCode();
    assertThat(code).isEqualTo(2);
    assertThat(stderr.strip().lines()).hasSize(1);
    assertThat(stderr).startsWith("vestibule: config error: redis: cannot reach Redis at 127.0.0.1:")
        .doesNotContain("hunter2-secret").doesNotContain("Exception").doesNotContain("\tat ");
  }
}
