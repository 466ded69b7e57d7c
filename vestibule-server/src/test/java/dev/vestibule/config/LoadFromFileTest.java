package dev.vestibule.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadFromFileTest {

  @TempDir
  Path dir;

  @Test
  void fileIsReadAndEnvironmentApplied() throws Exception {
    Path file = Files.writeString(dir.resolve("vestibule.yaml"), "session:\n  secrets: [\"${S}\"]\nlisten: :9000\n");
    VestibuleConfig c = ConfigLoader.load(file, Map.of("S", Yamls.SECRET));
    assertThat(c.listen()).isEqualTo(new Listen("127.0.0.1", 9000));
    assertThat(c.session().secrets()).containsExactly(Yamls.SECRET);
  }

  @Test
  void missingFileIsReportedWithItsPath() {
    Path missing = dir.resolve("nope.yaml");
    assertThatThrownBy(() -> ConfigLoader.load(missing, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("(file): " + missing + " does not exist; check the --config path");
  }

  @Test
  void nonUtf8FileIsReported() throws Exception {
    Path file = Files.write(dir.resolve("latin1.yaml"), new byte[] {'a', ':', ' ', (byte) 0xe9, '\n'});
    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
        .hasMessage("(file): " + file + " is not UTF-8 text; save it as UTF-8");
  }

  @Test
  void directoryInsteadOfFileIsReported() {
    assertThatThrownBy(() -> ConfigLoader.load(dir, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("(file): cannot read " + dir);
  }

  @Test
  void exceptionCarriesKeyAndProblemSeparately() {
    ConfigException e = new ConfigException("routes[1].upstream", "missing; add it");
    assertThat(e.key()).isEqualTo("routes[1].upstream");
    assertThat(e.problem()).isEqualTo("missing; add it");
    assertThat(e.getMessage()).isEqualTo("routes[1].upstream: missing; add it");
  }
}
