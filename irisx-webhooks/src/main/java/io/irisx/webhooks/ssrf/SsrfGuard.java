package io.irisx.webhooks.ssrf;

import io.irisx.core.IrisxException;
import io.irisx.core.IrisxValidationException;
import io.irisx.core.secret.Redaction;
import io.irisx.webhooks.internal.GuardChecks;
import io.irisx.webhooks.internal.GuardInterceptor;
import io.irisx.webhooks.internal.GuardedDns;
import io.irisx.webhooks.internal.GuardedSocketFactory;
import io.irisx.core.net.IpLiterals;
import java.net.InetAddress;
import java.net.Proxy;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Dns;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * Keeps outbound webhooks away from the host's own network (server-side request forgery); immutable and thread-safe,
 * meant to be built once and shared.
 *
 * <p>It checks twice. When a customer registers an endpoint, {@link #validateUrl(String)} refuses a URL that is not
 * plain http(s), carries credentials, or whose host means a forbidden address. At every delivery, an OkHttp client
 * set up by {@link #configure(OkHttpClient.Builder)} checks again, because DNS answers change: its {@link #dns()}
 * resolves the name, checks each address and hands OkHttp only those, so OkHttp connects to exactly the addresses
 * that were checked and a rebinding DNS server gets no second chance. OkHttp asks no {@code Dns} about a host
 * written as an IP address, so the client also checks each request's URL before connecting, and, as a last line,
 * its sockets refuse to dial a forbidden address whatever produced it (an interceptor added later, say).
 *
 * <p>A name is refused when <em>any</em> of its addresses is forbidden, rather than connecting to the allowed rest: a
 * public endpoint has no reason to publish a private address, so a mixed answer is a misconfiguration or a
 * rebinding attempt, and refusing it makes registration and delivery agree instead of failing now and then.
 *
 * <p>Hosts written as IPv4 addresses are read as browsers and {@code inet_aton} read them, so {@code 2130706433},
 * {@code 0x7f.1} and {@code 0177.0.0.1} are all judged as 127.0.0.1. A spelling that Java reads differently from a
 * browser (a part with a leading zero, a trailing dot) is refused even when it means a public address, since the
 * checked address and the dialled one could differ.
 */
public final class SsrfGuard {

    private static final Pattern SCHEME = Pattern.compile("^\\s*([a-zA-Z][a-zA-Z0-9+.-]*):");
    private static final Pattern USERINFO = Pattern.compile("^(\\s*[a-zA-Z][a-zA-Z0-9+.-]*:[/\\\\]*)[^/\\\\?#]*@");

    private final SsrfPolicy policy;
    private final HostResolver resolver;
    private final GuardChecks checks = new Checks();
    private final Dns dns = new GuardedDns(checks);
    private final GuardedSocketFactory socketFactory = new GuardedSocketFactory(checks);

    private SsrfGuard(SsrfPolicy policy, HostResolver resolver) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    /** A guard for {@code policy} that resolves names with {@link HostResolver#system()}. */
    public static SsrfGuard create(SsrfPolicy policy) {
        return new SsrfGuard(policy, HostResolver.system());
    }

    /** A guard for {@code policy} that resolves names with {@code resolver}. */
    public static SsrfGuard create(SsrfPolicy policy, HostResolver resolver) {
        return new SsrfGuard(policy, resolver);
    }

    /** The policy this guard enforces. */
    public SsrfPolicy policy() {
        return policy;
    }

    /**
     * Checks a webhook URL given at registration and returns it in canonical form, the form to store and deliver to.
     * It must be absolute http or https (https only, if the policy says so), name a host and a port from 1 to 65535,
     * carry no {@code user:password@}, and its host must resolve to allowed addresses only.
     *
     * @throws IrisxValidationException naming the field {@code url}, the URL (any credentials in it masked) and what
     *     is wrong
     */
    public HttpUrl validateUrl(String url) {
        Objects.requireNonNull(url, "url");
        // Redaction masks a password USERINFO misses: after a stray character before the scheme, or a single slash.
        String shown = Redaction.url(USERINFO.matcher(url).replaceFirst("$1***@"));
        Matcher scheme = SCHEME.matcher(url);
        if (!scheme.find()) {
            throw invalid(shown, "is not an absolute URL; expected one like https://example.com/webhooks");
        }
        String name = scheme.group(1).toLowerCase(Locale.ROOT);
        if (!name.equals("http") && !name.equals("https")) {
            throw invalid(shown, "must use http or https, not '" + name + "'");
        }
        if (policy.httpsOnly() && name.equals("http")) {
            throw invalid(shown, "must use https: the SSRF policy refuses plain http");
        }
        HttpUrl parsed;
        try {
            parsed = HttpUrl.get(url);
        } catch (IllegalArgumentException e) {
            throw invalid(shown, "is not a valid URL: " + e.getMessage());
        }
        if (!parsed.username().isEmpty() || !parsed.password().isEmpty()) {
            throw invalid(shown, "must not carry credentials (user:password@); receivers authenticate webhooks by "
                    + "their signature");
        }
        try {
            resolve(parsed.host());
        } catch (BlockedAddressException e) {
            throw invalid(shown, "is refused: '" + e.host() + "' means " + e.address().getHostAddress() + ", which is "
                    + e.reason() + "; webhooks may only reach public internet addresses");
        } catch (UnknownHostException e) {
            throw invalid(shown, "has a host that does not resolve: " + e.getMessage());
        }
        return parsed;
    }

    /**
     * The addresses of a webhook host, each checked: the address itself when the host is written as one, else what
     * the resolver answers.
     *
     * @param host a URL host; an IPv6 address with or without brackets
     * @throws BlockedAddressException when the host means a forbidden address, or any of its addresses is forbidden
     * @throws UnknownHostException when the name does not resolve, or is written as an IP address but is not a valid
     *     one (such as {@code 256.0.0.1})
     */
    public List<InetAddress> resolve(String host) throws UnknownHostException {
        Objects.requireNonNull(host, "host");
        Optional<InetAddress> literal;
        try {
            literal = IpLiterals.parseHost(host);
        } catch (IllegalArgumentException e) {
            throw new UnknownHostException("'" + host + "' " + e.getMessage());
        }
        if (literal.isPresent()) {
            InetAddress address = literal.get();
            refuseIfBlocked(host, address);
            if (IpLiterals.readsDifferentlyInJava(host)) {
                throw new BlockedAddressException(host, address, "ambiguous: written with a leading zero or a trailing dot, "
                        + "which Java reads as another address than browsers do; write it as four plain decimal numbers");
            }
            return List.of(address);
        }
        List<InetAddress> addresses = resolver.resolve(host);
        if (addresses == null || addresses.isEmpty()) {
            throw new UnknownHostException("'" + host + "' has no addresses");
        }
        for (InetAddress address : addresses) {
            refuseIfBlocked(host, address);
        }
        return List.copyOf(addresses);
    }

    /** OkHttp's name lookup through this guard: only checked addresses, refusal as an UnknownHostException. */
    public Dns dns() {
        return dns;
    }

    /**
     * Sets up an OkHttp client for webhook deliveries: each request's URL checked before connecting (its scheme, and
     * hosts written as IP addresses), names resolved through {@link #dns()}, sockets that refuse forbidden addresses,
     * no proxy (a proxy would resolve names itself, past the guard), redirects not followed (a
     * redirect is a failed delivery, and following one would reach a URL nobody validated). Changing these settings
     * on the builder afterwards undoes the guard; add any interceptor that rewrites URLs before calling this.
     *
     * @return {@code builder}, for chaining
     */
    public OkHttpClient.Builder configure(OkHttpClient.Builder builder) {
        return builder.addInterceptor(new GuardInterceptor(checks))
                .dns(dns)
                .socketFactory(socketFactory)
                .proxy(Proxy.NO_PROXY)
                .followRedirects(false)
                .followSslRedirects(false);
    }

    @Override
    public String toString() {
        return "SsrfGuard[" + policy + "]";
    }

    private void refuseIfBlocked(String host, InetAddress address) {
        Optional<String> reason = policy.blockReason(address);
        if (reason.isPresent()) {
            throw new BlockedAddressException(host, address, reason.get());
        }
    }

    private static IrisxValidationException invalid(String url, String problem) {
        return new IrisxValidationException("url", url, problem);
    }

    /** This guard's checks as its OkHttp wiring asks them, refusing with {@link BlockedAddressException}. */
    private final class Checks implements GuardChecks {

        @Override
        public boolean httpsOnly() {
            return policy.httpsOnly();
        }

        @Override
        public List<InetAddress> resolve(String host) throws UnknownHostException {
            return SsrfGuard.this.resolve(host);
        }

        @Override
        public Optional<IrisxException> refusal(String host, InetAddress address) {
            return policy.blockReason(address).map(reason -> new BlockedAddressException(host, address, reason));
        }
    }
}
