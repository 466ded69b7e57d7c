package dev.vestibule.identity.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.vestibule.token.ProviderUnavailableException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * The identity's connection pool, migrated to the current schema when opened. Every call blocks on JDBC:
 * run it off the event loop. A database that fails mid-call surfaces as {@link ProviderUnavailableException}.
 */
public final class Database implements AutoCloseable {
  private final HikariDataSource pool;
  private final Dialect dialect;

  private Database(HikariDataSource pool, Dialect dialect) {
    this.pool = pool;
    this.dialect = dialect;
  }

  /**
   * Connects to {@code jdbcUrl} ({@code jdbc:sqlite:FILE} or {@code jdbc:postgresql://...}) and runs the pending
   * migrations. A SQLite file's folder is created when missing.
   *
   * @throws DatabaseUnavailableException when the database cannot be reached or migrated
   */
  public static Database open(String jdbcUrl) {
    Dialect dialect = Dialect.of(jdbcUrl);
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    config.setPoolName("vestibule-identity");
    config.setConnectionTimeout(10_000);
    if (dialect == Dialect.SQLITE) configureSqlite(config, jdbcUrl);
    else config.setMaximumPoolSize(10);

    HikariDataSource pool;
    try {
      pool = new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new DatabaseUnavailableException("cannot connect to the identity database: " + rootMessage(e), e);
    }
    try {
      migrate(pool);
    } catch (RuntimeException e) {
      pool.close();
      throw new DatabaseUnavailableException("cannot migrate the identity database: " + rootMessage(e), e);
    }
    return new Database(pool, dialect);
  }

  private static void configureSqlite(HikariConfig config, String jdbcUrl) {
    Path file = SqliteFiles.path(jdbcUrl);
    if (file == null) {
      // Every connection to :memory: is a database of its own, gone when the connection closes: keep one, forever.
      config.setMaximumPoolSize(1);
      config.setMaxLifetime(0);
      config.setIdleTimeout(0);
    } else {
      createParent(file);
      config.setMaximumPoolSize(4);
    }
    config.addDataSourceProperty("foreign_keys", "true");
    config.addDataSourceProperty("busy_timeout", "10000");
    config.addDataSourceProperty("journal_mode", "WAL");
    config.addDataSourceProperty("synchronous", "NORMAL");
    // A deferred transaction that reads, then writes, fails with SQLITE_BUSY when another writer got in
    // between; taking the write lock at BEGIN makes writers queue up behind busy_timeout instead.
    config.addDataSourceProperty("transaction_mode", "IMMEDIATE");
  }

  private static void createParent(Path file) {
    Path parent = file.toAbsolutePath().getParent();
    if (parent == null) return;
    try {
      Files.createDirectories(parent);
    } catch (IOException e) {
      throw new DatabaseUnavailableException("cannot create the folder of the identity database " + parent + ": " + e, e);
    }
  }

  private static void migrate(DataSource dataSource) {
    try {
      Flyway.configure()
          .dataSource(dataSource)
          .locations("classpath:db/migration")
          .failOnMissingLocations(true)
          .load()
          .migrate();
    } catch (FlywayException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  public Dialect dialect() {
    return dialect;
  }

  /** Runs {@code work} on a connection in auto-commit mode: each statement stands alone. */
  public <T> T read(Work<T> work) {
    try (Connection c = pool.getConnection()) {
      return work.run(c);
    } catch (SQLException e) {
      throw unavailable(e);
    }
  }

  /** Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. */
  public <T> T transaction(Work<T> work) {
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException | Error e) {
        rollbackQuietly(c, e);
        throw e;
      }
    } catch (SQLException e) {
      throw unavailable(e);
    }
  }

  private static void rollbackQuietly(Connection c, Throwable cause) {
    try {
      c.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  private static ProviderUnavailableException unavailable(SQLException e) {
    return new ProviderUnavailableException("identity database: " + e.getMessage(), e);
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) root = root.getCause();
    String message = root.getMessage();
    return message == null ? root.getClass().getSimpleName() : message;
  }

  @Override
  public void close() {
    pool.close();
  }

  /** JDBC work on one connection. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection c) throws SQLException;
  }
}
