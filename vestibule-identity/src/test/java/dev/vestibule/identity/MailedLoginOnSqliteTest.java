package dev.vestibule.identity;

import dev.vestibule.identity.testing.TestDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** Mailed logins on an SQLite file. */
class MailedLoginOnSqliteTest extends MailedLoginContract {
  @TempDir static Path folder;

  @Override
  TestDatabase createDatabase() {
    return TestDatabase.sqlite(folder);
  }
}
