package dev.vestibule.web;

import dev.vestibule.config.Cidr;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;
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
    String forwarded = request.getHeader("X-Forwarded-For");
    if (forwarded == null || forwarded.isBlank()) return peer;
    String[] hops = forwarded.split(",");
    for (int i = hops.length - 1; i >= 0; i--) {
      String hop = hops[i].trim();
      if (!hop.isEmpty() && !isTrusted(hop)) return hop;
    }
    return peer;
  }

  public boolean isTrusted(String address) {
    if (trustedProxies.isEmpty() || !looksLikeIp(address)) return false;
    try {
      InetAddress ip = InetAddress.getByName(address);
      return trustedProxies.stream().anyMatch(cidr -> cidr.contains(ip));
    } catch (UnknownHostException e) {
      return false;
    }
  }

  // InetAddress.getByName would resolve a host name through DNS; only literal addresses are accepted.
  private static boolean looksLikeIp(String address) {
    return !address.isEmpty() && address.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':');
  }
}
