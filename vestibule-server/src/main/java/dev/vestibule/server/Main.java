package dev.vestibule.server;

import dev.vestibule.config.ConfigException;
import dev.vestibule.config.ConfigLoader;
import dev.vestibule.config.VestibuleConfig;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The command line: {@code serve}, {@code secret}, {@code check}, {@code version}, {@code help}. */
public final class Main {
  static final int OK = 0;
  static final int FAILED = 1;
  static final int BAD_CONFIG = 2;

  private Main() {}

  public static void main(String[] args) {
    int code = run(args, System.out, System.err);
    if (code != OK) System.exit(code);
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    String command = args.length == 0 ? "help" : args[0];
    return switch (command) {
      case "serve" -> serve(args, err);
      case "check" -> check(args, out, err);
      case "secret" -> {
        out.println(newSecret());
        yield OK;
      }
      case "version", "--version" -> {
        out.println("vestibule " + version());
        yield OK;
      }
      case "help", "--help", "-h" -> {
        out.print(usage());
        yield OK;
      }
      default -> {
        err.println("vestibule: unknown command '" + command + "'");
        err.print(usage());
        yield BAD_CONFIG;
      }
    };
  }

  private static int serve(String[] args, PrintStream err) {
    VestibuleConfig config;
    try {
      config = load(args);
    } catch (ConfigException e) {
      err.println("vestibule: config error: " + e.getMessage());
      return BAD_CONFIG;
    }
    Logger log = LoggerFactory.getLogger("vestibule");
    Gateway gateway;
    try {
      gateway = Gateway.start(config, Clock.systemUTC()).await();
    } catch (ConfigException e) {
      err.println("vestibule: config error: " + e.getMessage());
      return BAD_CONFIG;
    } catch (Exception e) {
      err.println("vestibule: cannot listen on " + config.listen().host() + ":" + config.listen().port() + ": "
          + e.getMessage() + " (is another process using the port? change 'listen' in the config)");
      return FAILED;
    }
    log.info("Vestibule {} listening on http://{}:{}; open {}", version(), config.listen().host(), gateway.port(),
        config.publicUrl());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      gateway.stop().toCompletionStage().toCompletableFuture().join();
      stopped.countDown();
    }, "vestibule-shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return OK;
  }

  private static int check(String[] args, PrintStream out, PrintStream err) {
    try {
      VestibuleConfig config = load(args);
      out.println("config OK: " + config.routes().size() + " route(s), identity " + config.identity().type().name().toLowerCase());
      return OK;
    } catch (ConfigException e) {
      err.println("vestibule: config error: " + e.getMessage());
      return BAD_CONFIG;
    }
  }

  private static VestibuleConfig load(String[] args) throws ConfigException {
    Path file = null;
    for (int i = 1; i < args.length; i++) {
      if (args[i].equals("--config") && i + 1 < args.length) {
        file = Path.of(args[++i]);
      } else if (args[i].startsWith("--config=")) {
        file = Path.of(args[i].substring("--config=".length()));
      } else {
        throw new ConfigException("(command line)", "unknown argument '" + args[i] + "'; use --config FILE");
      }
    }
    if (file == null) {
      throw new ConfigException("--config", "no config file given, and the embedded default (built-in identity) is not"
          + " in this build yet; write a YAML config with identity.type: oauth2 (see README) and run"
          + " ./vestibule serve --config vestibule.yaml");
    }
    if (!Files.isRegularFile(file)) {
      throw new ConfigException("--config", "no such file: " + file + "; pass the path of your YAML config");
    }
    return ConfigLoader.load(file, System.getenv());
  }

  static String newSecret() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static String version() {
    String version = Main.class.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }

  private static String usage() {
    return """
        usage: vestibule <command>
          serve [--config FILE]   run the gateway (FILE: YAML, see README)
          check --config FILE     validate a config file and exit
          secret                  print a fresh random session secret
          version                 print the version
        """;
  }
}
