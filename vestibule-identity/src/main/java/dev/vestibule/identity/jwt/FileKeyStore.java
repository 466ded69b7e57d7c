package dev.vestibule.identity.jwt;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Signing keys in a JWK set file readable by its owner only. For a single instance; instances that share a
 * database should share {@link DatabaseKeyStore} instead.
 */
public final class FileKeyStore implements SigningKeyStore {
  private final Path file;

  public FileKeyStore(Path file) {
    this.file = file.toAbsolutePath();
  }

  @Override
  public synchronized List<ECKey> load() {
    if (!Files.exists(file)) return List.of();
    try {
      List<ECKey> keys = new ArrayList<>();
      for (JWK jwk : JWKSet.parse(Files.readString(file, StandardCharsets.UTF_8)).getKeys()) {
        if (!(jwk instanceof ECKey ec) || !ec.isPrivate() || ec.getIssueTime() == null) {
          throw new IllegalStateException(file + " holds a key that is not a private EC key with an issue time: " + jwk.getKeyID());
        }
        keys.add(ec);
      }
      return keys;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the signing keys in " + file, e);
    } catch (ParseException e) {
      throw new IllegalStateException(file + " is not a JWK set: " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void add(ECKey key) {
    List<ECKey> keys = new ArrayList<>(load());
    keys.add(key);
    write(keys);
  }

  @Override
  public synchronized void remove(String keyId) {
    List<ECKey> keys = new ArrayList<>(load());
    if (keys.removeIf(k -> k.getKeyID().equals(keyId))) write(keys);
  }

  private void write(List<ECKey> keys) {
    String json = new JWKSet(List.<JWK>copyOf(keys)).toString(false);
    try {
      Files.createDirectories(file.getParent());
      Path temp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.deleteIfExists(temp);
      if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
        Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      }
      Files.writeString(temp, json, StandardCharsets.UTF_8);
      try {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the signing keys to " + file, e);
    }
  }
}
