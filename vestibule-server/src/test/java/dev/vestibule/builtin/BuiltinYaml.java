package dev.vestibule.builtin;

import dev.vestibule.testing.TestGateway;
import java.util.ArrayList;
import java.util.List;

/**
 * A gateway config with the built-in identity, built up per test:
 * {@code new BuiltinYaml(db.url()).identity("accessTokenTtl: 30s").section("refresh:\n  grace: 1s")}.
 * Rate limits are generous unless a test sets them, since every test request comes from 127.0.0.1.
 */
final class BuiltinYaml {
  static final String WEB = "web";
  static final String GW2 = "gw2";
  static final String GW2_SECRET = "gw2-client-secret-0123456789";

  private final String database;
  private String publicUrl = "http://localhost:8080";
  private String limits = "{login: 1000/1m, register: 1000/1m, codes: 1000/1m}";
  private String mail = "{smtp: log, from: vestibule@example.org}";
  private final List<String> identityLines = new ArrayList<>();
  private final StringBuilder sections = new StringBuilder();

  BuiltinYaml(String database) {
    this.database = database;
  }

  BuiltinYaml publicUrl(String url) {
    publicUrl = url;
    return this;
  }

  /** A line under {@code identity:}, like {@code accessTokenTtl: 30s}. */
  BuiltinYaml identity(String line) {
    identityLines.add(line);
    return this;
  }

  /** The {@code limits:} section as a YAML flow map, like {@code {register: 2/1m}}. */
  BuiltinYaml limits(String flowMap) {
    limits = flowMap;
    return this;
  }

  BuiltinYaml smtp(int port) {
    mail = "{smtp: \"smtp://127.0.0.1:" + port + "\", from: vestibule@example.org}";
    return this;
  }

  /** A top-level section, written as YAML (e.g. {@code "refresh:\n  grace: 1s\n"}). */
  BuiltinYaml section(String yaml) {
    sections.append(yaml.endsWith("\n") ? yaml : yaml + "\n");
    return this;
  }

  String build() {
    StringBuilder yaml = new StringBuilder("""
        listen: 127.0.0.1:0
        publicUrl: %s
        session:
          secrets: ["%s"]
        identity:
          type: builtin
          database: "%s"
          clients: [{id: %s}, {id: %s, secret: "%s"}]
        """.formatted(publicUrl, TestGateway.SECRET, database, WEB, GW2, GW2_SECRET));
    for (String line : identityLines) yaml.append("  ").append(line).append('\n');
    yaml.append("limits: ").append(limits).append('\n');
    yaml.append("mail: ").append(mail).append('\n');
    yaml.append(sections);
    return yaml.toString();
  }

  TestGateway start() {
    return new TestGateway(build());
  }
}
