package dev.vestibule.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
  private static final String SECRET = "cli-test-secret-0123456789-abcdefghijkl";

  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  private Path config(String yaml) throws IOException {
    Path file = dir.resolve("vestibule.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  private static String oauth2(String sessionAndMore) {
    return sessionAndMore + """
        identity:
          type: oauth2
          tokenEndpoint: http://127.0.0.1:9/oauth/token
          clientId: web
        """;
  }

  @Test
  void unknownKeyStopsStartUpWithOneLineNamingTheKeyAndExitCode2() throws IOException {
    Path file = config(oauth2("session:\n  secrets: [\"" + SECRET + "\"]\n  cookeName: x\n"));
    assertThat(run("serve", "--config", file.toString())).isEqualTo(2);
    assertThat(stderr()).startsWith("vestibule: config error: session.cookeName: unknown key; did you mean 'cookieName'?");
    assertThat(stderr().strip().lines()).hasSize(1);
  }

  @Test
  void shortSecretIsRefusedWithoutEchoingIt() throws IOException {
    Path file = config(oauth2("session:\n  secrets: [\"too-short-secret\"]\n"));
    assertThat(run("serve", "--config", file.toString())).isEqualTo(2);
    assertThat(stderr()).contains("session.secrets[0]").contains("32").doesNotContain("too-short-secret");
  }

  @Test
  void missingSecretTellsHowToMakeOne() throws IOException {
    Path file = config(oauth2(""));
    assertThat(run("serve", "--config", file.toString())).isEqualTo(2);
    assertThat(stderr()).contains("session.secrets").contains("./vestibule secret");
  }

  @Test
  void badUpstreamUrlNamesTheRoute() throws IOException {
    Path file = config(oauth2("session:\n  secrets: [\"" + SECRET + "\"]\n")
        + "routes:\n  - path: /api/**\n    upstream: htp:/nowhere\n");
    assertThat(run("serve", "--config", file.toString())).isEqualTo(2);
    assertThat(stderr()).contains("routes[0].upstream");
  }

  @Test
  void missingConfigFileIsAConfigError() {
    assertThat(run("serve", "--config", dir.resolve("absent.yaml").toString())).isEqualTo(2);
    assertThat(stderr()).contains("no such file");
  }

  @Test
  void checkAcceptsAGoodConfig() throws IOException {
    Path file = config(oauth2("session:\n  secrets: [\"" + SECRET + "\"]\n"));
    assertThat(run("check", "--config", file.toString())).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("config OK");
  }

  @Test
  void secretPrintsAFreshValueLongEnoughForTheConfig() {
    assertThat(run("secret")).isZero();
    String first = out.toString(StandardCharsets.UTF_8).strip();
    out.reset();
    run("secret");
    assertThat(first).hasSizeGreaterThanOrEqualTo(32).isNotEqualTo(out.toString(StandardCharsets.UTF_8).strip());
  }

  @Test
  void portInUseIsAClearStartUpFailure() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Path file = config("listen: 127.0.0.1:" + taken.getLocalPort() + "\n"
          + oauth2("session:\n  secrets: [\"" + SECRET + "\"]\n"));
      assertThat(run("serve", "--config", file.toString())).isEqualTo(1);
      assertThat(stderr()).contains("cannot listen on 127.0.0.1:" + taken.getLocalPort());
    }
  }

  @Test
  void unknownCommandShowsUsage() {
    assertThat(run("frobnicate")).isEqualTo(2);
    assertThat(stderr()).contains("unknown command").contains("usage: vestibule");
  }
}
