package dev.vestibule.builtin;

import dev.vestibule.identity.testing.TestDatabase;

class BuiltinIdentityOnPostgresTest extends BuiltinIdentityContract {
  @Override
  TestDatabase openDatabase() {
    return TestDatabase.postgres();
  }
}
