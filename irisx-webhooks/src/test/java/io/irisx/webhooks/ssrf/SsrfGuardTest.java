package io.irisx.webhooks.ssrf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.irisx.core.IrisxValidationException;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SsrfGuardTest {

    /** A resolver answering from a map, as a test's own DNS. */
    static HostResolver dns(Map<String, List<String>> answers) {
        return host -> {
            List<String> addresses = answers.get(host);
            if (addresses == null) {
                throw new UnknownHostException(host + ": no such name in this test");
            }
            List<InetAddress> result = new java.util.ArrayList<>();
            for (String address : addresses) {
                result.add(InetAddress.getByName(address));
            }
            return result;
        };
    }

    private static final HostResolver DNS = dns(Map.of(
            "hooks.example.com", List.of("93.184.216.34", "2606:4700::1111"),
            "internal.example.com", List.of("10.1.2.3"),
            "mixed.example.com", List.of("93.184.216.34", "192.168.0.10"),
            "metadata.example.com", List.of("169.254.169.254"),
            "localhost", List.of("127.0.0.1", "::1")));

    private static final SsrfGuard GUARD = SsrfGuard.create(SsrfPolicy.defaults(), DNS);

    @Test
    @DisplayName("A name resolving to public addresses is accepted and all its addresses are handed on, in order")
    void a_public_name_is_accepted() throws Exception {
        assertThat(GUARD.validateUrl("https://hooks.example.com/irisx").toString()).isEqualTo("https://hooks.example.com/irisx");
        assertThat(GUARD.resolve("hooks.example.com"))
                .containsExactly(InetAddress.getByName("93.184.216.34"), InetAddress.getByName("2606:4700::1111"));
    }

    @Test
    @DisplayName("A name resolving to a private address is refused at registration and at delivery")
    void a_name_resolving_to_a_private_address_is_refused() throws Exception {
        assertThatThrownBy(() -> GUARD.validateUrl("https://internal.example.com/hook"))
                .isInstanceOf(IrisxValidationException.class)
                .hasMessageContaining("'internal.example.com' means 10.1.2.3")
                .hasMessageContaining("a private network, RFC 1918 (10.0.0.0/8)");
        assertThatThrownBy(() -> GUARD.resolve("internal.example.com"))
                .isInstanceOfSatisfying(BlockedAddressException.class, e -> {
                    assertThat(e.host()).isEqualTo("internal.example.com");
                    assertThat(e.address().getHostAddress()).isEqualTo("10.1.2.3");
                    assertThat(e.reason()).isEqualTo("a private network, RFC 1918 (10.0.0.0/8)");
                });
    }

    @Test
    @DisplayName("A name resolving to public and private addresses together is refused, not trimmed to the public ones")
    void a_name_resolving_to_mixed_addresses_is_refused() {
        assertThatThrownBy(() -> GUARD.resolve("mixed.example.com"))
                .isInstanceOfSatisfying(BlockedAddressException.class,
                        e -> assertThat(e.address().getHostAddress()).isEqualTo("192.168.0.10"));
        assertThatThrownBy(() -> GUARD.validateUrl("https://mixed.example.com/"))
                .isInstanceOf(IrisxValidationException.class)
                .hasMessageContaining("192.168.0.10");
    }

    @Test
    @DisplayName("Names that lead to the metadata service or to localhost are refused")
    void names_for_metadata_and_localhost_are_refused() {
        assertThatThrownBy(() -> GUARD.resolve("metadata.example.com")).isInstanceOf(BlockedAddressException.class)
                .hasMessageContaining("169.254.169.254");
        assertThatThrownBy(() -> GUARD.validateUrl("http://localhost:8080/")).isInstanceOf(IrisxValidationException.class)
                .hasMessageContaining("loopback");
    }

    @Test
    @DisplayName("A resolver's IPv4-mapped IPv6 answer is judged by the IPv4 address it carries")
    void a_mapped_answer_is_judged_by_its_ipv4_address() throws Exception {
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 127, 0, 0, 1};
        InetAddress address = Inet6Address.getByAddress(null, mapped, -1);
        assertThat(address).isInstanceOf(Inet6Address.class);
        SsrfGuard guard = SsrfGuard.create(SsrfPolicy.defaults(), host -> List.of(address));
        assertThatThrownBy(() -> guard.resolve("sneaky.example.com")).isInstanceOf(BlockedAddressException.class)
                .hasMessageContaining("it carries 127.0.0.1, loopback (127.0.0.0/8)");

        SsrfGuard allowingLoopback = SsrfGuard.create(SsrfPolicy.builder().allow("127.0.0.0/8").build(), host -> List.of(address));
        assertThat(allowingLoopback.resolve("sneaky.example.com")).containsExactly(address);
    }

    @Test
    @DisplayName("An allowlisted subnet is permitted, and nothing beyond it")
    void allowlisted_loopback_passes() throws Exception {
        SsrfGuard guard = SsrfGuard.create(SsrfPolicy.builder().allow("127.0.0.0/8").allow("::1/128").build(), DNS);
        assertThat(guard.validateUrl("http://127.0.0.1:8080/hook").port()).isEqualTo(8080);
        assertThat(guard.validateUrl("http://[::1]/hook").host()).isEqualTo("::1");
        assertThat(guard.validateUrl("http://2130706433/").host()).isEqualTo("2130706433");
        assertThat(guard.resolve("localhost")).containsExactly(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("::1"));
        assertThatThrownBy(() -> guard.validateUrl("http://10.0.0.1/")).isInstanceOf(IrisxValidationException.class);
        assertThatThrownBy(() -> guard.validateUrl("http://[fe80::1]/")).isInstanceOf(IrisxValidationException.class);
        assertThat(guard.policy().allowedSubnets()).containsExactly("127.0.0.0/8", "::1/128");
    }

    @Test
    @DisplayName("An https-only policy refuses http URLs and accepts https ones")
    void https_only_refuses_http() {
        SsrfGuard guard = SsrfGuard.create(SsrfPolicy.builder().httpsOnly(true).build(), DNS);
        assertThatThrownBy(() -> guard.validateUrl("http://hooks.example.com/"))
                .isInstanceOfSatisfying(IrisxValidationException.class, e -> {
                    assertThat(e.field()).isEqualTo("url");
                    assertThat(e.rejectedValue()).isEqualTo("http://hooks.example.com/");
                })
                .hasMessage("url: 'http://hooks.example.com/' must use https: the SSRF policy refuses plain http");
        assertThat(guard.validateUrl("https://hooks.example.com/").isHttps()).isTrue();
        assertThat(GUARD.validateUrl("http://hooks.example.com/").isHttps()).isFalse();
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                arguments("ftp://hooks.example.com/", "ftp://hooks.example.com/", "must use http or https, not 'ftp'"),
                arguments("file:///etc/passwd", "file:///etc/passwd", "must use http or https, not 'file'"),
                arguments("gopher://127.0.0.1:6379/_INFO", "gopher://127.0.0.1:6379/_INFO", "not 'gopher'"),
                arguments("hooks.example.com/path", "hooks.example.com/path", "is not an absolute URL"),
                arguments("https://admin:hunter2@hooks.example.com/", "https://***@hooks.example.com/",
                        "must not carry credentials"),
                arguments("https://token@hooks.example.com/", "https://***@hooks.example.com/", "must not carry credentials"),
                // A stray character before the scheme, or a single slash, still hides the password.
                arguments("\thttps://ada:hunter2@::1", "\thttps://***@::1", "Invalid URL port"),
                arguments("https:/ada:hunter2@hooks.example.com", "https:/***@hooks.example.com", ""),
                arguments("#ada:hunter2@hooks.example.com", "#ada:****@hooks.example.com", "is not an absolute URL"),
                arguments("https: /ada:hunter2@hooks.example.com", "https: /ada:****@hooks.example.com", "Invalid URL"),
                arguments("https://nowhere.example.com/in?password=hunter2", "https://nowhere.example.com/in?password=****",
                        "has a host that does not resolve"),
                arguments("https://hooks.example.com:70000/", "https://hooks.example.com:70000/", "Invalid URL port: \"70000\""),
                arguments("https://hooks.example.com:0/", "https://hooks.example.com:0/", "Invalid URL port: \"0\""),
                arguments("http://:8080/hook", "http://:8080/hook", "Invalid URL host"),
                arguments("https://nowhere.example.com/", "https://nowhere.example.com/", "has a host that does not resolve"),
                arguments("http://256.0.0.1/", "http://256.0.0.1/", "part '256' is above 255"),
                arguments("http://1.2.3.4.5/", "http://1.2.3.4.5/", "more than four parts"),
                arguments("http://09/", "http://09/", "part '09' is not a decimal, octal or hex number"),
                arguments("http://0x100000000/", "http://0x100000000/", "last part is too large"));
    }

    @ParameterizedTest(name = "refuses {0} at registration: {2}")
    @MethodSource("malformed")
    @DisplayName("Registration refuses malformed URLs, naming the field and the value")
    void registration_names_the_field_and_the_value(String url, String shown, String problem) {
        assertThatThrownBy(() -> GUARD.validateUrl(url))
                .isInstanceOfSatisfying(IrisxValidationException.class, e -> {
                    assertThat(e.field()).isEqualTo("url");
                    assertThat(e.rejectedValue()).isEqualTo(shown);
                    assertThat(e.getMessage()).startsWith("url: '" + shown + "' ").contains(problem)
                            .doesNotContain("hunter2");
                });
    }

    @Test
    @DisplayName("The policy builder names a bad subnet and suggests the one probably meant")
    void the_builder_names_bad_subnets() {
        assertThatThrownBy(() -> SsrfPolicy.builder().allow("10.0.0.1/8"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("allow: '10.0.0.1/8' has bits set after its /8 prefix; did you mean 10.0.0.0/8?");
        assertThatThrownBy(() -> SsrfPolicy.builder().allow("10.0.0.0/33"))
                .hasMessage("allow: '10.0.0.0/33' is not a subnet: the prefix length must be a number from 0 to 32, was '33'");
        assertThatThrownBy(() -> SsrfPolicy.builder().allow("fc00::/129")).hasMessageContaining("0 to 128, was '129'");
        assertThatThrownBy(() -> SsrfPolicy.builder().allow("intranet/8")).hasMessageContaining("'intranet/8' is not a subnet");
        assertThatThrownBy(() -> SsrfPolicy.builder().allow("0177.0.0.0/8")).hasMessageContaining("dotted decimal");
        assertThatThrownBy(() -> SsrfPolicy.builder().allow("10.0.0.0/")).hasMessageContaining("was ''");
        assertThat(SsrfPolicy.builder().allow("10.20.0.7").build().allowedSubnets()).containsExactly("10.20.0.7/32");
    }

    @Test
    @DisplayName("The policy builder leaves built policies untouched")
    void the_builder_leaves_built_policies_untouched() {
        SsrfPolicy.Builder builder = SsrfPolicy.builder().allow("10.0.0.0/8");
        SsrfPolicy first = builder.build();
        builder.allow("192.168.0.0/16").httpsOnly(true);
        assertThat(first.allowedSubnets()).containsExactly("10.0.0.0/8");
        assertThat(first.httpsOnly()).isFalse();
        assertThat(first.toBuilder().build().allowedSubnets()).containsExactly("10.0.0.0/8");
        assertThat(SsrfPolicy.defaults().allowedSubnets()).isEmpty();
    }

    @Test
    @DisplayName("A resolver with no answer means the host is unknown")
    void an_empty_answer_is_an_unknown_host() {
        SsrfGuard guard = SsrfGuard.create(SsrfPolicy.defaults(), host -> List.of());
        assertThatThrownBy(() -> guard.resolve("empty.example.com")).isInstanceOf(UnknownHostException.class)
                .hasMessageContaining("no addresses");
    }

    @Test
    @DisplayName("The refusal is found behind the I/O exceptions OkHttp wraps it in")
    void the_refusal_is_found_in_a_cause_chain() {
        var blocked = new BlockedAddressException("internal.example.com", InetAddress.getLoopbackAddress(), "loopback");
        var wrapped = new IOException("Failed to connect", new IOException("refused", blocked));
        assertThat(BlockedAddressException.findIn(wrapped)).containsSame(blocked);
        assertThat(BlockedAddressException.findIn(new IOException("reset"))).isEmpty();
    }
}
