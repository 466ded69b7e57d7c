package dev.vestibule.config;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** A mapping in the config at a known key path; hands out its entries as {@link Value}s. */
final class Section {

  private final String path;
  private final Map<String, YamlTree.Node> entries;
  private final Map<String, String> env;

  Section(String path, Map<String, YamlTree.Node> entries, Map<String, String> env) {
    this.path = path;
    this.entries = entries;
    this.env = env;
  }

  String path() {
    return path;
  }

  String key(String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  Set<String> keys() {
    return entries.keySet();
  }

  /** The entry, or an absent value when the key is not there. */
  Value get(String name) {
    return new Value(key(name), entries.get(name), env);
  }

  /** Rejects any key not in {@code allowed}, suggesting the closest one. */
  void allowOnly(List<String> allowed) throws ConfigException {
    for (String name : entries.keySet()) {
      if (!allowed.contains(name)) {
        throw Keys.unknown(key(name), name, allowed);
      }
    }
  }
}
