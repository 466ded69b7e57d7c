package dev.vestibule.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ListenTest {

  @Test
  void hostAndPortFormsAreParsed() throws ConfigException {
    assertThat(Listen.parse("listen", "127.0.0.1:8080")).isEqualTo(new Listen("127.0.0.1", 8080));
    assertThat(Listen.parse("listen", "0.0.0.0:80")).isEqualTo(new Listen("0.0.0.0", 80));
    assertThat(Listen.parse("listen", "[::1]:8080")).isEqualTo(new Listen("::1", 8080));
    assertThat(Listen.parse("listen", ":9090")).isEqualTo(new Listen("127.0.0.1", 9090));
    assertThat(Listen.parse("listen", "9090")).isEqualTo(new Listen("127.0.0.1", 9090));
    assertThat(Listen.parse("listen", "localhost:0")).isEqualTo(new Listen("localhost", 0));
  }

  @Test
  void toStringBracketsIpv6() throws ConfigException {
    assertThat(Listen.parse("listen", "[::1]:8080").toString()).isEqualTo("[::1]:8080");
    assertThat(new Listen("127.0.0.1", 8080).toString()).isEqualTo("127.0.0.1:8080");
  }

  @Test
  void missingOrBadPortIsRejected() {
    assertThatThrownBy(() -> Listen.parse("listen", "127.0.0.1"))
        .hasMessageStartingWith("listen: '127.0.0.1' has no port; write host:port like 127.0.0.1:8080");
    assertThatThrownBy(() -> Listen.parse("listen", "127.0.0.1:70000"))
        .hasMessageStartingWith("listen: '127.0.0.1:70000' has a bad port");
    assertThatThrownBy(() -> Listen.parse("listen", "127.0.0.1:http"))
        .hasMessageStartingWith("listen: '127.0.0.1:http' has a bad port");
  }

  @Test
  void unbracketedIpv6IsRejected() {
    assertThatThrownBy(() -> Listen.parse("listen", "::1:8080"))
        .hasMessageStartingWith("listen: '::1:8080' needs brackets around the IPv6 address");
  }
}
