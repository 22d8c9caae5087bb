package io.irisx.core.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** CIDR networks read from text and the remote addresses they contain, no name ever looked up. */
class SubnetTest {

    @Test
    void an_address_as_a_request_gives_it_is_in_its_network_or_not() {
        Subnet postmark = Subnet.parse("50.31.156.0/24");
        Subnet v6 = Subnet.parse("2001:db8::/32");

        assertThat(postmark.contains("50.31.156.6")).isTrue();
        assertThat(postmark.contains("::ffff:50.31.156.6")).isTrue();
        assertThat(postmark.contains("50.31.157.6")).isFalse();
        assertThat(v6.contains("[2001:db8::1]")).isTrue();
        assertThat(v6.contains("2001:db9::1")).isFalse();
        assertThat(postmark.contains("2001:db8::1")).isFalse();
        for (String notAnAddress : new String[] {"", "localhost", "postmarkapp.com", "1.2.3.4.5", "[::1",
                "999.1.1.1"}) {
            assertThat(postmark.contains(notAnAddress)).as(notAnAddress).isFalse();
        }
    }

    @Test
    void a_network_with_bits_after_its_prefix_or_a_bad_length_is_refused() {
        assertThatThrownBy(() -> Subnet.parse("10.0.0.1/8")).hasMessageContaining("did you mean 10.0.0.0/8");
        assertThatThrownBy(() -> Subnet.parse("10.0.0.0/33")).hasMessageContaining("prefix length");
        assertThatThrownBy(() -> Subnet.parse("example.com/24")).hasMessageContaining("is not a subnet");
        assertThat(Subnet.parse("10.1.2.3").contains("10.1.2.3")).isTrue();
    }
}
