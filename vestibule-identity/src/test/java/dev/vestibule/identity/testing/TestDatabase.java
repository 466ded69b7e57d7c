package dev.vestibule.identity.testing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * A database for one test class: a SQLite file in a temporary folder, or a fresh schema in the PostgreSQL at
 * 127.0.0.1:5432 (database {@code test}, user {@code postgres}, trust auth), dropped at the end.
 *
 * <p>An unreachable PostgreSQL fails the tests, so that CI cannot pass by skipping them, unless
 * {@code VESTIBULE_SKIP_POSTGRES=1}, which skips them with a loud message instead.
 */
public final class TestDatabase implements AutoCloseable {
  /** The PostgreSQL the tests use; {@code -Dvestibule.test.postgres=URL} points them at another one. */
  public static final String POSTGRES_URL =
      System.getProperty("vestibule.test.postgres", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
  public static final String SKIP_VARIABLE = "VESTIBULE_SKIP_POSTGRES";

  private final String url;
  private final String postgresSchema;

  private TestDatabase(String url, String postgresSchema) {
    this.url = url;
    this.postgresSchema = postgresSchema;
  }

  public static TestDatabase sqlite(Path folder) {
    return new TestDatabase("jdbc:sqlite:" + folder.resolve("data").resolve("identity.db"), null);
  }

  public static TestDatabase postgres() {
    String schema = "vestibule_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
    DriverManager.setLoginTimeout(5);
    try (Connection c = DriverManager.getConnection(POSTGRES_URL); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      String message = "PostgreSQL is not usable at " + POSTGRES_URL + " (" + e.getMessage() + "). "
          + "The identity tests run against a real PostgreSQL: start one (CI: .ci/run starts it), or set "
          + SKIP_VARIABLE + "=1 to skip these tests knowingly.";
      if ("1".equals(System.getenv(SKIP_VARIABLE))) {
        System.err.println("\n!!!!!!!!!! SKIPPING POSTGRESQL TESTS (" + SKIP_VARIABLE + "=1) !!!!!!!!!!\n" + message + "\n");
        Assumptions.abort(SKIP_VARIABLE + "=1: " + message);
      }
      throw new AssertionError("\n!!!!!!!!!! POSTGRESQL UNREACHABLE !!!!!!!!!!\n" + message, e);
    }
    return new TestDatabase(POSTGRES_URL + "&currentSchema=" + schema, schema);
  }

  public String url() {
    return url;
  }

  public boolean isPostgres() {
    return postgresSchema != null;
  }

  /** Runs one statement with parameters; returns the update count. */
  public int update(String sql, Object... parameters) {
    try (Connection c = DriverManager.getConnection(url); PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) s.setObject(i + 1, parameters[i]);
      return s.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The first column of the first row of a query, if any. */
  public Optional<String> queryString(String sql, Object... parameters) {
    try (Connection c = DriverManager.getConnection(url); PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) s.setObject(i + 1, parameters[i]);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() throws SQLException {
    if (postgresSchema == null) return;
    try (Connection c = DriverManager.getConnection(POSTGRES_URL); Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA " + postgresSchema + " CASCADE");
    }
  }

  /** The PostgreSQL schema of this test class (null for SQLite), for tests that take it away for a while. */
  public String postgresSchema() {
    return postgresSchema;
  }
}
