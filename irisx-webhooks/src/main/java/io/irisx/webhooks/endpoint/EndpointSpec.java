package io.irisx.webhooks.endpoint;

import io.irisx.webhooks.internal.store.EndpointRules;
import io.irisx.webhooks.signing.WebhookSecret;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * What a customer asks for when creating a webhook endpoint; immutable and thread-safe. Built with
 * {@link #builder(String)}, whose setters check each value at once and throw
 * {@link io.irisx.core.IrisxValidationException} naming the field and the value (a secret redacted).
 * {@link WebhookEndpoints#create} then checks the URL with the SSRF guard and the event types against the catalogue.
 */
public final class EndpointSpec {

    private final String url;
    private final String description;
    private final Set<String> eventTypes;
    private final Set<String> labels;
    private final Map<String, String> headers;
    private final OptionalInt rateLimitPerSecond;
    private final OptionalInt maxConcurrency;
    private final Optional<WebhookSecret> secret;
    private final boolean testMode;

    private EndpointSpec(Builder builder) {
        this.url = builder.url;
        this.description = builder.description;
        this.eventTypes = builder.eventTypes;
        this.labels = builder.labels;
        this.headers = builder.headers;
        this.rateLimitPerSecond = builder.rateLimitPerSecond;
        this.maxConcurrency = builder.maxConcurrency;
        this.secret = builder.secret;
        this.testMode = builder.testMode;
    }

    /** A builder for an endpoint posting to {@code url}, receiving every event type, with a generated secret. */
    public static Builder builder(String url) {
        return new Builder(url);
    }

    /** The URL, as given (the SSRF guard canonicalises it at creation). */
    public String url() {
        return url;
    }

    /** The customer's note; empty unless set. */
    public String description() {
        return description;
    }

    /** The event types to receive; empty for every type. */
    public Set<String> eventTypes() {
        return eventTypes;
    }

    /** The host's labels for the endpoint. */
    public Set<String> labels() {
        return labels;
    }

    /** Extra headers to send with every message. */
    public Map<String, String> headers() {
        return headers;
    }

    /** The most messages per second to send the endpoint, when limited. */
    public OptionalInt rateLimitPerSecond() {
        return rateLimitPerSecond;
    }

    /** The most deliveries in flight to the endpoint at once, when limited. */
    public OptionalInt maxConcurrency() {
        return maxConcurrency;
    }

    /** The signing secret to use; empty to generate one. */
    public Optional<WebhookSecret> secret() {
        return secret;
    }

    /**
     * Whether the endpoint is to be a test endpoint, receiving only the events of test-mode work; false (live,
     * receiving only the other events) unless set.
     */
    public boolean testMode() {
        return testMode;
    }

    @Override
    public String toString() {
        return "EndpointSpec[" + url + " eventTypes=" + (eventTypes.isEmpty() ? "all" : eventTypes) + " headers="
                + headers.keySet() + (testMode ? " test" : "")
                + (secret.isPresent() ? " secret=given]" : " secret=generated]");
    }

    /** Builds an {@link EndpointSpec}; not thread-safe. {@link #build()} leaves the builder as it was. */
    public static final class Builder {

        private String url;
        private String description = "";
        private Set<String> eventTypes = Set.of();
        private Set<String> labels = Set.of();
        private Map<String, String> headers = Map.of();
        private OptionalInt rateLimitPerSecond = OptionalInt.empty();
        private OptionalInt maxConcurrency = OptionalInt.empty();
        private Optional<WebhookSecret> secret = Optional.empty();
        private boolean testMode;

        private Builder(String url) {
            url(url);
        }

        /** Where to post messages: an absolute http or https URL of at most 2048 characters. */
        public Builder url(String url) {
            this.url = EndpointRules.url(Objects.requireNonNull(url, "url"));
            return this;
        }

        /** A note for the customer, at most 1000 characters. */
        public Builder description(String description) {
            this.description = EndpointRules.description(Objects.requireNonNull(description, "description"));
            return this;
        }

        /** The event types to receive, by wire name ({@code email.delivered}); none means every type. */
        public Builder eventTypes(Collection<String> eventTypes) {
            this.eventTypes = EndpointRules.eventTypes(Objects.requireNonNull(eventTypes, "eventTypes"));
            return this;
        }

        /** The event types to receive, by wire name ({@code email.delivered}); none means every type. */
        public Builder eventTypes(String... eventTypes) {
            return eventTypes(Arrays.asList(eventTypes));
        }

        /** Receive every event type, present and future (the default). */
        public Builder allEventTypes() {
            this.eventTypes = Set.of();
            return this;
        }

        /** The host's labels for the endpoint: at most 20, each 1-64 letters, digits, '.', '_', ':' or '-'. */
        public Builder labels(Collection<String> labels) {
            this.labels = EndpointRules.labels(Objects.requireNonNull(labels, "labels"));
            return this;
        }

        /**
         * Extra headers to send with every message: at most 20; no {@code webhook-*}, {@code content-type},
         * {@code content-length}, {@code host}, {@code transfer-encoding}, {@code connection} or {@code user-agent};
         * names are RFC 9110 tokens, values visible ASCII, spaces and tabs (what the HTTP client can send: no CR,
         * LF or other control character, no non-ASCII letter); a credential header's value is never shown in a
         * refusal.
         */
        public Builder headers(Map<String, String> headers) {
            this.headers = EndpointRules.headers(Objects.requireNonNull(headers, "headers"));
            return this;
        }

        /** Send at most {@code perSecond} messages a second to the endpoint (1 to 100,000). */
        public Builder rateLimitPerSecond(int perSecond) {
            this.rateLimitPerSecond = OptionalInt.of(EndpointRules.rateLimitPerSecond(perSecond));
            return this;
        }

        /** Keep at most {@code maxConcurrency} deliveries in flight to the endpoint (1 to 1000). */
        public Builder maxConcurrency(int maxConcurrency) {
            this.maxConcurrency = OptionalInt.of(EndpointRules.maxConcurrency(maxConcurrency));
            return this;
        }

        /**
         * Sign with this secret instead of a generated one.
         *
         * @throws io.irisx.core.IrisxValidationException (field {@code secret}, value redacted) when it holds fewer
         *     than 24 bytes
         */
        public Builder secret(WebhookSecret secret) {
            this.secret = Optional.of(EndpointRules.givenSecret(Objects.requireNonNull(secret, "secret")));
            return this;
        }

        /**
         * Sign with the secret written as {@code secret} ({@code whsec_<base64>}, or bare base64) instead of a
         * generated one.
         *
         * @throws io.irisx.core.IrisxValidationException (field {@code secret}, value redacted) when it is not one,
         *     or holds fewer than 24 bytes
         */
        public Builder secret(String secret) {
            return secret(WebhookSecret.parse(Objects.requireNonNull(secret, "secret")));
        }

        /**
         * Whether the endpoint is a test endpoint (default false, live). A test endpoint receives only the events of
         * test-mode work (a tenant's {@link io.irisx.core.Tenant#testMode() test view}, a test API key's), and its
         * deliveries are not metered; a live endpoint receives only live events. Set at creation, never changed.
         */
        public Builder testMode(boolean testMode) {
            this.testMode = testMode;
            return this;
        }

        /** The spec. */
        public EndpointSpec build() {
            return new EndpointSpec(this);
        }
    }
}
