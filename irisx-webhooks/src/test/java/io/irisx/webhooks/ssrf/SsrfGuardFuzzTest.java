package io.irisx.webhooks.ssrf;

import static org.assertj.core.api.Assertions.assertThat;

import io.irisx.core.IrisxValidationException;
import io.irisx.core.testing.DocumentedFailures;
import io.irisx.core.testing.FuzzText;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import okhttp3.HttpUrl;

/**
 * Random URLs, hosts and IP literals given to the {@link SsrfGuard}: a URL is accepted only when its host means
 * allowed addresses, or refused with an {@link IrisxValidationException} that never shows its password; a host
 * resolves to allowed addresses only, or fails with an {@link UnknownHostException} or a
 * {@link BlockedAddressException}; a subnet to allow is taken or refused with an {@link IllegalArgumentException}.
 */
class SsrfGuardFuzzTest {

    private static final SsrfGuard GUARD = SsrfGuard.create(SsrfPolicy.defaults(), SsrfGuardTest.dns(Map.of(
            "hooks.example.com", List.of("93.184.216.34", "2606:4700::1111"),
            "internal.example.com", List.of("10.1.2.3"),
            "metadata.example.com", List.of("169.254.169.254"),
            "localhost", List.of("127.0.0.1", "::1"))));

    @Property(tries = 1000)
    void a_url_is_accepted_only_for_allowed_addresses_or_refused_without_its_password(
            @ForAll("urls") Tuple.Tuple2<String, String> urlAndPassword) {
        String url = urlAndPassword.get1();
        DocumentedFailures.only(() -> {
            HttpUrl accepted = GUARD.validateUrl(url);
            assertThat(accepted.scheme()).isIn("http", "https");
            assertThat(GUARD.resolve(accepted.host())).allSatisfy(address ->
                    assertThat(GUARD.policy().blockReason(address)).isEmpty());
        }, List.of(IrisxValidationException.class), List.of(urlAndPassword.get2()));
    }

    @Property(tries = 1000)
    void a_host_resolves_to_allowed_addresses_only_or_is_refused(@ForAll("hosts") String host) {
        DocumentedFailures.only(() -> assertThat(GUARD.resolve(host)).isNotEmpty().allSatisfy(address ->
                assertThat(GUARD.policy().blockReason(address)).isEmpty()),
                List.of(UnknownHostException.class, BlockedAddressException.class));
    }

    @Property(tries = 1000)
    void a_subnet_to_allow_is_taken_or_refused(@ForAll("subnets") String cidr) {
        DocumentedFailures.only(() -> SsrfPolicy.builder().allow(cidr).build().allowedSubnets(),
                List.of(IllegalArgumentException.class)).ifPresent(e -> assertThat(e.getMessage()).startsWith("allow"));
    }

    @Provide
    Arbitrary<Tuple.Tuple2<String, String>> urls() {
        Arbitrary<String> scheme = FuzzText.around(Arbitraries.of("https://", "http://", "HTTPS://", "ftp://",
                "https:/", "https:\\\\", " https://", "javascript:", ""));
        Arbitrary<String> userInfo = Arbitraries.of("", "", "ada:PASSWORD@", "ada:PASSWORD@x@", ":PASSWORD@",
                "ada@", "ada:PASSWORD%40@");
        Arbitrary<String> rest = FuzzText.around(Arbitraries.oneOf(hosts(), Arbitraries.of("hooks.example.com")))
                .flatMap(host -> FuzzText.around(Arbitraries.of("", "/", "/in", ":443/in", ":0/", ":65536/", "/in?a=b",
                        "/in?password=QUERYPW", "#x", "/" + "p".repeat(3000))).map(path -> host + path));
        // The password is a secret while it is still one after the mutations: the password of a user:password@,
        // or the value of a password parameter.
        return Combinators.combine(scheme, userInfo, rest, FuzzText.secret())
                .as((s, u, r, password) -> {
                    String url = s + u + r;
                    boolean inUserInfo = url.contains(":PASSWORD@");
                    boolean parameter = url.contains("?password=QUERYPW");
                    return Tuple.of(url.replace("PASSWORD", inUserInfo ? password : "public")
                            .replace("QUERYPW", parameter ? password : "public"), password);
                });
    }

    @Provide
    Arbitrary<String> hosts() {
        Arbitrary<String> part = Arbitraries.oneOf(Arbitraries.integers().between(0, 300).map(String::valueOf),
                Arbitraries.integers().between(0, 300).map(n -> "0x" + Integer.toHexString(n)),
                Arbitraries.integers().between(0, 300).map(n -> "0" + Integer.toOctalString(n)),
                Arbitraries.longs().between(0, 1L << 33).map(String::valueOf));
        Arbitrary<String> ipv4 = part.list().ofMinSize(1).ofMaxSize(5).map(parts -> String.join(".", parts));
        Arbitrary<String> ipv6 = Arbitraries.of("::1", "[::1]", "::", "::ffff:127.0.0.1", "[::ffff:7f00:1]",
                "64:ff9b::a9fe:a9fe", "2002:7f00:1::", "fe80::1%25eth0", "[fe80::1%eth0]", "2606:4700::1111",
                "[2606:4700::1111]", "1:2:3:4:5:6:7:8:9", "[1.2.3.4]", "[abc]", "::ffff:1.2.3.4.5", "0:0:0:0:0:0:0:1");
        Arbitrary<String> names = Arbitraries.of("hooks.example.com", "internal.example.com", "metadata.example.com",
                "localhost", "LOCALHOST", "hooks.example.com.", "xn--nxasmq6b.example", "a..b", ".", "127.0.0.1.nip.io",
                "1.2.3.4.5", "999.1.1.1");
        return FuzzText.around(Arbitraries.oneOf(ipv4, ipv6, names));
    }

    @Provide
    Arbitrary<String> subnets() {
        Arbitrary<String> prefix = Arbitraries.oneOf(Arbitraries.integers().between(-1, 129).map(String::valueOf),
                Arbitraries.of("", "99999999999", "0x10", "+8", " 8", "08"));
        Arbitrary<String> address = Arbitraries.of("10.20.0.0", "10.20.0.7", "fd12:3456::", "::ffff:10.0.0.0",
                "0.0.0.0", "255.255.255.255", "010.0.0.0", "10.0.0", "fd12:3456::%1");
        return FuzzText.around(Combinators.combine(FuzzText.around(address), Arbitraries.of("/", "", "//", "/ "),
                prefix).as((a, slash, p) -> a + slash + p));
    }
}
