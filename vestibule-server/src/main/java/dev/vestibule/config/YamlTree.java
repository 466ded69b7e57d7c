package dev.vestibule.config;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads YAML into a plain tree of mappings, lists and scalar texts. Scalars stay text (no YAML 1.1 typing,
 * so {@code 0123} or {@code on} are not reinterpreted); the config readers parse them after substitution.
 */
final class YamlTree {

  static final String FILE_KEY = "(file)";
  private static final int MAX_DEPTH = 32;

  sealed interface Node permits Scalar, Seq, Mapping {
    String kind();
  }

  /** {@code text} is null for a YAML null ({@code ~}, {@code null} or nothing). */
  record Scalar(String text) implements Node {
    public String kind() {
      return "a single value";
    }
  }

  record Seq(List<Node> items) implements Node {
    public String kind() {
      return "a list";
    }
  }

  record Mapping(Map<String, Node> entries) implements Node {
    public String kind() {
      return "a mapping";
    }
  }

  private YamlTree() {
  }

  /** The document's root, or null for an empty document. */
  static Node read(String yaml) throws ConfigException {
    org.yaml.snakeyaml.nodes.Node root;
    try {
      root = new Yaml(new SafeConstructor(new LoaderOptions())).compose(new StringReader(yaml));
    } catch (MarkedYAMLException e) {
      // Only the problem and position: the snippet snakeyaml quotes could contain a secret.
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      String where = mark == null ? "" : " at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
      throw new ConfigException(FILE_KEY, "YAML syntax error" + where + ": " + problem(e)
          + "; check the indentation and quote values that contain ': ', '#', '[' or '{'");
    } catch (YAMLException e) {
      throw new ConfigException(FILE_KEY, "YAML cannot be read (" + e.getClass().getSimpleName()
          + "); check the file is valid YAML");
    }
    return root == null ? null : convert(root, FILE_KEY, Collections.newSetFromMap(new IdentityHashMap<>()));
  }

  private static String problem(MarkedYAMLException e) {
    String problem = String.valueOf(e.getProblem());
    // This one quotes the rest of the value after '*', which may be a secret that was not quoted.
    if (problem.startsWith("found undefined alias")) {
      return "a value starts with * but is not an alias to an &anchor; put values that start with * in quotes";
    }
    return problem;
  }

  /** {@code open} holds the collections being converted, to catch an alias that refers to its own ancestor. */
  private static Node convert(org.yaml.snakeyaml.nodes.Node node, String path, Set<org.yaml.snakeyaml.nodes.Node> open)
      throws ConfigException {
    if (node instanceof ScalarNode s) {
      return new Scalar(Tag.NULL.equals(s.getTag()) ? null : s.getValue());
    }
    if (open.size() > MAX_DEPTH) {
      throw new ConfigException(path, "is nested too deeply; simplify this value");
    }
    if (!open.add(node)) {
      throw new ConfigException(path, "contains itself through an alias (*name); remove the recursive alias");
    }
    Node converted = convertCollection(node, path, open);
    open.remove(node);
    return converted;
  }

  private static Node convertCollection(org.yaml.snakeyaml.nodes.Node node, String path,
      Set<org.yaml.snakeyaml.nodes.Node> open) throws ConfigException {
    if (node instanceof SequenceNode seq) {
      List<Node> items = new ArrayList<>();
      for (org.yaml.snakeyaml.nodes.Node item : seq.getValue()) {
        items.add(convert(item, path + "[" + items.size() + "]", open));
      }
      return new Seq(Collections.unmodifiableList(items));
    }
    MappingNode mapping = (MappingNode) node;
    Map<String, Node> entries = new LinkedHashMap<>();
    for (NodeTuple tuple : mapping.getValue()) {
      if (!(tuple.getKeyNode() instanceof ScalarNode keyNode) || Tag.NULL.equals(keyNode.getTag())) {
        throw new ConfigException(path, "has a key that is not a plain name; keys are words like listen or session");
      }
      String key = keyNode.getValue();
      String childPath = FILE_KEY.equals(path) ? key : path + "." + key;
      if (entries.containsKey(key)) {
        throw new ConfigException(childPath, "appears twice; keep only one");
      }
      entries.put(key, convert(tuple.getValueNode(), childPath, open));
    }
    return new Mapping(Collections.unmodifiableMap(entries));
  }
}
