package dev.vestibule.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClientAddressTest {
  @Test
  void anIpv4ClientIsCountedByItsAddress() {
    assertThat(ClientAddress.limitKey("203.0.113.7")).isEqualTo("203.0.113.7");
    assertThat(ClientAddress.limitKey("203.0.113.8")).isNotEqualTo(ClientAddress.limitKey("203.0.113.7"));
  }

  @Test
  void anIpv6ClientIsCountedByItsSlash64WhateverItsSpelling() {
    String network = ClientAddress.limitKey("2001:db8:1:2::1");
    assertThat(network).isEqualTo("2001:db8:1:2::/64");
    assertThat(ClientAddress.limitKey("2001:db8:1:2:ffff:ffff:ffff:fffe")).isEqualTo(network);
    assertThat(ClientAddress.limitKey("2001:0DB8:0001:0002:0000:0000:0000:0009")).isEqualTo(network);
    assertThat(ClientAddress.limitKey("2001:db8:1:3::1")).isNotEqualTo(network);
  }

  @Test
  void anIpv4ClientWrittenAsIpv6IsStillCountedByItsOwnAddress() {
    assertThat(ClientAddress.limitKey("::ffff:203.0.113.7")).isEqualTo("203.0.113.7");
    assertThat(ClientAddress.limitKey("::ffff:198.51.100.9")).isEqualTo("198.51.100.9");
  }

  @Test
  void whatIsNoAddressIsCountedAsItIs() {
    assertThat(ClientAddress.limitKey("unknown")).isEqualTo("unknown");
    assertThat(ClientAddress.limitKey("not:an:address")).isEqualTo("not:an:address");
  }
}
