package dev.vestibule.config;

/** A configuration problem, reported as one line: the key path, then what is wrong and how to fix it. */
public final class ConfigException extends Exception {

  private final String key;
  private final String problem;

  public ConfigException(String key, String problem) {
    super(key + ": " + problem, null, false, false);
    this.key = key;
    this.problem = problem;
  }

  /** The full key path, like {@code routes[1].upstream}, or {@code (file)} for problems with the file as a whole. */
  public String key() {
    return key;
  }

  /** The message without the key. */
  public String problem() {
    return problem;
  }
}
