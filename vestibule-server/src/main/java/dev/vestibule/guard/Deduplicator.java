package dev.vestibule.guard;

import dev.vestibule.session.Session;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Runs concurrent identical requests of one session once. Its own key space: never shared with the
 * refresh single-flight, whose keys are refresh tokens.
 */
final class Deduplicator {
  record Shared(Reply reply, Session session) {}

  private final ConcurrentHashMap<String, Future<Shared>> running = new ConcurrentHashMap<>();

  /** The running execution for this key, or {@code work} started as the one everyone shares. */
  Future<Shared> run(String key, Supplier<Future<Shared>> work, Runnable onJoined) {
    Promise<Shared> leader = Promise.promise();
    Future<Shared> existing = running.putIfAbsent(key, leader.future());
    if (existing != null) {
      onJoined.run();
      return existing;
    }
    Future<Shared> result;
    try {
      result = work.get();
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result.onComplete(ar -> {
      // Forget the key first: a request arriving after this answer runs anew.
      running.remove(key, leader.future());
      leader.handle(ar);
    });
    return leader.future();
  }

  static String key(String sessionId, String method, String uri, Buffer body) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (String part : new String[] {sessionId, method, uri}) {
        digest.update(part.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        digest.update((byte) 0);
      }
      if (body != null) digest.update(body.getBytes());
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  int size() {
    return running.size();
  }
}
