package dev.vestibule.identity.jwt;

import com.nimbusds.jose.jwk.ECKey;
import dev.vestibule.identity.db.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;

/** Signing keys in the identity database: every instance that shares the database signs and verifies alike. */
public final class DatabaseKeyStore implements SigningKeyStore {
  private final Database db;

  public DatabaseKeyStore(Database db) {
    this.db = db;
  }

  @Override
  public List<ECKey> load() {
    return db.read(c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT kid, jwk FROM signing_keys ORDER BY created_at, kid");
           ResultSet rs = s.executeQuery()) {
        List<ECKey> keys = new ArrayList<>();
        while (rs.next()) keys.add(parse(rs.getString("kid"), rs.getString("jwk")));
        return keys;
      }
    });
  }

  @Override
  public void add(ECKey key) {
    db.read(c -> {
      try (PreparedStatement s = c.prepareStatement("INSERT INTO signing_keys (kid, jwk, created_at) VALUES (?, ?, ?)")) {
        s.setString(1, key.getKeyID());
        s.setString(2, key.toJSONString());
        s.setLong(3, key.getIssueTime().getTime());
        return s.executeUpdate();
      }
    });
  }

  @Override
  public void remove(String keyId) {
    db.read(c -> {
      try (PreparedStatement s = c.prepareStatement("DELETE FROM signing_keys WHERE kid = ?")) {
        s.setString(1, keyId);
        return s.executeUpdate();
      }
    });
  }

  private static ECKey parse(String kid, String json) throws SQLException {
    try {
      return ECKey.parse(json);
    } catch (ParseException e) {
      throw new SQLException("signing key " + kid + " is not a valid EC JWK", e);
    }
  }
}
