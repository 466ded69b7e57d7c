package dev.vestibule.identity.apikey;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The IPv4 addresses an API key may be used from: one address ({@code 203.0.113.7}) or a network
 * ({@code 10.0.0.0/8}).
 */
public record Ipv4Range(int network, int prefixLength) {
  private static final Pattern QUAD = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
  private static final String MAPPED = "::ffff:";

  public Ipv4Range {
    if (prefixLength < 0 || prefixLength > 32) throw new IllegalArgumentException("prefix length out of range: " + prefixLength);
    network &= mask(prefixLength);
  }

  /**
   * Reads {@code a.b.c.d} or {@code a.b.c.d/n}.
   *
   * @throws IllegalArgumentException with a sentence for the user when {@code text} is neither, or has host bits
   *     set after the prefix
   */
  public static Ipv4Range parse(String text) {
    String t = text == null ? "" : text.strip();
    int slash = t.indexOf('/');
    Optional<Integer> address = address(slash < 0 ? t : t.substring(0, slash));
    if (address.isEmpty()) {
      throw new IllegalArgumentException("Give an IPv4 address like 203.0.113.7 or a network like 10.0.0.0/8.");
    }
    int prefix = 32;
    if (slash >= 0) {
      String bits = t.substring(slash + 1);
      if (!bits.matches("\\d{1,2}") || Integer.parseInt(bits) > 32) {
        throw new IllegalArgumentException("Use a prefix length from 0 to 32 after the '/'.");
      }
      prefix = Integer.parseInt(bits);
    }
    Ipv4Range range = new Ipv4Range(address.get(), prefix);
    if (range.network != address.get()) {
      throw new IllegalArgumentException("'" + t + "' has bits set after the prefix; did you mean " + range + "?");
    }
    return range;
  }

  /**
   * Whether {@code address} (as the gateway saw the client: dotted IPv4, or IPv4-mapped IPv6 like
   * {@code ::ffff:10.1.2.3}) is in this range. Anything else, IPv6 included, is not.
   */
  public boolean contains(String address) {
    if (address == null) return false;
    String a = address.strip();
    if (a.regionMatches(true, 0, MAPPED, 0, MAPPED.length())) a = a.substring(MAPPED.length());
    return address(a).map(ip -> (ip & mask(prefixLength)) == network).orElse(false);
  }

  private static Optional<Integer> address(String text) {
    Matcher quad = QUAD.matcher(text);
    if (!quad.matches()) return Optional.empty();
    int ip = 0;
    for (int i = 1; i <= 4; i++) {
      int octet = Integer.parseInt(quad.group(i));
      if (octet > 255) return Optional.empty();
      ip = (ip << 8) | octet;
    }
    return Optional.of(ip);
  }

  private static int mask(int prefixLength) {
    return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
  }

  /** {@code 203.0.113.7} for a single address, {@code 10.0.0.0/8} for a network: what {@link #parse} reads. */
  @Override
  public String toString() {
    String quad = (network >>> 24) + "." + ((network >>> 16) & 0xff) + "." + ((network >>> 8) & 0xff) + "." + (network & 0xff);
    return prefixLength == 32 ? quad : quad + "/" + prefixLength;
  }
}
