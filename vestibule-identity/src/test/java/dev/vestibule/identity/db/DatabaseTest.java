package dev.vestibule.identity.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vestibule.token.ProviderUnavailableException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTest {
  @TempDir Path dir;

  @Test
  void createsTheFolderOfASqliteFileAndMigratesIt() {
    Path file = dir.resolve("data").resolve("nested").resolve("vestibule.db");
    try (Database db = Database.open("jdbc:sqlite:" + file)) {
      assertThat(Files.exists(file)).isTrue();
      assertThat(db.dialect()).isEqualTo(Dialect.SQLITE);
      assertThat(tables(db)).isGreaterThanOrEqualTo(5);
    }
  }

  @Test
  void anInMemorySqliteDatabaseKeepsItsDataAcrossCalls() {
    try (Database db = Database.open("jdbc:sqlite::memory:")) {
      db.read(c -> {
        try (Statement s = c.createStatement()) {
          return s.executeUpdate("INSERT INTO signing_keys (kid, jwk, created_at) VALUES ('k', '{}', 0)");
        }
      });
      assertThat(count(db)).isEqualTo(1);
    }
  }

  @Test
  void aTransactionThatThrowsLeavesNothingBehind() {
    try (Database db = Database.open("jdbc:sqlite:" + dir.resolve("t.db"))) {
      assertThatThrownBy(() -> db.transaction(c -> {
        try (Statement s = c.createStatement()) {
          s.executeUpdate("INSERT INTO signing_keys (kid, jwk, created_at) VALUES ('k', '{}', 0)");
        }
        throw new IllegalStateException("changed my mind");
      })).hasMessage("changed my mind");
      assertThat(count(db)).isZero();
    }
  }

  @Test
  void sqlErrorsSurfaceAsProviderUnavailable() {
    try (Database db = Database.open("jdbc:sqlite:" + dir.resolve("e.db"))) {
      assertThatThrownBy(() -> db.read(c -> {
        try (Statement s = c.createStatement()) {
          return s.executeQuery("SELECT * FROM no_such_table");
        }
      })).isInstanceOf(ProviderUnavailableException.class).hasMessageContaining("identity database");
    }
  }

  @Test
  void onlySqliteAndPostgresqlAreSupported() {
    assertThat(Dialect.of("jdbc:sqlite:./data/vestibule.db")).isEqualTo(Dialect.SQLITE);
    assertThat(Dialect.of("jdbc:postgresql://db:5432/app?user=x")).isEqualTo(Dialect.POSTGRESQL);
    assertThatThrownBy(() -> Database.open("jdbc:mysql://db/app")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void findsTheFileOfASqliteUrl() {
    assertThat(SqliteFiles.path("jdbc:sqlite:./data/vestibule.db")).isEqualTo(Path.of("./data/vestibule.db"));
    assertThat(SqliteFiles.path("jdbc:sqlite:file:/tmp/x.db?cache=shared")).isEqualTo(Path.of("/tmp/x.db"));
    assertThat(SqliteFiles.path("jdbc:sqlite::memory:")).isNull();
    assertThat(SqliteFiles.path("jdbc:sqlite:")).isNull();
  }

  private static int tables(Database db) {
    return db.read(c -> {
      try (ResultSet rs = c.getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
        int n = 0;
        while (rs.next()) n++;
        return n;
      }
    });
  }

  private static int count(Database db) {
    return db.read(c -> {
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM signing_keys")) {
        rs.next();
        return rs.getInt(1);
      }
    });
  }
}
