package io.irisx.webhooks.ssrf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.irisx.core.IrisxValidationException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import mockwebserver3.MockWebServer;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * IPv6 addresses that carry an IPv4 address, refused when the IPv4 address is forbidden: at registration (the URL),
 * at delivery (what DNS answers, and a URL written with the address), and at the guarded client's sockets.
 */
@DisplayName("IPv6 forms carrying a forbidden IPv4 address")
class SsrfEmbeddedIpv4Test {

    private static final String NAME = "hooks.example.test";

    private final MockWebServer server = new MockWebServer();

    @BeforeEach
    void start() throws IOException {
        server.start(InetAddress.getByName("127.0.0.1"), 0);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                arguments("::ffff:0:7f00:1", "it carries 127.0.0.1, loopback (127.0.0.0/8)", "IPv4-translated loopback"),
                arguments("::ffff:0:127.0.0.1", "it carries 127.0.0.1, loopback (127.0.0.0/8)",
                        "IPv4-translated loopback, dotted"),
                arguments("::ffff:0:a9fe:a9fe", "it carries 169.254.169.254, link-local", "IPv4-translated metadata"),
                arguments("::ffff:0:a00:1", "it carries 10.0.0.1, a private network", "IPv4-translated 10.0.0.1"),
                // Written in a URL, an IPv4-mapped address is read as the IPv4 address itself, hence the shorter reason.
                arguments("::ffff:7f00:1", "loopback (127.0.0.0/8)", "IPv4-mapped loopback"),
                arguments("::ffff:a9fe:a9fe", "link-local, home of cloud metadata services", "IPv4-mapped metadata"),
                arguments("::7f00:1", "it carries 127.0.0.1, loopback (127.0.0.0/8)", "IPv4-compatible loopback"),
                arguments("::a9fe:a9fe", "it carries 169.254.169.254, link-local", "IPv4-compatible metadata"),
                arguments("64:ff9b::7f00:1", "it carries 127.0.0.1, loopback (127.0.0.0/8)", "NAT64 of loopback"),
                arguments("64:ff9b::a9fe:a9fe", "it carries 169.254.169.254, link-local", "NAT64 of the metadata service"),
                arguments("64:ff9b::c0a8:101", "it carries 192.168.1.1, a private network", "NAT64 of 192.168.1.1"),
                arguments("64:ff9b:1::5db8:d822", "local-use NAT64 (64:ff9b:1::/48)", "local-use NAT64, even of a public address"),
                arguments("64:ff9b:1:ffff:ffff:ffff:ffff:ffff", "local-use NAT64 (64:ff9b:1::/48)", "the top of local-use NAT64"),
                arguments("2002:7f00:1::", "it carries 127.0.0.1, loopback (127.0.0.0/8)", "6to4 of loopback"),
                arguments("2002:a9fe:a9fe::1", "it carries 169.254.169.254, link-local", "6to4 of the metadata service"),
                arguments("2001:0:4136:e378:8000:63bf:80ff:fffe",
                        "it carries 127.0.0.1 as its Teredo client, loopback (127.0.0.0/8)", "Teredo with a loopback client"),
                arguments("2001:0:a9fe:a9fe:8000:63bf:a247:27dd",
                        "it carries 169.254.169.254 as its Teredo server, link-local", "Teredo with the metadata server"),
                arguments("2001:0:4136:e378:8000:63bf:a247:27dd",
                        "Teredo tunnelling (2001::/32), refused whatever addresses it carries",
                        "Teredo with public server and client"));
    }

    static Stream<Arguments> allowed() {
        return Stream.of(
                arguments("::ffff:0:5db8:d822", "IPv4-translated 93.184.216.34"),
                arguments("::5db8:d822", "IPv4-compatible 93.184.216.34"),
                arguments("64:ff9b::5db8:d822", "NAT64 of 93.184.216.34"),
                arguments("2002:5db8:d822::1", "6to4 of 93.184.216.34"));
    }

    @ParameterizedTest(name = "refuses {0} at registration: {2}")
    @MethodSource("refused")
    void registration_refuses_the_url(String address, String reason, String what) {
        String url = "http://[" + address + "]/hook";
        assertThatThrownBy(() -> guard(address).validateUrl(url))
                .isInstanceOfSatisfying(IrisxValidationException.class, e -> {
                    assertThat(e.field()).isEqualTo("url");
                    assertThat(e.rejectedValue()).isEqualTo(url);
                })
                .hasMessageContaining(reason);
    }

    @ParameterizedTest(name = "refuses a name resolving to {0}: {2}")
    @MethodSource("refused")
    void registration_and_resolution_refuse_a_name_resolving_to_it(String address, String reason, String what) {
        SsrfGuard guard = guard(address);
        assertThatThrownBy(() -> guard.validateUrl("https://" + NAME + "/hook"))
                .isInstanceOf(IrisxValidationException.class)
                .hasMessageContaining("'" + NAME + "' means")
                .hasMessageContaining(reason);
        assertThatThrownBy(() -> guard.resolve(NAME))
                .isInstanceOfSatisfying(BlockedAddressException.class, e -> {
                    assertThat(e.address()).isEqualTo(ipv6(address));
                    assertThat(e.reason()).contains(reason);
                });
    }

    @ParameterizedTest(name = "refuses delivering to {0}: {2}")
    @MethodSource("refused")
    void delivery_refuses_it_by_name_by_address_and_at_the_socket(String address, String reason, String what) {
        OkHttpClient client = client(guard(address));
        HttpUrl byName = server.url("/hook").newBuilder().host(NAME).build();
        HttpUrl byAddress = server.url("/hook").newBuilder().host(address).build();
        for (HttpUrl url : List.of(byName, byAddress)) {
            assertThatThrownBy(() -> post(client, url)).as(url.toString())
                    .isInstanceOf(IOException.class)
                    .satisfies(e -> assertThat(BlockedAddressException.findIn(e)).as(url + ": " + e)
                            .hasValueSatisfying(blocked -> assertThat(blocked.reason()).contains(reason)));
        }
        assertThatThrownBy(() -> {
            try (Socket socket = client.socketFactory().createSocket()) {
                socket.connect(new InetSocketAddress(ipv6(address), server.getPort()));
            }
        }).isInstanceOf(ConnectException.class)
                .satisfies(e -> assertThat(BlockedAddressException.findIn(e)).isPresent());
        assertThat(server.getRequestCount()).isZero();
    }

    @ParameterizedTest(name = "allows {0}: {1}")
    @MethodSource("allowed")
    @DisplayName("A form carrying a public IPv4 address is allowed, at registration and by resolution")
    void a_form_carrying_a_public_address_is_allowed(String address, String what) throws Exception {
        SsrfGuard guard = guard(address);
        assertThat(guard.validateUrl("http://[" + address + "]/hook").host()).isEqualTo(address);
        assertThat(guard.validateUrl("https://" + NAME + "/hook").host()).isEqualTo(NAME);
        assertThat(guard.resolve(NAME)).containsExactly(ipv6(address));
        assertThat(guard.policy().blockReason(ipv6(address))).isEmpty();
    }

    @ParameterizedTest(name = "allowlisting 127.0.0.0/8 allows {0}")
    @MethodSource("loopbackCarriers")
    @DisplayName("Allowlisting an IPv4 subnet allows the forms carrying it, but never Teredo")
    void an_allowlisted_ipv4_subnet_allows_its_carriers_but_not_teredo(String address, boolean allowed) {
        SsrfPolicy policy = SsrfPolicy.builder().allow("127.0.0.0/8").build();
        assertThat(policy.blockReason(ipv6(address)).isEmpty()).as(address).isEqualTo(allowed);
    }

    static Stream<Arguments> loopbackCarriers() {
        return Stream.of(
                arguments("::ffff:0:7f00:1", true),
                arguments("64:ff9b::7f00:1", true),
                arguments("2002:7f00:1::", true),
                arguments("2001:0:4136:e378:8000:63bf:80ff:fffe", false));
    }

    /** A guard whose DNS answers {@link #NAME} with {@code address}, kept as an IPv6 address. */
    private static SsrfGuard guard(String address) {
        return SsrfGuard.create(SsrfPolicy.defaults(), host -> {
            if (!host.equals(NAME)) {
                throw new UnknownHostException(host + ": no such name in this test");
            }
            return List.of(ipv6(address));
        });
    }

    /** The address as an {@link Inet6Address}, as a DNS AAAA answer gives it; InetAddress would unmap ::ffff:a.b.c.d. */
    private static InetAddress ipv6(String address) {
        try {
            byte[] bytes = InetAddress.getByName("[" + address + "]").getAddress();
            if (bytes.length == 4) {
                byte[] mapped = new byte[16];
                mapped[10] = (byte) 0xff;
                mapped[11] = (byte) 0xff;
                System.arraycopy(bytes, 0, mapped, 12, 4);
                bytes = mapped;
            }
            return Inet6Address.getByAddress(null, bytes, -1);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(address, e);
        }
    }

    private static OkHttpClient client(SsrfGuard guard) {
        return guard.configure(new OkHttpClient.Builder())
                .connectTimeout(Duration.ofSeconds(2))
                .readTimeout(Duration.ofSeconds(2))
                .build();
    }

    private static void post(OkHttpClient client, HttpUrl url) throws IOException {
        RequestBody body = RequestBody.create("{\"type\":\"message.sent\"}", MediaType.get("application/json"));
        client.newCall(new Request.Builder().url(url).post(body).build()).execute().close();
    }
}
