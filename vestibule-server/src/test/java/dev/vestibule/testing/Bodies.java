package dev.vestibule.testing;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/** Request bodies for tests: printable text of a given size, and bodies sent chunked and slowly. */
public final class Bodies {
  private Bodies() {}

  /** {@code bytes} printable ASCII characters, the same for the same seed. */
  public static String text(int bytes, long seed) {
    Random random = new Random(seed);
    StringBuilder out = new StringBuilder(bytes);
    while (out.length() < bytes) out.append((char) ('!' + random.nextInt(90)));
    return out.toString();
  }

  /** A body of unknown length, so the client sends it chunked; {@code pauseMillis} between its two halves. */
  public static HttpRequest.BodyPublisher chunked(String body, long pauseMillis) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    int half = bytes.length / 2;
    return HttpRequest.BodyPublishers.ofInputStream(() -> new SequenceInputStream(
        new ByteArrayInputStream(bytes, 0, half),
        new InputStream() {
          private ByteArrayInputStream rest;

          @Override
          public int read() {
            if (rest == null) {
              try {
                Thread.sleep(pauseMillis);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              rest = new ByteArrayInputStream(bytes, half, bytes.length - half);
            }
            return rest.read();
          }
        }));
  }
}
