package io.irisx.webhooks.ssrf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.irisx.core.IrisxValidationException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.stream.Stream;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which webhook URLs the default policy refuses, and for which reason; every host here is an IP literal. */
@DisplayName("The default SSRF policy")
class SsrfAddressTableTest {

    /** Names are never asked about here: every row's host is an address in some spelling. */
    private static final SsrfGuard GUARD = SsrfGuard.create(SsrfPolicy.defaults(), host -> {
        throw new UnknownHostException("no DNS in this test: " + host);
    });

    static Stream<Arguments> refused() {
        return Stream.of(
                arguments("http://127.0.0.1/", "127.0.0.0/8", "IPv4 loopback"),
                arguments("http://127.255.255.254:8080/", "127.0.0.0/8", "the top of the loopback range"),
                arguments("http://[::1]/", "::1/128", "IPv6 loopback"),
                arguments("http://10.0.0.1/", "10.0.0.0/8", "RFC 1918 10/8"),
                arguments("http://10.255.255.255/", "10.0.0.0/8", "the top of 10/8"),
                arguments("http://172.16.0.1/", "172.16.0.0/12", "RFC 1918 172.16/12"),
                arguments("http://172.31.255.255/", "172.16.0.0/12", "the top of 172.16/12"),
                arguments("https://192.168.1.1/hook", "192.168.0.0/16", "RFC 1918 192.168/16"),
                arguments("http://169.254.169.254/latest/meta-data/", "169.254.0.0/16", "the cloud metadata service"),
                arguments("http://169.254.0.1/", "169.254.0.0/16", "IPv4 link-local"),
                arguments("http://[fd00:ec2::254]/", "fc00::/7", "the AWS metadata service over IPv6"),
                arguments("http://100.64.0.1/", "100.64.0.0/10", "carrier-grade NAT"),
                arguments("http://100.127.255.255/", "100.64.0.0/10", "the top of carrier-grade NAT"),
                arguments("http://0.0.0.0/", "0.0.0.0/8", "the IPv4 unspecified address"),
                arguments("http://0.1.2.3/", "0.0.0.0/8", "'this network'"),
                arguments("http://[::]/", "::/128", "the IPv6 unspecified address"),
                arguments("http://[fc00::1]/", "fc00::/7", "unique-local IPv6"),
                arguments("http://[fdff:ffff::1]/", "fc00::/7", "the top of unique-local IPv6"),
                arguments("http://[fe80::1]/", "fe80::/10", "IPv6 link-local"),
                arguments("http://[febf:ffff::1]/", "fe80::/10", "the top of IPv6 link-local"),
                arguments("http://[::ffff:127.0.0.1]/", "127.0.0.0/8", "IPv4-mapped loopback"),
                arguments("http://[::ffff:a9fe:a9fe]/", "169.254.0.0/16", "IPv4-mapped metadata, in hex"),
                arguments("http://[::127.0.0.1]/", "127.0.0.0/8", "IPv4-compatible loopback"),
                arguments("http://[64:ff9b::10.0.0.1]/", "10.0.0.0/8", "NAT64 of a private address"),
                arguments("http://[64:ff9b::a9fe:a9fe]/", "169.254.0.0/16", "NAT64 of the metadata service"),
                arguments("http://[64:ff9b:1::1]/", "64:ff9b:1::/48", "local-use NAT64"),
                arguments("http://[2002:7f00:1::]/", "127.0.0.0/8", "6to4 of loopback"),
                arguments("http://[2002:c0a8:101::1]/", "192.168.0.0/16", "6to4 of 192.168.1.1"),
                arguments("http://224.0.0.1/", "224.0.0.0/4", "IPv4 multicast"),
                arguments("http://239.255.255.250/", "224.0.0.0/4", "SSDP multicast"),
                arguments("http://[ff02::1]/", "ff00::/8", "IPv6 multicast"),
                arguments("http://255.255.255.255/", "255.255.255.255/32", "the broadcast address"),
                arguments("http://240.0.0.1/", "240.0.0.0/4", "reserved 240/4"),
                arguments("http://198.18.0.1/", "198.18.0.0/15", "benchmarking"),
                arguments("http://198.19.255.255/", "198.18.0.0/15", "the top of benchmarking"),
                arguments("http://192.0.2.1/", "192.0.2.0/24", "TEST-NET-1"),
                arguments("http://198.51.100.7/", "198.51.100.0/24", "TEST-NET-2"),
                arguments("http://203.0.113.9/", "203.0.113.0/24", "TEST-NET-3"),
                arguments("http://[2001:db8::1]/", "2001:db8::/32", "IPv6 documentation"),
                arguments("http://[3fff::1]/", "3fff::/20", "the newer IPv6 documentation range"),
                arguments("http://192.0.0.8/", "192.0.0.0/24", "IETF protocol assignments"),
                arguments("http://[2001:0:4136:e378:8000:63bf:a247:27dd]/", "2001::/32",
                        "a Teredo tunnel, though its server and client are public"),
                arguments("http://[100::1]/", "100::/64", "IPv6 discard-only"),
                arguments("http://2130706433/", "127.0.0.0/8", "loopback as one decimal number"),
                arguments("http://0177.0.0.1/", "127.0.0.0/8", "loopback in octal"),
                arguments("http://0x7f.0.0.1/", "127.0.0.0/8", "loopback in hex"),
                arguments("http://0X7F.0.0.1/", "127.0.0.0/8", "loopback in upper-case hex"),
                arguments("http://127.1/", "127.0.0.0/8", "loopback in short form"),
                arguments("http://0x7f.1/", "127.0.0.0/8", "loopback in short hex form"),
                arguments("http://0177.0x0.1/", "127.0.0.0/8", "loopback mixing octal and hex"),
                arguments("http://0x7f000001/", "127.0.0.0/8", "loopback as one hex number"),
                arguments("http://017700000001/", "127.0.0.0/8", "loopback as one octal number"),
                arguments("http://127.0.0.1./", "127.0.0.0/8", "loopback with a trailing dot"),
                arguments("http://0/", "0.0.0.0/8", "0 as the unspecified address"),
                arguments("http://10.1/", "10.0.0.0/8", "10.0.0.1 in short form"),
                arguments("http://3232235777/", "192.168.0.0/16", "192.168.1.1 as one decimal number"),
                arguments("http://0xa9.0xfe.0xa9.0xfe/", "169.254.0.0/16", "the metadata service in hex"),
                arguments("http://0251.0376.0251.0376/", "169.254.0.0/16", "the metadata service in octal"),
                arguments("http://0xA9FEA9FE/", "169.254.0.0/16", "the metadata service as one hex number"),
                arguments("http://\uff11\uff12\uff17.\uff10.\uff10.\uff11/", "127.0.0.0/8", "loopback in full-width digits"),
                arguments("http://010.0.0.1/", "ambiguous", "a leading zero: 8.0.0.1 to browsers, 10.0.0.1 to Java"),
                arguments("http://93.184.216.34./", "ambiguous", "a public address with a trailing dot, which Java "
                        + "would hand to DNS"));
    }

    static Stream<Arguments> allowed() {
        return Stream.of(
                arguments("http://93.184.216.34/", "a public IPv4 address"),
                arguments("https://93.184.216.34:8443/hooks?tenant=acme", "a public address with port, path and query"),
                arguments("http://[2606:4700::1111]/", "a public IPv6 address"),
                arguments("https://[2001:4860:4860::8888]/", "another public IPv6 address"),
                arguments("http://8.8.8.8/", "a public resolver's address"),
                arguments("http://172.15.255.255/", "the address just below 172.16/12"),
                arguments("http://172.32.0.1/", "an address just above 172.16/12"),
                arguments("http://100.63.255.255/", "the address just below carrier-grade NAT"),
                arguments("http://100.128.0.0/", "the address just above carrier-grade NAT"),
                arguments("http://169.253.255.255/", "the address just below link-local"),
                arguments("http://198.17.255.255/", "the address just below benchmarking"),
                arguments("http://223.255.255.255/", "the address just below multicast"),
                arguments("http://1572395042/", "93.184.216.34 as one decimal number"),
                arguments("http://0x5d.0xb8.0xd8.0x22/", "93.184.216.34 in hex"),
                arguments("http://93.184.55330/", "93.184.216.34 in short form"),
                arguments("http://[::ffff:93.184.216.34]/", "an IPv4-mapped public address"),
                arguments("http://[64:ff9b::93.184.216.34]/", "NAT64 of a public address"),
                arguments("http://[2002:5db8:d822::1]/", "6to4 of a public address"));
    }

    @ParameterizedTest(name = "refuses {0}: {2} ({1})")
    @MethodSource("refused")
    void refuses(String url, String range, String what) {
        assertThatThrownBy(() -> GUARD.validateUrl(url))
                .isInstanceOfSatisfying(IrisxValidationException.class, e -> {
                    assertThat(e.field()).isEqualTo("url");
                    assertThat(e.rejectedValue()).isEqualTo(url);
                })
                .hasMessageContaining(range.equals("ambiguous") ? "ambiguous" : "(" + range + ")");
    }

    @ParameterizedTest(name = "allows {0}: {1}")
    @MethodSource("allowed")
    void allows(String url, String what) {
        HttpUrl checked = GUARD.validateUrl(url);
        assertThat(checked.host()).isNotEmpty();
    }

    static Stream<Arguments> spellings() {
        return Stream.of(
                arguments("2130706433", "127.0.0.1"),
                arguments("0177.0x0.0.1", "127.0.0.1"),
                arguments("0300.0xa8.1.1", "192.168.1.1"),
                arguments("0x7f.0.0.1", "127.0.0.1"),
                arguments("127.1", "127.0.0.1"),
                arguments("127.0.1", "127.0.0.1"),
                arguments("0x7f.1", "127.0.0.1"),
                arguments("0x00000000007f.0x.0.01", "127.0.0.1"),
                arguments("0", "0.0.0.0"),
                arguments("0x", "0.0.0.0"),
                arguments("1.0x10000", "1.1.0.0"),
                arguments("192.168.257", "192.168.1.1"),
                arguments("4294967295", "255.255.255.255"),
                arguments("1572395042", "93.184.216.34"),
                arguments("[::1]", "0:0:0:0:0:0:0:1"),
                arguments("::ffff:10.0.0.1", "10.0.0.1"));
    }

    @ParameterizedTest(name = "reads host {0} as {1}")
    @MethodSource("spellings")
    @DisplayName("reads odd spellings of addresses as browsers and inet_aton do")
    void reads_odd_spellings_as_browsers_do(String host, String address) throws Exception {
        SsrfGuard allowingAll = SsrfGuard.create(SsrfPolicy.builder().allow("0.0.0.0/0").allow("::/0").build(),
                name -> {
                    throw new UnknownHostException(name);
                });
        assertThat(allowingAll.resolve(host)).containsExactly(InetAddress.getByName(address));
    }
}
