package io.irisx.messaging.email.smtp;

import io.irisx.messaging.email.internal.ProviderHttp;
import io.irisx.messaging.email.spi.EmailProvider;
import io.irisx.messaging.email.spi.EmailReceipt;
import io.irisx.messaging.email.spi.OutgoingEmail;
import io.irisx.messaging.internal.ProviderSdk;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Properties;

/**
 * Sends email to an SMTP server (a relay, a provider's SMTP endpoint, a local MTA) with Jakarta Mail; thread-safe,
 * built once and shared. One mail {@link Session} is built with the provider; each send opens its own connection
 * (a {@link Transport}), sends one message and closes it, so concurrent sends share no connection state.
 *
 * <p>The envelope sender ({@code MAIL FROM}) is the email's From address; the envelope recipients are its To, Cc
 * and Bcc addresses, and Bcc is not written in the message. The provider's message id is the {@code Message-ID}
 * header it sent, derived from the IRISX message id, so a repeated send carries the same one. Failures are
 * classified by the server's reply code: 4xx (421, 450, 451, 452, 454) can succeed later, 5xx (535 bad
 * credentials, 550 refused sender, 554) cannot; refused connections, dropped connections and timeouts can. SMTP has
 * no idempotency key. Tags and metadata have no place in SMTP and are not sent.
 *
 * <p>With {@link Builder#dkim(Dkim)}, every message is signed with DKIM before it is sent: the signature covers the
 * bytes that go on the wire, and a message that cannot be signed is not sent.
 *
 * <pre>{@code
 * SmtpProvider smtp = SmtpProvider.builder("smtp.example.com", 587)
 *         .startTls(SmtpProvider.StartTls.REQUIRED)
 *         .credentials("relay-user", password)
 *         .build();
 * }</pre>
 */
public final class SmtpProvider implements EmailProvider {

    static final String NAME = "smtp";
    /** What this provider loads from angus-mail and the jars it brings: Jakarta Mail and Activation, implemented. */
    private static final List<String> SDK_CLASSES = List.of("jakarta.mail.Session", "jakarta.activation.DataHandler",
            "org.eclipse.angus.mail.smtp.SMTPTransport", "org.eclipse.angus.mail.util.MailStreamProvider",
            "org.eclipse.angus.activation.MailcapRegistryProviderImpl");

    /** Whether the connection is upgraded to TLS with {@code STARTTLS}. */
    public enum StartTls {
        /** Never: the connection stays plain (or is TLS from the start, with {@code implicitTls}). */
        OFF,
        /** When the server offers it; plain otherwise. */
        WHEN_OFFERED,
        /** Always: a server that does not offer it is refused. */
        REQUIRED
    }

    private final String host;
    private final int port;
    private final StartTls startTls;
    private final boolean implicitTls;
    private final String username;
    private final String password;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final Duration writeTimeout;
    private final String protocol;
    private final Dkim dkim;
    private final SmtpSession session;

    private SmtpProvider(Builder builder) {
        this.host = builder.host;
        this.port = builder.port;
        this.startTls = builder.startTls;
        this.implicitTls = builder.implicitTls;
        this.username = builder.username;
        this.password = builder.password;
        this.connectTimeout = builder.connectTimeout;
        this.readTimeout = builder.readTimeout;
        this.writeTimeout = builder.writeTimeout;
        this.protocol = implicitTls ? "smtps" : "smtp";
        this.dkim = builder.dkim;
        this.session = new SmtpSession(properties(), protocol, host, port, username, password, builder.clock,
                dkim == null ? null : dkim.signer());
    }

    /** A builder for a provider sending to the SMTP server at {@code host}:{@code port}. */
    public static Builder builder(String host, int port) {
        ProviderSdk.require(NAME, "angus-mail", SDK_CLASSES);
        return new Builder(host, port);
    }

    private Properties properties() {
        String prefix = "mail." + protocol + ".";
        Properties properties = new Properties();
        properties.setProperty("mail.transport.protocol", protocol);
        properties.setProperty(prefix + "host", host);
        properties.setProperty(prefix + "port", Integer.toString(port));
        properties.setProperty(prefix + "connectiontimeout", Long.toString(connectTimeout.toMillis()));
        properties.setProperty(prefix + "timeout", Long.toString(readTimeout.toMillis()));
        properties.setProperty(prefix + "writetimeout", Long.toString(writeTimeout.toMillis()));
        properties.setProperty(prefix + "auth", Boolean.toString(username != null));
        boolean upgrade = !implicitTls && startTls != StartTls.OFF;
        properties.setProperty(prefix + "starttls.enable", Boolean.toString(upgrade));
        properties.setProperty(prefix + "starttls.required", Boolean.toString(upgrade && startTls == StartTls.REQUIRED));
        properties.setProperty(prefix + "ssl.checkserveridentity", "true");
        return properties;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public EmailReceipt send(OutgoingEmail email) {
        Objects.requireNonNull(email, "email");
        return session.send(email);
    }

    @Override
    public String toString() {
        return "SmtpProvider[" + protocol + "://" + host + ":" + port + " startTls=" + startTls
                + (username == null ? "" : " username=" + username + " password=***")
                + " connectTimeout=" + connectTimeout + " readTimeout=" + readTimeout
                + (dkim == null ? "" : " dkim=" + dkim) + "]";
    }

    /** Settings for an {@link SmtpProvider}; each setter checks its value at once. Not thread-safe. */
    public static final class Builder {
        private final String host;
        private final int port;
        private StartTls startTls = StartTls.WHEN_OFFERED;
        private boolean implicitTls;
        private String username;
        private String password;
        private Duration connectTimeout = Duration.ofSeconds(30);
        private Duration readTimeout = Duration.ofSeconds(30);
        private Duration writeTimeout = Duration.ofSeconds(30);
        private Clock clock = Clock.systemUTC();
        private Dkim dkim;

        private Builder(String host, int port) {
            Objects.requireNonNull(host, "host");
            if (host.isBlank() || host.length() > 253
                    || host.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c) || c == '/')) {
                throw new IllegalArgumentException("host must be a host name or address, was '" + host + "'");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port must be 1-65535, was " + port);
            }
            this.host = host;
            this.port = port;
        }

        /** Whether to upgrade the connection with {@code STARTTLS}; {@link StartTls#WHEN_OFFERED} by default. */
        public Builder startTls(StartTls startTls) {
            this.startTls = Objects.requireNonNull(startTls, "startTls");
            return this;
        }

        /**
         * Whether the connection is TLS from its first byte ({@code smtps}, usually port 465), in which case STARTTLS
         * does not apply; false by default.
         */
        public Builder implicitTls(boolean implicitTls) {
            this.implicitTls = implicitTls;
            return this;
        }

        /** Authenticates with {@code username} and {@code password} ({@code AUTH}); none by default. */
        public Builder credentials(String username, String password) {
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(password, "password");
            if (username.isBlank() || username.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException("username must be non-blank without control characters, was '"
                        + username + "'");
            }
            if (password.isEmpty()) {
                throw new IllegalArgumentException("password must not be empty (value not shown)");
            }
            this.username = username;
            this.password = password;
            return this;
        }

        /** Sets the connect, read and write timeouts at once; each is 30 seconds by default. */
        public Builder timeout(Duration timeout) {
            ProviderHttp.checkTimeout(timeout);
            this.connectTimeout = timeout;
            this.readTimeout = timeout;
            this.writeTimeout = timeout;
            return this;
        }

        /** How long connecting may take. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = ProviderHttp.checkTimeout(timeout);
            return this;
        }

        /** How long the server may take to answer each command. */
        public Builder readTimeout(Duration timeout) {
            this.readTimeout = ProviderHttp.checkTimeout(timeout);
            return this;
        }

        /** How long writing each command or the message may take. */
        public Builder writeTimeout(Duration timeout) {
            this.writeTimeout = ProviderHttp.checkTimeout(timeout);
            return this;
        }

        /** The clock that dates the messages; the system clock by default. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Signs every message with DKIM as {@code dkim} says; no signature by default (the relay may sign instead).
         */
        public Builder dkim(Dkim dkim) {
            this.dkim = Objects.requireNonNull(dkim, "dkim");
            return this;
        }

        /**
         * A provider with these settings.
         *
         * @throws IllegalStateException when both implicit TLS and required STARTTLS are asked for
         */
        public SmtpProvider build() {
            if (implicitTls && startTls == StartTls.REQUIRED) {
                throw new IllegalStateException("implicitTls(true) is TLS from the start, without STARTTLS:"
                        + " startTls(StartTls.REQUIRED) contradicts it");
            }
            return new SmtpProvider(this);
        }
    }
}
