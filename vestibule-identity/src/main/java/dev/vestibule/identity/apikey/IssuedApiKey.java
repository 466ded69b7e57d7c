package dev.vestibule.identity.apikey;

import java.util.Objects;

/**
 * A key just created or rotated: the only moment its raw form exists outside its holder. Show it once; it cannot
 * be had again.
 */
public record IssuedApiKey(ApiKey key, String rawKey) {
  public IssuedApiKey {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(rawKey, "rawKey");
  }

  @Override
  public String toString() {
    return "IssuedApiKey[key=" + key + ", rawKey=redacted]";
  }
}
