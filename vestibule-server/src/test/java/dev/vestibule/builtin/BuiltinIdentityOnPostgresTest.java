package dev.vestibule.builtin;

import dev.vestibule.testing.TestDatabase;

class BuiltinIdentityOnPostgresTest extends BuiltinIdentityContract {
  @Override
  TestDatabase openDatabase() {
    return TestDatabase.postgres();
  }
}
