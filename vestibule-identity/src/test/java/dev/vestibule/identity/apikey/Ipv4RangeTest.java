package dev.vestibule.identity.apikey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class Ipv4RangeTest {
  @Test
  void aBareAddressIsThatOneHost() {
    Ipv4Range one = Ipv4Range.parse(" 203.0.113.7 ");
    assertThat(one.prefixLength()).isEqualTo(32);
    assertThat(one.toString()).isEqualTo("203.0.113.7");
    assertThat(one.contains("203.0.113.7")).isTrue();
    assertThat(one.contains("203.0.113.8")).isFalse();
  }

  @Test
  void aNetworkHoldsEveryAddressUnderItsPrefix() {
    Ipv4Range net = Ipv4Range.parse("10.0.0.0/8");
    assertThat(net.toString()).isEqualTo("10.0.0.0/8");
    assertThat(net.contains("10.255.3.4")).isTrue();
    assertThat(net.contains("11.0.0.1")).isFalse();
    assertThat(Ipv4Range.parse("0.0.0.0/0").contains("192.0.2.1")).isTrue();
    assertThat(Ipv4Range.parse("255.255.255.255").contains("255.255.255.255")).isTrue();
  }

  @Test
  void anIpv4MappedIpv6AddressCountsAsItsIpv4AndOtherIpv6DoesNot() {
    Ipv4Range net = Ipv4Range.parse("192.0.2.0/24");
    assertThat(net.contains("::ffff:192.0.2.10")).isTrue();
    assertThat(net.contains("::FFFF:192.0.2.10")).isTrue();
    assertThat(net.contains("2001:db8::1")).isFalse();
    assertThat(net.contains("::1")).isFalse();
  }

  @Test
  void namesAndNonsenseAreNeverAddresses() {
    Ipv4Range any = Ipv4Range.parse("0.0.0.0/0");
    for (String bad : new String[] {"localhost", "unknown", "", null, "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.4/8"}) {
      assertThat(any.contains(bad)).as("%s", bad).isFalse();
    }
  }

  @Test
  void badInputIsRefusedWithASentenceForTheUser() {
    assertThatThrownBy(() -> Ipv4Range.parse("example.org")).hasMessageContaining("IPv4 address");
    assertThatThrownBy(() -> Ipv4Range.parse("2001:db8::/32")).hasMessageContaining("IPv4 address");
    assertThatThrownBy(() -> Ipv4Range.parse("300.1.1.1")).hasMessageContaining("IPv4 address");
    assertThatThrownBy(() -> Ipv4Range.parse("10.0.0.0/33")).hasMessageContaining("0 to 32");
    assertThatThrownBy(() -> Ipv4Range.parse("10.0.0.0/")).hasMessageContaining("0 to 32");
    assertThatThrownBy(() -> Ipv4Range.parse("10.1.2.3/8")).hasMessageContaining("did you mean 10.0.0.0/8?");
  }
}
