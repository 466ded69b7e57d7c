package dev.vestibule.identity;

import dev.vestibule.identity.testing.TestDatabase;

/**
 * The identity's behaviour on the real PostgreSQL at 127.0.0.1:5432, in a schema of its own. Fails when PostgreSQL
 * is unreachable, unless VESTIBULE_SKIP_POSTGRES=1.
 */
class IdentityServiceOnPostgresTest extends IdentityServiceContract {
  @Override
  TestDatabase createDatabase() {
    return TestDatabase.postgres();
  }
}
