package dev.vestibule.identity.db;

import java.sql.SQLException;
import java.util.Locale;
import org.sqlite.SQLiteException;

/** The relational databases the built-in identity runs on. The SQL is shared; only these details differ. */
public enum Dialect {
  SQLITE,
  POSTGRESQL;

  public static Dialect of(String jdbcUrl) {
    String url = jdbcUrl == null ? "" : jdbcUrl.toLowerCase(Locale.ROOT);
    if (url.startsWith("jdbc:sqlite:")) return SQLITE;
    if (url.startsWith("jdbc:postgresql:")) return POSTGRESQL;
    throw new IllegalArgumentException("unsupported database URL (use jdbc:sqlite:FILE or jdbc:postgresql://HOST:PORT/DB)");
  }

  /** Whether {@code e} says a unique or primary-key constraint refused the row. */
  public boolean isUniqueViolation(SQLException e) {
    return switch (this) {
      case POSTGRESQL -> "23505".equals(e.getSQLState());
      case SQLITE -> e instanceof SQLiteException s && switch (s.getResultCode()) {
        case SQLITE_CONSTRAINT_UNIQUE, SQLITE_CONSTRAINT_PRIMARYKEY -> true;
        default -> false;
      };
    };
  }
}
