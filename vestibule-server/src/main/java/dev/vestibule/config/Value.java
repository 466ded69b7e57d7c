package dev.vestibule.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One config value at a known key path, possibly absent. Text is env-substituted on access; a value that
 * is absent, YAML null or empty after substitution counts as not set.
 */
final class Value {

  private final String key;
  private final YamlTree.Node node;
  private final Map<String, String> env;

  Value(String key, YamlTree.Node node, Map<String, String> env) {
    this.key = key;
    this.node = node;
    this.env = env;
  }

  String key() {
    return key;
  }

  /** True when the key is present with something other than YAML null (an empty string still counts here). */
  boolean present() {
    return node != null && !(node instanceof YamlTree.Scalar s && s.text() == null);
  }

  /** The substituted text, empty when not set. */
  Optional<String> text() throws ConfigException {
    if (!present()) {
      return Optional.empty();
    }
    if (!(node instanceof YamlTree.Scalar scalar)) {
      throw wrongType("a single value");
    }
    String text = EnvSubstitution.apply(key, scalar.text(), env);
    return text.isEmpty() ? Optional.empty() : Optional.of(text);
  }

  /** The substituted text, exactly as it is (empty allowed); for list items that must not vanish. */
  String rawText() throws ConfigException {
    if (!present()) {
      return "";
    }
    if (!(node instanceof YamlTree.Scalar scalar)) {
      throw wrongType("a single value");
    }
    return EnvSubstitution.apply(key, scalar.text(), env);
  }

  String text(String fallback) throws ConfigException {
    return text().orElse(fallback);
  }

  String required(String hint) throws ConfigException {
    return text().orElseThrow(() -> new ConfigException(key, "missing; " + hint));
  }

  Optional<Section> section() throws ConfigException {
    if (!present()) {
      return Optional.empty();
    }
    if (!(node instanceof YamlTree.Mapping mapping)) {
      throw wrongType("a mapping (indented key: value lines)");
    }
    return Optional.of(new Section(key, mapping.entries(), env));
  }

  /** The section, or an empty one when not set, so defaults apply. */
  Section sectionOrEmpty() throws ConfigException {
    return section().orElseGet(() -> new Section(key, Map.of(), env));
  }

  Optional<List<Value>> list() throws ConfigException {
    if (!present()) {
      return Optional.empty();
    }
    if (!(node instanceof YamlTree.Seq seq)) {
      throw wrongType("a list (like [a, b] or lines starting with '- ')");
    }
    List<Value> items = new ArrayList<>();
    for (YamlTree.Node item : seq.items()) {
      items.add(new Value(key + "[" + items.size() + "]", item, env));
    }
    return Optional.of(items);
  }

  Duration duration(Duration fallback) throws ConfigException {
    Optional<String> t = text();
    return t.isEmpty() ? fallback : Durations.parse(key, t.get());
  }

  Duration positiveDuration(Duration fallback) throws ConfigException {
    Duration d = duration(fallback);
    if (d.isZero()) {
      throw new ConfigException(key, "must be longer than 0; write it like 30s");
    }
    return d;
  }

  boolean bool(boolean fallback) throws ConfigException {
    Optional<String> t = text();
    if (t.isEmpty()) {
      return fallback;
    }
    return switch (t.get().strip().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new ConfigException(key, "'" + t.get() + "' is not a boolean; write true or false");
    };
  }

  /** One of the enum's constants, written in any case. */
  <E extends Enum<E>> E choice(Class<E> type, E fallback) throws ConfigException {
    Optional<String> t = text();
    if (t.isEmpty()) {
      return fallback;
    }
    String word = t.get().strip();
    for (E constant : type.getEnumConstants()) {
      if (constant.name().equalsIgnoreCase(word)) {
        return constant;
      }
    }
    String allowed = Arrays.stream(type.getEnumConstants())
        .map(c -> c.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "));
    throw new ConfigException(key, "'" + word + "' is not one of " + allowed);
  }

  ConfigException wrongType(String expected) {
    return new ConfigException(key, "expected " + expected + ", got " + node.kind());
  }
}
