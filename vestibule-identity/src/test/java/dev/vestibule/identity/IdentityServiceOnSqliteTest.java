package dev.vestibule.identity;

import dev.vestibule.identity.testing.TestDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The identity's behaviour on SQLite, the embedded default: a file in a fresh folder. */
class IdentityServiceOnSqliteTest extends IdentityServiceContract {
  @TempDir static Path folder;

  @Override
  TestDatabase createDatabase() {
    return TestDatabase.sqlite(folder);
  }
}
