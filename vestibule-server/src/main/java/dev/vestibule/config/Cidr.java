package dev.vestibule.config;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Objects;

/**
 * An IPv4 or IPv6 network, written {@code 10.0.0.0/8} or {@code fd00::/8}; a bare address means a single
 * host ({@code /32} or {@code /128}). The network bytes are copied in and out, so instances are immutable.
 */
public record Cidr(byte[] network, int prefixLength) {

  private static final String HINT = "write an address or network like 10.0.0.0/8, 192.168.1.10 or fd00::/8";

  public Cidr {
    Objects.requireNonNull(network, "network");
    if (network.length != 4 && network.length != 16) {
      throw new IllegalArgumentException("network must have 4 or 16 bytes");
    }
    if (prefixLength < 0 || prefixLength > network.length * 8) {
      throw new IllegalArgumentException("prefix length out of range: " + prefixLength);
    }
    network = mask(network.clone(), prefixLength);
  }

  @Override
  public byte[] network() {
    return network.clone();
  }

  public static Cidr parse(String key, String text) throws ConfigException {
    String t = text == null ? "" : text.strip();
    int slash = t.indexOf('/');
    String addressText = slash < 0 ? t : t.substring(0, slash);
    byte[] address = parseAddress(addressText);
    if (address == null) {
      throw new ConfigException(key, "'" + t + "' is not an IP address or network; " + HINT);
    }
    int bits = address.length * 8;
    int prefix = bits;
    if (slash >= 0) {
      String p = t.substring(slash + 1);
      if (!p.matches("\\d{1,3}") || Integer.parseInt(p) > bits) {
        throw new ConfigException(key, "'" + t + "' has a bad prefix length; use 0 to " + bits + " after the '/'");
      }
      prefix = Integer.parseInt(p);
    }
    Cidr cidr = new Cidr(address, prefix);
    if (!Arrays.equals(cidr.network, address)) {
      throw new ConfigException(key, "'" + t + "' has bits set after the prefix; did you mean " + cidr + "?");
    }
    return cidr;
  }

  public boolean contains(InetAddress a) {
    byte[] candidate = a.getAddress();
    byte[] net = network;
    int prefix = prefixLength;
    if (candidate.length != net.length) {
      // Compare an IPv4 address with an IPv6 network (or the reverse) in the IPv4-mapped form ::ffff:a.b.c.d.
      if (net.length == 4) {
        net = mapped(net);
        prefix += 96;
      } else {
        candidate = mapped(candidate);
      }
    }
    return Arrays.equals(mask(candidate, prefix), net);
  }

  private static byte[] parseAddress(String s) {
    if (s.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
      byte[] out = new byte[4];
      String[] parts = s.split("\\.");
      for (int i = 0; i < 4; i++) {
        int v = Integer.parseInt(parts[i]);
        if (v > 255) {
          return null;
        }
        out[i] = (byte) v;
      }
      return out;
    }
    // Only hex digits, ':' and '.' reach InetAddress, so it parses a literal and never resolves a name.
    if (s.indexOf(':') < 0 || !s.matches("[0-9A-Fa-f:][0-9A-Fa-f:.]*")) {
      return null;
    }
    try {
      InetAddress parsed = InetAddress.getByName(s);
      return parsed instanceof Inet4Address ? mapped(parsed.getAddress()) : parsed.getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }

  private static byte[] mapped(byte[] v4) {
    byte[] out = new byte[16];
    out[10] = (byte) 0xff;
    out[11] = (byte) 0xff;
    System.arraycopy(v4, 0, out, 12, 4);
    return out;
  }

  private static byte[] mask(byte[] bytes, int prefix) {
    byte[] out = bytes.clone();
    for (int i = 0; i < out.length; i++) {
      int keep = Math.max(0, Math.min(8, prefix - i * 8));
      out[i] &= (byte) (0xff << (8 - keep));
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cidr c && c.prefixLength == prefixLength && Arrays.equals(c.network, network);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(network) + prefixLength;
  }

  @Override
  public String toString() {
    try {
      InetAddress a = InetAddress.getByAddress(network);
      // Java turns an IPv4-mapped IPv6 address into an Inet4Address; keep the IPv6 spelling.
      String host = network.length == 16 && a instanceof Inet4Address ? "::ffff:" + a.getHostAddress() : a.getHostAddress();
      return host + "/" + prefixLength;
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
