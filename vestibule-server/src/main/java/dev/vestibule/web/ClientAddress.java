package dev.vestibule.web;

import dev.vestibule.config.Cidr;
import io.vertx.core.http.HttpServerRequest;
import io.netty.util.NetUtil;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.util.List;

/**
 * The client's IP address: the peer's, unless the peer is a trusted proxy, in which case the right-most
 * address in X-Forwarded-For that is not itself a trusted proxy.
 */
public final class ClientAddress {
  private final List<Cidr> trustedProxies;

  public ClientAddress(List<Cidr> trustedProxies) {
    this.trustedProxies = List.copyOf(trustedProxies);
  }

  public String of(HttpServerRequest request) {
    SocketAddress remote = request.remoteAddress();
    String peer = remote == null || remote.hostAddress() == null ? "unknown" : remote.hostAddress();
    if (!isTrusted(peer)) return peer;
    String forwarded = forwardedFor(request);
    if (forwarded.isBlank()) return peer;
    String[] hops = forwarded.split(",");
    for (int i = hops.length - 1; i >= 0; i--) {
      String hop = hops[i].trim();
      if (!hop.isEmpty() && !isTrusted(hop)) return hop;
    }
    return peer;
  }

  /**
   * What a per-address rate limit counts the request under: its client's address, or for IPv6 the client's /64
   * network, as one host usually holds a whole /64 and could otherwise take a fresh budget with every address.
   */
  public String limitKey(HttpServerRequest request) {
    return limitKey(of(request));
  }

  public static String limitKey(String address) {
    if (address.indexOf(':') < 0) return address;
    byte[] bytes = NetUtil.createByteArrayFromIpAddressString(address);
    if (bytes == null || bytes.length != 16) return address;
    if (isIpv4Mapped(bytes)) {
      return (bytes[12] & 0xff) + "." + (bytes[13] & 0xff) + "." + (bytes[14] & 0xff) + "." + (bytes[15] & 0xff);
    }
    StringBuilder network = new StringBuilder();
    for (int i = 0; i < 8; i += 2) {
      network.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff))).append(':');
    }
    return network.append(":/64").toString();
  }

  // ::ffff:a.b.c.d, as dual-stack listeners and some proxies write IPv4 clients: one client each, not one /64.
  private static boolean isIpv4Mapped(byte[] bytes) {
    for (int i = 0; i < 10; i++) {
      if (bytes[i] != 0) return false;
    }
    return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
  }

  /**
   * Every X-Forwarded-For line as one list: a proxy may add its own line rather than extend the client's, and the
   * first line alone would then be the client's word.
   */
  public static String forwardedFor(HttpServerRequest request) {
    return String.join(",", request.headers().getAll("X-Forwarded-For"));
  }

  public boolean isTrusted(String address) {
    if (trustedProxies.isEmpty()) return false;
    // A literal address only: a host name would be looked up through DNS, on the event loop.
    InetAddress ip = NetUtil.createInetAddressFromIpAddressString(address);
    return ip != null && trustedProxies.stream().anyMatch(cidr -> cidr.contains(ip));
  }
}
