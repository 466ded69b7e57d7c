package dev.vestibule.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The Redis the cluster tests share (127.0.0.1:6379), each test under a key prefix of its own, or a redis-server of a
 * test's own on a free port, to stop while a gateway uses it.
 *
 * <p>An unreachable Redis fails the tests, so that CI cannot pass by skipping them, unless
 * {@code VESTIBULE_SKIP_REDIS=1}, which skips them with a loud message instead.
 */
public final class TestRedis {
  public static final String SKIP_VARIABLE = "VESTIBULE_SKIP_REDIS";
  /** The shared Redis as host:port; {@code -Dvestibule.test.redis=HOST:PORT} points the tests at another one. */
  private static final String SHARED = System.getProperty("vestibule.test.redis", "127.0.0.1:6379");
  private static final Path SERVER = Path.of("/usr/bin/redis-server");

  private TestRedis() {}

  /** A URL of the shared Redis with a fresh key prefix: gateways given the same URL form one cluster. */
  public static String cluster() {
    require(() -> reachable(SHARED), "Redis is not running on " + SHARED + ". Start it (CI: .ci/run starts it):"
        + " redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save \"\" --appendonly no");
    return "redis://" + SHARED + "?prefix=test-" + UUID.randomUUID();
  }

  /** A redis-server process of this test's own, on a free port. */
  public static Own own() {
    require(() -> Files.isExecutable(SERVER), SERVER + " is missing: install Redis (apt-get install redis-server)");
    return new Own(freePort());
  }

  /** A redis-server this test starts and stops. */
  public static final class Own implements AutoCloseable {
    private final int port;
    private Process process;

    private Own(int port) {
      this.port = port;
      start();
    }

    public String url() {
      return "redis://127.0.0.1:" + port;
    }

    public void start() {
      try {
        process = new ProcessBuilder(SERVER.toString(), "--bind", "127.0.0.1", "--port", Integer.toString(port),
            "--save", "", "--appendonly", "no").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!reachable("127.0.0.1:" + port)) {
        if (System.nanoTime() > deadline) throw new IllegalStateException("redis-server did not start on port " + port);
        sleep(20);
      }
    }

    /** Kills the server at once, as a crash would. */
    public void kill() {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public void close() {
      if (process != null && process.isAlive()) kill();
    }
  }

  private interface Check {
    boolean ok() throws Exception;
  }

  private static void require(Check check, String message) {
    boolean ok;
    try {
      ok = check.ok();
    } catch (Exception e) {
      ok = false;
    }
    if (ok) return;
    String full = message + "; or set " + SKIP_VARIABLE + "=1 to skip the Redis tests knowingly.";
    if ("1".equals(System.getenv(SKIP_VARIABLE))) {
      System.err.println("\n!!!!!!!!!! SKIPPING REDIS TESTS (" + SKIP_VARIABLE + "=1) !!!!!!!!!!\n" + full + "\n");
      Assumptions.abort(SKIP_VARIABLE + "=1: " + full);
    }
    throw new AssertionError("\n!!!!!!!!!! REDIS UNAVAILABLE !!!!!!!!!!\n" + full);
  }

  private static boolean reachable(String hostAndPort) {
    int colon = hostAndPort.lastIndexOf(':');
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(hostAndPort.substring(0, colon),
          Integer.parseInt(hostAndPort.substring(colon + 1))), 300);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
