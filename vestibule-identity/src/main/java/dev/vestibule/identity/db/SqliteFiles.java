package dev.vestibule.identity.db;

import java.nio.file.Path;

/** Where a {@code jdbc:sqlite:} URL keeps its data. */
final class SqliteFiles {
  private static final String PREFIX = "jdbc:sqlite:";

  private SqliteFiles() {}

  /** The database file of {@code jdbcUrl}, or null for an in-memory database. */
  static Path path(String jdbcUrl) {
    String rest = jdbcUrl.substring(PREFIX.length());
    int query = rest.indexOf('?');
    if (query >= 0) rest = rest.substring(0, query);
    if (rest.startsWith("file:")) rest = rest.substring("file:".length());
    if (rest.isEmpty() || rest.equals(":memory:") || rest.startsWith(":resource:")) return null;
    return Path.of(rest);
  }
}
