package dev.vestibule.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vestibule.config.ConfigException;
import dev.vestibule.config.ConfigLoader;
import dev.vestibule.server.CommandLine;
import dev.vestibule.server.Gateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A database the built-in identity cannot open stops start-up with a config error naming identity.database (SPEC §1). */
class UnreachableDatabaseTest {
  private static final String NOBODY_LISTENS = "jdbc:postgresql://127.0.0.1:1/test?user=postgres&password=hunter2-secret";

  @TempDir Path dir;

  @Test
  void anUnreachablePostgresqlIsAConfigExceptionNamingIdentityDatabase() {
    assertThatThrownBy(() -> Gateway.start(ConfigLoader.parse(new BuiltinYaml(NOBODY_LISTENS).build(), Map.of()),
            Clock.systemUTC()))
        .isInstanceOfSatisfying(ConfigException.class, e -> {
          assertThat(e.key()).isEqualTo("identity.database");
          assertThat(e.getMessage()).doesNotContain("hunter2-secret");
        });
  }

  @Test
  void aMissingPostgresqlDatabaseIsAConfigExceptionToo() {
    String url = "jdbc:postgresql://127.0.0.1:5432/no_such_database_here?user=postgres";

    assertThatThrownBy(() -> Gateway.start(ConfigLoader.parse(new BuiltinYaml(url).build(), Map.of()), Clock.systemUTC()))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("identity.database"));
  }

  @Test
  void aSqliteFileThatCannotBeCreatedIsAConfigExceptionToo() throws Exception {
    Path notAFolder = Files.writeString(dir.resolve("a-file"), "x");
    String url = "jdbc:sqlite:" + notAFolder.resolve("data").resolve("v.db");

    assertThatThrownBy(() -> Gateway.start(ConfigLoader.parse(new BuiltinYaml(url).build(), Map.of()), Clock.systemUTC()))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("identity.database"));
  }

  @Test
  void serveExitsWithCode2AndOneLineOnStderr() throws Exception {
    Path config = Files.writeString(dir.resolve("vestibule.yaml"), new BuiltinYaml(NOBODY_LISTENS).build());
    CommandLine.Outcome serve = CommandLine.run("serve", "--config", config.toString());

    String stderr = serve.stderr();
    int code = serve.exitCode();
    assertThat(code).isEqualTo(2);
    assertThat(stderr.strip().lines()).hasSize(1);
    assertThat(stderr).startsWith("vestibule: config error: identity.database: ").contains("database server")
        .doesNotContain("hunter2-secret").doesNotContain("Exception").doesNotContain("\tat ");
  }

}
