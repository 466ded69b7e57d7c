package dev.vestibule.identity.apikey;

import dev.vestibule.identity.testing.TestDatabase;

/**
 * API keys on the real PostgreSQL at 127.0.0.1:5432, in a schema of their own. Fails when PostgreSQL is
 * unreachable, unless VESTIBULE_SKIP_POSTGRES=1.
 */
class ApiKeysOnPostgresTest extends ApiKeysContract {
  @Override
  TestDatabase createDatabase() {
    return TestDatabase.postgres();
  }
}
