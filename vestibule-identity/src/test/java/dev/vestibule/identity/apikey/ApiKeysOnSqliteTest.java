package dev.vestibule.identity.apikey;

import dev.vestibule.identity.testing.TestDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** API keys on SQLite, the embedded default: a file in a fresh folder. */
class ApiKeysOnSqliteTest extends ApiKeysContract {
  @TempDir static Path folder;

  @Override
  TestDatabase createDatabase() {
    return TestDatabase.sqlite(folder);
  }
}
