package io.irisx.webhooks.endpoint;

import io.irisx.webhooks.internal.store.EndpointRules;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A partial change to a webhook endpoint: only what was set changes; immutable and thread-safe. The setters check
 * each value as {@link EndpointSpec.Builder}'s do, and {@link WebhookEndpoints#update} checks a new URL and event
 * types as {@link WebhookEndpoints#create} does.
 */
public final class EndpointUpdate {

    private final Optional<String> url;
    private final Optional<String> description;
    private final Optional<Set<String>> eventTypes;
    private final Optional<Set<String>> labels;
    private final Optional<Map<String, String>> headers;
    private final Optional<OptionalInt> rateLimitPerSecond;
    private final Optional<OptionalInt> maxConcurrency;

    private EndpointUpdate(Builder builder) {
        this.url = builder.url;
        this.description = builder.description;
        this.eventTypes = builder.eventTypes;
        this.labels = builder.labels;
        this.headers = builder.headers;
        this.rateLimitPerSecond = builder.rateLimitPerSecond;
        this.maxConcurrency = builder.maxConcurrency;
    }

    /** A builder of an update that changes nothing until told. */
    public static Builder builder() {
        return new Builder();
    }

    /** The new URL, if it changes. */
    public Optional<String> url() {
        return url;
    }

    /** The new description, if it changes. */
    public Optional<String> description() {
        return description;
    }

    /** The new event type filter (empty for every type), if it changes. */
    public Optional<Set<String>> eventTypes() {
        return eventTypes;
    }

    /** The new labels, if they change. */
    public Optional<Set<String>> labels() {
        return labels;
    }

    /** The new headers (replacing all the old ones), if they change. */
    public Optional<Map<String, String>> headers() {
        return headers;
    }

    /** The new rate limit (empty for none), if it changes. */
    public Optional<OptionalInt> rateLimitPerSecond() {
        return rateLimitPerSecond;
    }

    /** The new concurrency limit (empty for none), if it changes. */
    public Optional<OptionalInt> maxConcurrency() {
        return maxConcurrency;
    }

    /** Whether the update changes nothing. */
    public boolean isEmpty() {
        return url.isEmpty() && description.isEmpty() && eventTypes.isEmpty() && labels.isEmpty()
                && headers.isEmpty() && rateLimitPerSecond.isEmpty() && maxConcurrency.isEmpty();
    }

    @Override
    public String toString() {
        return "EndpointUpdate[" + (url.isPresent() ? "url " : "") + (description.isPresent() ? "description " : "")
                + (eventTypes.isPresent() ? "eventTypes " : "") + (labels.isPresent() ? "labels " : "")
                + (headers.isPresent() ? "headers " : "") + (rateLimitPerSecond.isPresent() ? "rateLimit " : "")
                + (maxConcurrency.isPresent() ? "maxConcurrency" : "") + "]";
    }

    /** Builds an {@link EndpointUpdate}; not thread-safe. {@link #build()} leaves the builder as it was. */
    public static final class Builder {

        private Optional<String> url = Optional.empty();
        private Optional<String> description = Optional.empty();
        private Optional<Set<String>> eventTypes = Optional.empty();
        private Optional<Set<String>> labels = Optional.empty();
        private Optional<Map<String, String>> headers = Optional.empty();
        private Optional<OptionalInt> rateLimitPerSecond = Optional.empty();
        private Optional<OptionalInt> maxConcurrency = Optional.empty();

        private Builder() {
        }

        /** Post to {@code url} from now on. */
        public Builder url(String url) {
            this.url = Optional.of(EndpointRules.url(Objects.requireNonNull(url, "url")));
            return this;
        }

        /** Replace the description. */
        public Builder description(String description) {
            this.description = Optional.of(EndpointRules.description(Objects.requireNonNull(description,
                    "description")));
            return this;
        }

        /** Receive only these event types from now on; none means every type. */
        public Builder eventTypes(Collection<String> eventTypes) {
            this.eventTypes = Optional.of(EndpointRules.eventTypes(Objects.requireNonNull(eventTypes, "eventTypes")));
            return this;
        }

        /** Receive only these event types from now on; none means every type. */
        public Builder eventTypes(String... eventTypes) {
            return eventTypes(Arrays.asList(eventTypes));
        }

        /** Receive every event type from now on. */
        public Builder allEventTypes() {
            this.eventTypes = Optional.of(Set.of());
            return this;
        }

        /** Replace the labels. */
        public Builder labels(Collection<String> labels) {
            this.labels = Optional.of(EndpointRules.labels(Objects.requireNonNull(labels, "labels")));
            return this;
        }

        /** Replace all the extra headers (an empty map removes them). */
        public Builder headers(Map<String, String> headers) {
            this.headers = Optional.of(EndpointRules.headers(Objects.requireNonNull(headers, "headers")));
            return this;
        }

        /** Send at most {@code perSecond} messages a second (1 to 100,000). */
        public Builder rateLimitPerSecond(int perSecond) {
            this.rateLimitPerSecond = Optional.of(OptionalInt.of(EndpointRules.rateLimitPerSecond(perSecond)));
            return this;
        }

        /** Remove the rate limit. */
        public Builder noRateLimit() {
            this.rateLimitPerSecond = Optional.of(OptionalInt.empty());
            return this;
        }

        /** Keep at most {@code maxConcurrency} deliveries in flight (1 to 1000). */
        public Builder maxConcurrency(int maxConcurrency) {
            this.maxConcurrency = Optional.of(OptionalInt.of(EndpointRules.maxConcurrency(maxConcurrency)));
            return this;
        }

        /** Remove the concurrency limit. */
        public Builder noMaxConcurrency() {
            this.maxConcurrency = Optional.of(OptionalInt.empty());
            return this;
        }

        /** The update. */
        public EndpointUpdate build() {
            return new EndpointUpdate(this);
        }
    }
}
