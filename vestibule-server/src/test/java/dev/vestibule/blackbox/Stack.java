package dev.vestibule.blackbox;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.vestibule.testing.EchoUpstream;
import dev.vestibule.testing.TestGateway;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What an outside QA team runs: a real SMTP server (GreenMail), an echo upstream API, and the gateway
 * started from a YAML file with the built-in identity on a fresh SQLite file, on a port picked beforehand
 * so that {@code publicUrl} is the address the tests really use. Default limits unless a test sets them.
 */
final class Stack implements AutoCloseable {
  static final String SECRET = "blackbox-session-secret-0123456789-abcdefgh";
  static final String PASSWORD = "correct horse battery staple";

  final GreenMail smtp;
  final EchoUpstream upstream;
  final TestGateway gateway;
  final Mail mail;
  final String base;
  final String yaml;

  private Stack(Builder builder) {
    smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
    smtp.start();
    upstream = new EchoUpstream();
    int port = builder.port > 0 ? builder.port : freePort();
    String scheme = builder.https ? "https" : "http";
    base = "http://127.0.0.1:" + port;
    String publicUrl = scheme + "://127.0.0.1:" + port;
    StringBuilder y = new StringBuilder();
    y.append("listen: 127.0.0.1:").append(port).append('\n');
    y.append("publicUrl: ").append(publicUrl).append('\n');
    y.append("session:\n  secrets: [");
    for (int i = 0; i < builder.secrets.size(); i++) {
      if (i > 0) y.append(", ");
      y.append('"').append(builder.secrets.get(i)).append('"');
    }
    y.append("]\n");
    for (String line : builder.sessionLines) y.append("  ").append(line).append('\n');
    y.append("identity:\n  type: builtin\n");
    y.append("  database: \"jdbc:sqlite:").append(builder.folder.resolve(builder.dbName)).append("\"\n");
    y.append("  clients: [{id: web}, {id: partner, secret: \"partner-secret-0123456789abcdef\"}]\n");
    for (String line : builder.identityLines) y.append("  ").append(line).append('\n');
    y.append("mail:\n  smtp: \"smtp://127.0.0.1:").append(smtp.getSmtp().getPort()).append("\"\n");
    y.append("  from: vestibule@example.org\n");
    y.append("routes:\n");
    y.append("  - path: /api/**\n    upstream: ").append(upstream.url("/v1")).append("\n    auth: required\n");
    for (String privilege : List.of("custom", "demo", "restricted", "protected", "full")) {
      y.append("  - path: /m2m/").append(privilege).append("/**\n    upstream: ").append(upstream.url("/v1"))
          .append("\n    auth: apiKey:").append(privilege).append('\n');
    }
    y.append(builder.sections);
    yaml = y.toString();
    gateway = new TestGateway(yaml);
    mail = new Mail(smtp);
  }

  static Builder in(Path folder) {
    return new Builder(folder);
  }

  static final class Builder {
    private final Path folder;
    private String dbName = "vestibule.db";
    private final List<String> secrets = new ArrayList<>(List.of(SECRET));
    private final List<String> sessionLines = new ArrayList<>();
    private final List<String> identityLines = new ArrayList<>();
    private final StringBuilder sections = new StringBuilder();
    private boolean https;
    private int port;

    private Builder(Path folder) {
      this.folder = folder;
    }

    Builder database(String fileName) {
      dbName = fileName;
      return this;
    }

    Builder secrets(String... values) {
      secrets.clear();
      secrets.addAll(List.of(values));
      return this;
    }

    /** A line under {@code session:}, e.g. {@code sameSite: Strict}. */
    Builder session(String line) {
      sessionLines.add(line);
      return this;
    }

    /** A line under {@code identity:}, e.g. {@code magicLinkTtl: 2s}. */
    Builder identity(String line) {
      identityLines.add(line);
      return this;
    }

    /** A top-level YAML section, e.g. {@code "refresh:\n  grace: 2s\n"}. */
    Builder section(String yaml) {
      sections.append(yaml.endsWith("\n") ? yaml : yaml + "\n");
      return this;
    }

    Builder https() {
      https = true;
      return this;
    }

    Builder port(int value) {
      port = value;
      return this;
    }

    Stack start() {
      return new Stack(this);
    }
  }

  Http browser() {
    return new Http(base);
  }

  int port() {
    return gateway.port();
  }

  private static final AtomicInteger COUNTER = new AtomicInteger();

  /** An address nobody used before. */
  static String freshEmail(String who) {
    return who + "-" + COUNTER.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
  }

  /** A user registered over HTTP; the browser holds its session. */
  record User(String name, String email, String password, Http browser, JsonObject json) {}

  /**
   * Registers a new user as a browser would. SPEC §2 sets a default budget of 5 registrations a minute per
   * client IP, and every test runs from 127.0.0.1: on 429 this waits what {@code Retry-After} says, as a
   * well-behaved client does, and tries once more.
   */
  User register(String name) {
    String email = freshEmail(name.toLowerCase());
    Http browser = browser();
    JsonObject body = new JsonObject().put("name", name).put("email", email).put("password", PASSWORD);
    Http.Answer answer = browser.postJson("/auth/register", body);
    for (int tries = 0; answer.status() == 429 && tries < 2; tries++) {
      waitRetryAfter(answer);
      answer = browser.postJson("/auth/register", body);
    }
    if (answer.status() != 201) throw new AssertionError("register " + email + " -> " + answer);
    return new User(name, email, PASSWORD, browser, answer.json());
  }

  /** A fresh browser logged in as {@code user}. */
  Http login(User user) {
    Http browser = browser();
    Http.Answer answer = browser.postJson("/auth/login",
        new JsonObject().put("email", user.email()).put("password", user.password()));
    if (answer.status() != 200) throw new AssertionError("login " + user.email() + " -> " + answer);
    return browser;
  }

  static void waitRetryAfter(Http.Answer answer) {
    String retryAfter = answer.header("Retry-After");
    long seconds = retryAfter == null ? 60 : Long.parseLong(retryAfter.trim());
    try {
      Thread.sleep(Math.min(seconds, 70) * 1000 + 200);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    gateway.close();
    upstream.close();
    smtp.stop();
  }
}
