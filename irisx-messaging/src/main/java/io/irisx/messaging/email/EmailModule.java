package io.irisx.messaging.email;

import io.irisx.core.Channel;
import io.irisx.core.TenantId;
import io.irisx.core.tenant.TenantSettings;
import io.irisx.core.outbox.Outbox;
import io.irisx.core.spi.IrisxModule;
import io.irisx.core.spi.ModuleContext;
import io.irisx.core.store.Jdbc;
import io.irisx.messaging.email.internal.EmailSender;
import io.irisx.messaging.email.internal.EmailStore;
import io.irisx.messaging.email.internal.LinkKeys;
import io.irisx.messaging.email.internal.LinkStamper;
import io.irisx.messaging.email.spi.EmailProvider;
import io.irisx.messaging.internal.ReportMeters;
import io.irisx.messaging.internal.SendServices;
import io.irisx.messaging.internal.SenderModuleBuilder;
import io.irisx.messaging.internal.SenderSettings;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The email channel, installed into the runtime with {@code Irisx.builder().install(EmailModule.builder()…build())}:
 * it migrates the email tables, and, unless {@linkplain Builder#sendOnly() send-only}, works the outbox's EMAIL
 * channel in this process, sending each email through its tenant's provider chain (a worker the runtime stops when
 * it closes, whose provider circuits are a check of the runtime's health and, with a meter registry, metered).
 * Each tenant's email is reached with {@link EmailClient#of(io.irisx.core.Tenant)}. With a
 * {@linkplain Builder#links(String) links base URL}, marketing emails carry one-click unsubscribe links and tracked
 * emails open and click links, which {@link #links()} answers. Thread-safe once installed.
 */
public final class EmailModule implements IrisxModule {

    private final Builder settings;
    private volatile Installed installed;

    /** The worker of this module, once installed, unless send-only. */
    private volatile EmailSender sender;

    private EmailModule(Builder settings) {
        this.settings = settings;
    }

    /** A builder; give it the providers, or make the process {@linkplain Builder#sendOnly() send-only}. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return "email";
    }

    /** Deletes the tenant's rows of this module's tables. */
    @Override
    public void deleteTenant(Connection connection, TenantId tenant) throws SQLException {
        Jdbc.deleteTenantRows(connection, tenant, "irisx_email_attachments", "irisx_email_status_history",
                "irisx_email_links", "irisx_email_engagements", "irisx_email_link_keys",
                "irisx_email_webhook_tokens", "irisx_email_provider_events", "irisx_email_suppressions",
                "irisx_email_alerts", "irisx_email_templates", "irisx_email_messages");
    }

    /**
     * Refuses settings whose default email sender is not an address this module sends from (naming
     * {@code emailFrom}), or whose email provider chain names a provider not registered here (naming
     * {@code providerChain.email}; a send-only module cannot tell, and accepts it).
     */
    @Override
    public void checkSettings(TenantId tenant, TenantSettings tenantSettings) {
        tenantSettings.emailFrom().ifPresent(address -> {
            EmailAddress.check("emailFrom", address);
            EmailAddress.checkName("emailFromName", tenantSettings.emailFromName());
        });
        settings.checkSettings(tenantSettings);
    }

    /**
     * Forgets the email provider chain the worker keeps for {@code tenant}, whose settings this process changed: its next
     * email reads the stored chain again. Another process's change applies within
     * {@value io.irisx.messaging.internal.TenantChains#CACHE_SECONDS} seconds.
     */
    @Override
    public void settingsChanged(TenantId tenant) {
        EmailSender current = sender;
        if (current != null) {
            current.settingsChanged(tenant);
        }
    }

    @Override
    public synchronized void install(ModuleContext context) {
        if (installed != null) {
            throw new IllegalStateException("this EmailModule is installed already: build one for each runtime");
        }
        EmailStore store = EmailStore.create(context.database(), context.clock(), context.events(),
                settings.complaintAlerts, ReportMeters.of(context.meterRegistry(), "email"));
        LinkKeys keys = new LinkKeys(context.database(), context.sealer(), context.clock());
        Optional<LinkStamper> stamper = settings.clients.stamper(keys);
        settings.start(context, sender -> {
            EmailSender started = EmailSender.start(store, sender, context.outbox());
            this.sender = started;
            return started;
        });
        installed = new Installed(store, context.outbox(), SendServices.of(context), stamper,
                stamper.map(configured -> new EmailLinks(store, keys)));
    }

    /**
     * The handler of the unsubscribe and tracking links of this module's emails, for the host to mount at its
     * {@linkplain Builder#links(String) links base URL}.
     *
     * @throws IllegalStateException when the module is not installed, or has no links base URL
     */
    public EmailLinks links() {
        Installed current = installed();
        return current.links().orElseThrow(() -> new IllegalStateException("this EmailModule has no links: set"
                + " EmailModule.Builder.links(baseUrl)"));
    }

    private Installed installed() {
        Installed current = installed;
        if (current == null) {
            throw new IllegalStateException("this EmailModule is not installed: Irisx.builder().install(module)");
        }
        return current;
    }

    /** {@code tenant}'s client, in test mode when {@code test}. */
    EmailClient client(TenantId tenant, boolean test) {
        Installed current = installed();
        return settings.clients.build(current.store(), current.outbox(), tenant, current.stamper(),
                current.services(), test);
    }

    @Override
    public String toString() {
        return "EmailModule[" + settings + "]";
    }

    private record Installed(EmailStore store, Outbox outbox, SendServices services, Optional<LinkStamper> stamper,
            Optional<EmailLinks> links) {
    }

    /** Builds an {@link EmailModule}; each setter checks its value at once. Not thread-safe; build once. */
    public static final class Builder extends SenderModuleBuilder<EmailProvider, Builder> {
        private final EmailClient.Builder clients = EmailClient.builder();
        private ComplaintAlerts complaintAlerts = ComplaintAlerts.defaults();

        private Builder() {
            super("email", EmailProvider::name);
        }

        @Override
        protected Builder self() {
            return this;
        }

        /** The largest attachment, 1 byte to 40 MiB (default 10 MiB). */
        public Builder maxAttachmentBytes(long maxAttachmentBytes) {
            clients.maxAttachmentBytes(maxAttachmentBytes);
            return this;
        }

        /** The largest email, bodies and attachments together, 1 byte to 40 MiB (default 10 MiB). */
        public Builder maxTotalBytes(long maxTotalBytes) {
            clients.maxTotalBytes(maxTotalBytes);
            return this;
        }

        /** Whether a template variable the send does not give renders as empty text (default: it is an error). */
        public Builder allowMissingVariables(boolean allowMissingVariables) {
            clients.allowMissingVariables(allowMissingVariables);
            return this;
        }

        /** Who may not be sent to (default: no one is refused). */
        public Builder recipientFilter(RecipientFilter recipientFilter) {
            clients.recipientFilter(recipientFilter);
            return this;
        }

        /** When a sending domain's complaint rate raises an alert (default {@link ComplaintAlerts#defaults()}). */
        public Builder complaintAlerts(ComplaintAlerts complaintAlerts) {
            this.complaintAlerts = Objects.requireNonNull(complaintAlerts, "complaintAlerts");
            return this;
        }

        /**
         * Whether a send with suppressed recipients among others goes to the others, the suppressed ones dropped and
         * named in the email's history (default: false, the send is refused with {@link
         * io.irisx.core.SuppressedRecipientException}); a send whose recipients are all suppressed is always refused.
         */
        public Builder dropSuppressedRecipients(boolean dropSuppressedRecipients) {
            clients.dropSuppressedRecipients(dropSuppressedRecipients);
            return this;
        }

        /**
         * Where the links IRISX puts in emails point: {@code baseUrl/u/TOKEN} (unsubscribe), {@code baseUrl/o/TOKEN}
         * (open pixel) and {@code baseUrl/c/TOKEN} (click), which the host answers with {@link EmailModule#links()}.
         * Without it, {@link EmailStream#MARKETING} emails are refused, as each must carry its one-click unsubscribe
         * link (RFC 8058). Each tenant's tokens are signed with a key of its own, made on first use and stored sealed.
         *
         * @param baseUrl an {@code https} URL with a host, no query nor fragment, at most 200 characters of letters,
         *     digits and {@code . _ ~ : / % -}; a trailing slash is dropped
         * @throws IllegalArgumentException naming the value otherwise
         */
        public Builder links(String baseUrl) {
            clients.links(baseUrl);
            return this;
        }

        /**
         * Adds a {@code mailto:} link to each marketing email's {@code List-Unsubscribe} (RFC 2369):
         * {@code <mailto:ADDRESS?subject=unsubscribe-TOKEN>}, after the HTTPS one. The host receives the mail to that
         * mailbox and hands each subject to {@link EmailLinks#unsubscribeByMail(String)}. Needs {@link #links}.
         *
         * @throws IllegalArgumentException when {@code address} is not a plain address (letters, digits and
         *     {@code . _ + -} before the {@code @}), naming it
         */
        public Builder unsubscribeMailbox(String address) {
            clients.unsubscribeMailbox(address);
            return this;
        }

        /**
         * The tenants whose emails may be tracked (default: none): an email asking to be
         * ({@link EmailMessage.Builder#track(boolean)}) is tracked only when its tenant is accepted here, and is sent
         * untracked otherwise. It is asked at each send. Needs {@link #links}.
         */
        public Builder tracking(Predicate<TenantId> tenants) {
            clients.tracking(tenants);
            return this;
        }

        /**
         * The module.
         *
         * @throws IllegalStateException when no provider is registered and the module is not send-only, when a
         *     send-only module is given providers, when a chain names a provider that is not registered, or when an
         *     unsubscribe mailbox or tracking is set without links
         */
        public EmailModule build() {
            check();
            clients.check();
            return new EmailModule(this);
        }

        private void checkSettings(TenantSettings tenantSettings) {
            checkChain(tenantSettings, Channel.EMAIL);
        }

        private void start(ModuleContext context, Function<SenderSettings<EmailProvider>, EmailSender> start) {
            startWorker(context, start);
        }
    }
}
