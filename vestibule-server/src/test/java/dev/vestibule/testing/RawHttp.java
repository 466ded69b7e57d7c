package dev.vestibule.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Sends bytes exactly as written, for request targets and headers no HTTP client would send. */
public final class RawHttp {
  private RawHttp() {}

  /** Sends {@code request} and returns the status code of the answer. */
  public static int status(int port, String request) {
    String response = exchange(port, request);
    String[] statusLine = response.split("\r\n", 2)[0].split(" ");
    return statusLine.length > 1 ? Integer.parseInt(statusLine[1]) : -1;
  }

  public static String exchange(int port, String request) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream received = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      int n;
      while ((n = in.read(buffer)) > 0) {
        received.write(buffer, 0, n);
        if (received.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) break;
      }
      return received.toString(StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Writes {@code parts} one after the other, {@code pauseMillis} apart, and returns everything the server
   * answers until it closes the connection (send {@code Connection: close}).
   */
  public static String exchangeInParts(int port, long pauseMillis, String... parts) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      for (int i = 0; i < parts.length; i++) {
        if (i > 0) Thread.sleep(pauseMillis);
        out.write(parts[i].getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
      }
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The body of a complete answer read by {@link #exchangeInParts}: after the last head, past any 1xx. */
  public static String body(String response) {
    String rest = response;
    while (rest.startsWith("HTTP/1.1 1")) rest = rest.substring(rest.indexOf("\r\n\r\n") + 4);
    return rest.substring(rest.indexOf("\r\n\r\n") + 4);
  }
}
