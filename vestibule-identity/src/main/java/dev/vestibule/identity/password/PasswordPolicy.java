package dev.vestibule.identity.password;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Which new passwords are accepted: at least 12 characters, and none of the commonly used ones. */
public final class PasswordPolicy {
  public static final int MIN_LENGTH = 12;
  // Far above anything typed; only keeps absurd input out of the hasher.
  public static final int MAX_LENGTH = 1024;
  private static final String COMMON_LIST = "common-passwords.txt";

  private final Set<String> common;

  private PasswordPolicy(Set<String> common) {
    this.common = Set.copyOf(common);
  }

  /** The policy with the common-password list shipped in this module. */
  public static PasswordPolicy standard() {
    try (InputStream in = PasswordPolicy.class.getResourceAsStream(COMMON_LIST)) {
      if (in == null) throw new IllegalStateException(COMMON_LIST + " is missing from the class path");
      Set<String> words = new HashSet<>();
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line; (line = reader.readLine()) != null; ) {
        String word = line.strip();
        if (!word.isEmpty() && !word.startsWith("#")) words.add(word.toLowerCase(Locale.ROOT));
      }
      return new PasswordPolicy(words);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Why {@code password} is refused, as a sentence for the user; empty when it is accepted. */
  public Optional<String> problem(String password) {
    if (password == null || password.isEmpty()) return Optional.of("Enter a password.");
    int length = password.codePointCount(0, password.length());
    if (length < MIN_LENGTH) return Optional.of("Use at least " + MIN_LENGTH + " characters.");
    if (length > MAX_LENGTH) return Optional.of("Use at most " + MAX_LENGTH + " characters.");
    if (common.contains(password.toLowerCase(Locale.ROOT))) {
      return Optional.of("This password is too common; choose one that is harder to guess.");
    }
    return Optional.empty();
  }

  /** Entries in the common-password list. */
  public int commonPasswords() {
    return common.size();
  }
}
