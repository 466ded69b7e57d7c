package dev.vestibule.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {

  private static InetAddress ip(String literal) throws UnknownHostException {
    return InetAddress.getByName(literal);
  }

  @Test
  void ipv4NetworkContainsItsAddressesOnly() throws Exception {
    Cidr net = Cidr.parse("k", "10.0.0.0/8");
    assertThat(net.contains(ip("10.0.0.1"))).isTrue();
    assertThat(net.contains(ip("10.255.255.255"))).isTrue();
    assertThat(net.contains(ip("11.0.0.0"))).isFalse();
    assertThat(net.contains(ip("::1"))).isFalse();
  }

  @Test
  void oddPrefixLengthsMaskPartialBytes() throws Exception {
    Cidr net = Cidr.parse("k", "192.168.1.128/25");
    assertThat(net.contains(ip("192.168.1.200"))).isTrue();
    assertThat(net.contains(ip("192.168.1.127"))).isFalse();
  }

  @Test
  void bareAddressIsASingleHost() throws Exception {
    Cidr v4 = Cidr.parse("k", "127.0.0.1");
    assertThat(v4.prefixLength()).isEqualTo(32);
    assertThat(v4.contains(ip("127.0.0.1"))).isTrue();
    assertThat(v4.contains(ip("127.0.0.2"))).isFalse();
    Cidr v6 = Cidr.parse("k", "::1");
    assertThat(v6.prefixLength()).isEqualTo(128);
    assertThat(v6.contains(ip("::1"))).isTrue();
    assertThat(v6.contains(ip("127.0.0.1"))).isFalse();
  }

  @Test
  void ipv6NetworkContainsItsAddressesOnly() throws Exception {
    Cidr net = Cidr.parse("k", "fd00::/8");
    assertThat(net.contains(ip("fd12:3456::1"))).isTrue();
    assertThat(net.contains(ip("fe80::1"))).isFalse();
    assertThat(net.contains(ip("10.0.0.1"))).isFalse();
    assertThat(Cidr.parse("k", "2001:db8::/32").contains(ip("2001:db8:ffff::1"))).isTrue();
  }

  @Test
  void ipv4MappedNetworkMatchesPlainIpv4() throws Exception {
    Cidr net = Cidr.parse("k", "::ffff:10.0.0.0/104");
    assertThat(net.contains(ip("10.1.2.3"))).isTrue();
    assertThat(net.contains(ip("11.1.2.3"))).isFalse();
    assertThat(net.toString()).isEqualTo("::ffff:10.0.0.0/104");
  }

  @Test
  void zeroPrefixContainsEverythingOfItsFamily() throws Exception {
    assertThat(Cidr.parse("k", "0.0.0.0/0").contains(ip("203.0.113.9"))).isTrue();
    assertThat(Cidr.parse("k", "::/0").contains(ip("2001:db8::1"))).isTrue();
  }

  @Test
  void equalNetworksAreEqualAndImmutable() throws Exception {
    Cidr a = Cidr.parse("k", "10.0.0.0/8");
    Cidr b = Cidr.parse("k", "10.0.0.0/8");
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(Cidr.parse("k", "10.0.0.0/16"));
    a.network()[0] = 99;
    assertThat(a).isEqualTo(b);
    assertThat(a.toString()).isEqualTo("10.0.0.0/8");
  }

  @Test
  void hostBitsAfterThePrefixAreRejectedWithTheIntendedNetwork() {
    assertThatThrownBy(() -> Cidr.parse("trustedProxies[0]", "10.1.2.3/8"))
        .hasMessage("trustedProxies[0]: '10.1.2.3/8' has bits set after the prefix; did you mean 10.0.0.0/8?");
  }

  @ParameterizedTest
  @ValueSource(strings = {"localhost", "10.0.0", "256.0.0.1", "10.0.0.0/", "10.0.0.0/x", "gg::1", ".::1", "::1%eth0",
      "1:2:3:4:5:6:7:8:9"})
  void malformedAddressesAreRejected(String text) {
    assertThatThrownBy(() -> Cidr.parse("trustedProxies[1]", text))
        .hasMessageStartingWith("trustedProxies[1]: ");
  }

  @Test
  void prefixLongerThanTheAddressIsRejected() {
    assertThatThrownBy(() -> Cidr.parse("k", "10.0.0.0/33"))
        .hasMessage("k: '10.0.0.0/33' has a bad prefix length; use 0 to 32 after the '/'");
    assertThatThrownBy(() -> Cidr.parse("k", "::/129"))
        .hasMessage("k: '::/129' has a bad prefix length; use 0 to 128 after the '/'");
  }
}
