package dev.vestibule.identity;

import dev.vestibule.identity.testing.TestDatabase;

/**
 * Mailed logins on the real PostgreSQL at 127.0.0.1:5432, in a schema of their own. Fails when PostgreSQL is
 * unreachable, unless VESTIBULE_SKIP_POSTGRES=1.
 */
class MailedLoginOnPostgresTest extends MailedLoginContract {
  @Override
  TestDatabase createDatabase() {
    return TestDatabase.postgres();
  }
}
