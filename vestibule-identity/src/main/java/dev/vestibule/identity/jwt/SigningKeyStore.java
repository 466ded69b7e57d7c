package dev.vestibule.identity.jwt;

import com.nimbusds.jose.jwk.ECKey;
import java.util.List;

/** Where the private signing keys live between restarts, as JWKs whose issue time says which is newest. */
public interface SigningKeyStore {
  /** Every stored key, private parts included. */
  List<ECKey> load();

  void add(ECKey key);

  void remove(String keyId);
}
