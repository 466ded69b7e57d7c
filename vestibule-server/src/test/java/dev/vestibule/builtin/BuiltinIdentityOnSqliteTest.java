package dev.vestibule.builtin;

import dev.vestibule.identity.testing.TestDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class BuiltinIdentityOnSqliteTest extends BuiltinIdentityContract {
  @TempDir static Path folder;

  @Override
  TestDatabase openDatabase() {
    return TestDatabase.sqlite(folder);
  }
}
