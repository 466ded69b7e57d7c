package dev.vestibule.server;

import dev.vestibule.config.ConfigException;
import dev.vestibule.config.ConfigLoader;
import dev.vestibule.config.VestibuleConfig;
import dev.vestibule.demo.EmbeddedDefault;
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
    Logger log = LoggerFactory.getLogger("vestibule");
    Runnable stop;
    try {
      if (isEmbedded(args)) {
        Path data = Path.of(option(args, "--data", "data"));
        String listen = option(args, "--listen", "127.0.0.1:8080");
        EmbeddedDefault embedded = EmbeddedDefault.start(data, listen, Clock.systemUTC());
        log.info("Vestibule {} embedded default (built-in identity, demo API and pages, state in {}); open http://{}",
            version(), data.toAbsolutePath(), listen.replace("127.0.0.1", "localhost"));
        stop = () -> embedded.stop().await();
      } else {
        VestibuleConfig config = load(args);
        Gateway gateway = start(config);
        log.info("Vestibule {} listening on http://{}:{}; open {}", version(), config.listen().host(), gateway.port(),
            config.publicUrl());
        stop = () -> gateway.stop().await();
      }
    } catch (ConfigException e) {
      err.println("vestibule: config error: " + e.getMessage());
      return BAD_CONFIG;
    } catch (StartFailure e) {
      err.println("vestibule: " + e.getMessage());
      return FAILED;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stop.run();
      stopped.countDown();
    }, "vestibule-shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return OK;
  }

  private static Gateway start(VestibuleConfig config) throws ConfigException {
    try {
      return Gateway.start(config, Clock.systemUTC()).await();
    } catch (ConfigException | StartFailure e) {
      throw e;
    } catch (Exception e) {
      throw new StartFailure("cannot listen on " + config.listen().host() + ":" + config.listen().port() + ": "
          + e.getMessage() + " (is another process using the port? change 'listen' in the config)");
    }
  }

  private static final class StartFailure extends RuntimeException {
    StartFailure(String message) {
      super(message, null, false, false);
    }
  }

  private static boolean isEmbedded(String[] args) {
    for (String arg : args) {
      if (arg.equals("--config") || arg.startsWith("--config=")) return false;
    }
    return true;
  }

  private static String option(String[] args, String name, String fallback) throws ConfigException {
    for (int i = 1; i < args.length; i++) {
      if (args[i].equals(name) && i + 1 < args.length) return args[i + 1];
      if (args[i].startsWith(name + "=")) return args[i].substring(name.length() + 1);
      if (!args[i].equals("--data") && !args[i].equals("--listen") && !args[i - 1].equals("--data")
          && !args[i - 1].equals("--listen") && !args[i].startsWith("--data=") && !args[i].startsWith("--listen=")) {
        throw new ConfigException("(command line)", "unknown argument '" + args[i] + "'; use --config FILE, or"
            + " --data DIR and --listen HOST:PORT for the embedded default");
      }
    }
    return fallback;
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
    if (file == null) throw new ConfigException("--config", "no config file given; pass --config FILE");
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
          serve [--config FILE]   run the gateway (FILE: YAML, see README); without a config, the
                                  embedded default (built-in identity, demo API and pages, state in
                                  ./data; --data DIR and --listen HOST:PORT change those)
          check --config FILE     validate a config file and exit
          secret                  print a fresh random session secret
          version                 print the version
        """;
  }
}
