package io.irisx.spring.boot;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * The {@code irisx.*} properties the auto-configured runtime is built from. Bound once at startup and then only
 * read; not thread-safe while being bound. Values are checked when the runtime is built, each by the IRISX builder
 * it goes to: a refused value stops the application with an {@link IrisxPropertyException} naming the property
 * (and never a secret's value).
 */
@ConfigurationProperties(prefix = "irisx")
public class IrisxProperties {

    /** Whether to build the IRISX runtime at all. */
    private boolean enabled = true;

    /**
     * Where the embedded default keeps its H2 database and generated sealing key, when the application has no
     * DataSource.
     */
    private Path dataDirectory = Path.of("irisx-data");

    /**
     * The keys that seal stored secrets: one keyId=base64key per line (32 bytes in base64, e.g. from 'openssl rand
     * -base64 32'), the first being the primary. Required when IRISX stores in the application's DataSource, unless
     * the application defines a SealingKeys bean (which is then used instead); the embedded default generates one
     * beside its database.
     */
    private String sealingKeys;

    /**
     * How far behind a channel may fall (its most overdue work, or the relay's oldest unpublished work) before the
     * runtime's health calls it DEGRADED.
     */
    private Duration maxLag = Duration.ofMinutes(1);

    /** The durable queue between sends and workers. */
    private final Outbox outbox = new Outbox();

    /** The health indicator, with Spring Boot Actuator. */
    private final Health health = new Health();

    /** The webhooks module, installed when io.irisx:irisx-webhooks is on the class path. */
    private final Webhooks webhooks = new Webhooks();

    /** The email module, installed when io.irisx:irisx-messaging is on the class path and configured. */
    @NestedConfigurationProperty
    private final EmailProperties email = new EmailProperties();

    /** The SMS module, installed when io.irisx:irisx-messaging is on the class path and configured. */
    @NestedConfigurationProperty
    private final SmsProperties sms = new SmsProperties();

    /** The voice module, installed when io.irisx:irisx-voice is on the class path and configured. */
    @NestedConfigurationProperty
    private final VoiceProperties voice = new VoiceProperties();

    /** Each tenant's rate limits, per channel and stage; nothing is limited unless set. */
    @NestedConfigurationProperty
    private final RateLimitProperties rateLimits = new RateLimitProperties();

    /** The default prices of metered usage; IRISX's own (in US dollars) for what is unset. */
    @NestedConfigurationProperty
    private final PriceProperties prices = new PriceProperties();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Path getDataDirectory() {
        return dataDirectory;
    }

    public void setDataDirectory(Path dataDirectory) {
        this.dataDirectory = dataDirectory;
    }

    public String getSealingKeys() {
        return sealingKeys;
    }

    public void setSealingKeys(String sealingKeys) {
        this.sealingKeys = sealingKeys;
    }

    public Duration getMaxLag() {
        return maxLag;
    }

    public void setMaxLag(Duration maxLag) {
        this.maxLag = maxLag;
    }

    public Outbox getOutbox() {
        return outbox;
    }

    public Health getHealth() {
        return health;
    }

    public Webhooks getWebhooks() {
        return webhooks;
    }

    public EmailProperties getEmail() {
        return email;
    }

    public SmsProperties getSms() {
        return sms;
    }

    public VoiceProperties getVoice() {
        return voice;
    }

    public RateLimitProperties getRateLimits() {
        return rateLimits;
    }

    public PriceProperties getPrices() {
        return prices;
    }

    /** Which outbox queues the work. */
    public enum OutboxType {
        /** The outbox table, worked from the database ({@code JdbcOutbox}): no broker. */
        JDBC,
        /** The outbox table relayed to NATS JetStream ({@code JetStreamOutbox}, from io.irisx:irisx-queue). */
        JETSTREAM
    }

    /** {@code irisx.outbox.*}. */
    public static class Outbox {

        /** Which outbox queues the work: jdbc (the database alone) or jetstream (needs io.irisx:irisx-queue). */
        private OutboxType type = OutboxType.JDBC;

        /** The JetStream outbox, when irisx.outbox.type is jetstream. */
        private final Jetstream jetstream = new Jetstream();

        public OutboxType getType() {
            return type;
        }

        public void setType(OutboxType type) {
            this.type = type;
        }

        public Jetstream getJetstream() {
            return jetstream;
        }
    }

    /** {@code irisx.outbox.jetstream.*}. */
    public static class Jetstream {

        /** The NATS server or cluster seeds: nats://host:port or tls://host:port, comma-separated. */
        private String url = "nats://127.0.0.1:4222";

        /** Copies of each stream in a cluster, 1 to 5: 1 for one server, 3 for a three-node cluster. */
        private int replicas = 1;

        /**
         * A prefix for every stream, subject and consumer, so that several IRISX installations share one NATS
         * account: up to 32 letters, digits, '_' or '-'; empty for none.
         */
        private String namespace = "";

        public String getUrl() {
            return url;
        }

        public void setUrl(String url) {
            this.url = url;
        }

        public int getReplicas() {
            return replicas;
        }

        public void setReplicas(int replicas) {
            this.replicas = replicas;
        }

        public String getNamespace() {
            return namespace;
        }

        public void setNamespace(String namespace) {
            this.namespace = namespace;
        }
    }

    /** {@code irisx.health.*}. */
    public static class Health {

        /**
         * The Actuator status reported while IRISX works but falls behind or fails over (its DEGRADED): UP by
         * default, so that readiness stays green; a custom code such as DEGRADED must also be added to
         * management.endpoint.health.status.order.
         */
        private String degradedStatus = "UP";

        public String getDegradedStatus() {
            return degradedStatus;
        }

        public void setDegradedStatus(String degradedStatus) {
            this.degradedStatus = degradedStatus;
        }
    }

    /** {@code irisx.webhooks.*}. */
    public static class Webhooks {

        /** Whether to install the webhooks module when io.irisx:irisx-webhooks is on the class path. */
        private boolean enabled = true;

        /**
         * Whether this process only fans events out and manages endpoints, leaving the deliveries to other
         * processes.
         */
        private boolean sendOnly;

        /** Deliveries in flight at once in this process, 1 to 1024 (IRISX's default, 32, when unset). */
        private Integer concurrency;

        /** Which addresses webhook endpoints may have. */
        private final Ssrf ssrf = new Ssrf();

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public boolean isSendOnly() {
            return sendOnly;
        }

        public void setSendOnly(boolean sendOnly) {
            this.sendOnly = sendOnly;
        }

        public Integer getConcurrency() {
            return concurrency;
        }

        public void setConcurrency(Integer concurrency) {
            this.concurrency = concurrency;
        }

        public Ssrf getSsrf() {
            return ssrf;
        }
    }

    /** {@code irisx.webhooks.ssrf.*}: by default only public addresses are reached. */
    public static class Ssrf {

        /** Subnets in CIDR notation (or single addresses) webhooks may reach although they are not public. */
        private List<String> allow = new ArrayList<>();

        /** Whether webhook URLs must use https. */
        private boolean httpsOnly;

        public List<String> getAllow() {
            return allow;
        }

        public void setAllow(List<String> allow) {
            this.allow = allow;
        }

        public boolean isHttpsOnly() {
            return httpsOnly;
        }

        public void setHttpsOnly(boolean httpsOnly) {
            this.httpsOnly = httpsOnly;
        }
    }
}
