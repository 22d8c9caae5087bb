package io.irisx.messaging.email.smtp;

import io.irisx.messaging.email.internal.DkimSigner;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How an {@link SmtpProvider} signs outgoing mail with DKIM (RFC 6376): the signing domain ({@code d=}), the
 * selector ({@code s=}), the key, and the header fields signed; immutable and thread-safe.
 *
 * <p>Every message the provider sends gets one {@code DKIM-Signature} field, {@code rsa-sha256} or
 * {@code ed25519-sha256} (RFC 8463) as the key is, with relaxed/relaxed canonicalization, {@code t=} the time the
 * message is dated, covering the whole body ({@code l=} is not used). Receivers look the public key up at
 * {@code <selector>._domainkey.<domain>} in DNS, a TXT record {@code v=DKIM1; k=rsa; p=<base64 SubjectPublicKeyInfo>}
 * or {@code v=DKIM1; k=ed25519; p=<base64 of the 32-byte public key>}. For DMARC the domain should be the From
 * address's domain or a parent of it.
 *
 * <p>Of the header names listed, only those the message has are signed, each instance of one; {@code From} is always
 * among them. The default list, {@link #DEFAULT_SIGNED_HEADERS}, includes {@code List-Unsubscribe} and
 * {@code List-Unsubscribe-Post}, which RFC 8058 §4 requires to be signed when a message has them.
 *
 * <pre>{@code
 * SmtpProvider smtp = SmtpProvider.builder("smtp.example.com", 587)
 *         .dkim(Dkim.builder("acme.example", "mail2026", DkimKey.fromPem(pem)).build())
 *         .build();
 * }</pre>
 */
public final class Dkim {

    /**
     * The header fields signed by default: From, To, Cc, Subject, Date, Message-ID, MIME-Version, Content-Type,
     * Reply-To, List-Unsubscribe and List-Unsubscribe-Post.
     */
    public static final List<String> DEFAULT_SIGNED_HEADERS = List.of("From", "To", "Cc", "Subject", "Date",
            "Message-ID", "MIME-Version", "Content-Type", "Reply-To", "List-Unsubscribe", "List-Unsubscribe-Post");

    /** One DNS label: letters, digits and hyphens, not at either end, 1-63 characters (RFC 5321's sub-domain). */
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    /** A header field name: printable ASCII without the colon (RFC 5322 §3.6.8). */
    private static final Pattern FIELD_NAME = Pattern.compile("[!-9;-~]{1,76}");
    private static final int LONGEST_NAME = 253;

    private final String domain;
    private final String selector;
    private final DkimKey key;
    private final List<String> signedHeaders;
    private final DkimSigner signer;

    private Dkim(Builder builder) {
        this.domain = builder.domain;
        this.selector = builder.selector;
        this.key = builder.key;
        this.signedHeaders = builder.signedHeaders;
        this.signer = new DkimSigner(domain, selector, key.privateKey(), signedHeaders);
    }

    /**
     * A builder signing for {@code domain} ({@code d=}) with {@code key}, whose public key is published under
     * {@code selector} ({@code s=}).
     *
     * @throws IllegalArgumentException when the domain or the selector is not a DNS name (ASCII: an international
     *     domain is given in its {@code xn--} form)
     */
    public static Builder builder(String domain, String selector, DkimKey key) {
        return new Builder(domain, selector, key);
    }

    /** The signing domain, {@code d=}. */
    public String domain() {
        return domain;
    }

    /** The selector, {@code s=}. */
    public String selector() {
        return selector;
    }

    /** The key. */
    public DkimKey key() {
        return key;
    }

    /** The header field names signed where the message has them, {@code From} first. */
    public List<String> signedHeaders() {
        return signedHeaders;
    }

    DkimSigner signer() {
        return signer;
    }

    /** The domain, the selector and the algorithm; never the key. */
    @Override
    public String toString() {
        return "Dkim[d=" + domain + " s=" + selector + " a=" + key.algorithm() + "]";
    }

    /** Settings for {@link Dkim}; each setter checks its value at once. Not thread-safe. */
    public static final class Builder {
        private final String domain;
        private final String selector;
        private final DkimKey key;
        private List<String> signedHeaders = DEFAULT_SIGNED_HEADERS;

        private Builder(String domain, String selector, DkimKey key) {
            Objects.requireNonNull(domain, "domain");
            Objects.requireNonNull(selector, "selector");
            this.key = Objects.requireNonNull(key, "key");
            if (!isDnsName(domain) || domain.indexOf('.') < 0) {
                throw new IllegalArgumentException("domain must be a DNS domain name such as 'acme.example'"
                        + " (ASCII; an international domain in its xn-- form), was '" + shown(domain) + "'");
            }
            if (!isDnsName(selector)) {
                throw new IllegalArgumentException("selector must be one or more DNS labels such as 'mail2026'"
                        + " (letters, digits, hyphens), was '" + shown(selector) + "'");
            }
            if ((selector + "._domainkey." + domain).length() > LONGEST_NAME) {
                throw new IllegalArgumentException("selector and domain make a DNS name longer than " + LONGEST_NAME
                        + " characters: '" + selector + "._domainkey." + domain + "'");
            }
            this.domain = domain;
            this.selector = selector;
        }

        /**
         * The header field names to sign where the message has them, replacing {@link #DEFAULT_SIGNED_HEADERS};
         * {@code From} is added first when the list lacks it.
         *
         * @throws IllegalArgumentException when a name is not a header field name, is listed twice (in any case), or
         *     is {@code DKIM-Signature}
         */
        public Builder signedHeaders(List<String> names) {
            Objects.requireNonNull(names, "names");
            List<String> checked = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (String name : names) {
                Objects.requireNonNull(name, "signedHeaders contains null");
                if (!FIELD_NAME.matcher(name).matches()) {
                    throw new IllegalArgumentException("signedHeaders: '" + shown(name) + "' is not a header field"
                            + " name (1-76 printable ASCII characters without ':' or spaces)");
                }
                String lower = name.toLowerCase(Locale.ROOT);
                if (lower.equals("dkim-signature")) {
                    throw new IllegalArgumentException("signedHeaders: 'DKIM-Signature' is the signature itself;"
                            + " it is not listed");
                }
                if (!seen.add(lower)) {
                    throw new IllegalArgumentException("signedHeaders: '" + name + "' is listed twice");
                }
                checked.add(name);
            }
            if (!seen.contains("from")) {
                checked.add(0, "From"); // RFC 6376 §5.4: From must always be signed
            }
            this.signedHeaders = List.copyOf(checked);
            return this;
        }

        /**
         * The settings.
         *
         * @throws IllegalArgumentException when the JDK refuses to sign with the key
         */
        public Dkim build() {
            return new Dkim(this);
        }

        private static boolean isDnsName(String name) {
            if (name.isEmpty() || name.length() > LONGEST_NAME) {
                return false;
            }
            for (String label : name.split("\\.", -1)) {
                if (!LABEL.matcher(label).matches()) {
                    return false;
                }
            }
            return true;
        }

        /** The value with control characters shown as '?', cut at 80 characters. */
        private static String shown(String value) {
            String cut = value.length() > 80 ? value.substring(0, 80) + "…" : value;
            return cut.chars().map(c -> c < 0x20 || c == 0x7f ? '?' : c)
                    .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        }
    }
}
