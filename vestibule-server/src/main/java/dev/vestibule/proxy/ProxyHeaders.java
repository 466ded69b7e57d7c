package dev.vestibule.proxy;

import dev.vestibule.guard.ApiKeyGuard;
import dev.vestibule.identity.apikey.ApiKey;
import dev.vestibule.session.SessionCookies;
import dev.vestibule.web.ClientAddress;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/** Which headers cross the gateway, in each direction. */
final class ProxyHeaders {
  // RFC 9110 §7.6.1 and the usual non-standard ones.
  private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
      "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade");
  // Set by the gateway itself, never taken from the client; nor are the other headers through which frameworks let a
  // front proxy rewrite the URL or name the client (X-Original-URL routes a Symfony or IIS upstream elsewhere).
  private static final Set<String> GATEWAY_OWNED = Set.of("host", "authorization", "cookie", "content-length", "expect",
      "x-csrf-token", "forwarded", "x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "x-forwarded-port",
      "x-forwarded-prefix", "x-forwarded-ssl", "x-forwarded-scheme", "x-forwarded-server", "x-original-url",
      "x-original-uri", "x-rewrite-url", "x-real-ip", "true-client-ip", "x-client-ip", "x-cluster-client-ip");

  private ProxyHeaders() {}

  /**
   * The headers for the upstream request.
   *
   * @param ownCookie Vestibule's cookies (and the relay cookie), which are taken out of the Cookie header
   * @param extraCookie a cookie to add (the relayed token), or null
   */
  static MultiMap toUpstream(HttpServerRequest request, ClientAddress clients, Predicate<String> ownCookie,
      String authorization, String extraCookie) {
    MultiMap in = request.headers();
    Set<String> named = connectionTokens(in);
    MultiMap out = HttpHeaders.headers();
    for (Map.Entry<String, String> header : in) {
      String name = header.getKey().toLowerCase(Locale.ROOT);
      if (HOP_BY_HOP.contains(name) || named.contains(name) || GATEWAY_OWNED.contains(name)
          || name.startsWith("x-vestibule-")) {
        continue;
      }
      out.add(header.getKey(), header.getValue());
    }
    String cookies = SessionCookies.stripCookies(String.join("; ", in.getAll("Cookie")), ownCookie);
    if (extraCookie != null) cookies = cookies == null || cookies.isEmpty() ? extraCookie : cookies + "; " + extraCookie;
    if (cookies != null && !cookies.isEmpty()) out.set("Cookie", cookies);
    if (authorization != null) out.set("Authorization", authorization);

    String peer = request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
    boolean trusted = clients.isTrusted(peer);
    String forwardedFor = ClientAddress.forwardedFor(request);
    out.set("X-Forwarded-For", trusted && !forwardedFor.isBlank() ? forwardedFor + ", " + peer : peer);
    String proto = in.get("X-Forwarded-Proto");
    out.set("X-Forwarded-Proto", trusted && proto != null ? proto : request.scheme());
    String host = in.get("X-Forwarded-Host");
    String clientHost = in.get("Host");
    if (trusted && host != null) {
      out.set("X-Forwarded-Host", host);
    } else if (clientHost != null) {
      out.set("X-Forwarded-Host", clientHost);
    }
    return out;
  }

  /**
   * For a request an {@code apiKey} guard accepted: the upstream learns which key and whose it was, never the key.
   */
  static void apiKey(MultiMap upstream, ApiKey key) {
    upstream.remove(ApiKeyGuard.HEADER);
    upstream.set("X-Vestibule-Key-Id", key.tokenId());
    upstream.set("X-Vestibule-User", key.userId());
  }

  /** Copies the upstream's response headers that may reach the client. */
  static void toClient(MultiMap upstream, MultiMap client, Predicate<String> ownCookie) {
    Set<String> named = connectionTokens(upstream);
    for (Map.Entry<String, String> header : upstream) {
      String name = header.getKey().toLowerCase(Locale.ROOT);
      if (HOP_BY_HOP.contains(name) || named.contains(name)) continue;
      if (name.equals("set-cookie") && ownCookie.test(cookieName(header.getValue()))) continue;
      client.add(header.getKey(), header.getValue());
    }
  }

  private static Set<String> connectionTokens(MultiMap headers) {
    Set<String> tokens = new HashSet<>();
    for (String value : headers.getAll("Connection")) {
      for (String token : value.split(",")) {
        String t = token.trim().toLowerCase(Locale.ROOT);
        if (!t.isEmpty()) tokens.add(t);
      }
    }
    return tokens;
  }

  private static String cookieName(String setCookie) {
    int eq = setCookie.indexOf('=');
    return (eq < 0 ? setCookie : setCookie.substring(0, eq)).trim();
  }
}
