package io.irisx.core;

import io.irisx.core.credit.CreditLedger;
import io.irisx.core.id.MessageId;
import io.irisx.core.outbox.DeadLetter;
import io.irisx.core.outbox.DeadLetters;
import io.irisx.core.spi.IrisxModule;
import io.irisx.core.tenant.ApiKey;
import io.irisx.core.tenant.ApiKeys;
import io.irisx.core.usage.Usage;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The IRISX runtime seen by one tenant; thread-safe. Every operation reached through it, and through the installed
 * modules' entry points given it ({@code EmailClient.of(tenant)}, {@code SmsClient.of(tenant)},
 * {@code WebhookEndpoints.of(tenant)}), reads and writes that tenant's rows only, so a host that obtains a
 * {@code Tenant} per request cannot leak one customer's data to another. It does not hand out the runtime.
 *
 * <p>A view is live or in test mode ({@link #mode()}). The view of a test API key
 * ({@code irisx.apiKeys().authenticate("irx_test_…").tenant()}), or {@link #testMode()}, is in test mode: the email,
 * SMS and calls it sends are stored marked as test and go only to each module's test providers (or, without any, to
 * the module's built-in sandbox, which calls no one), never to a real provider; they are not metered as billable
 * usage and reserve no prepaid credit. Everything else it
 * reaches (reads, lists, usage, credit) is the tenant's own, as through a live view.
 */
public final class Tenant {

    private final Irisx irisx;
    private final TenantId id;
    private final ApiKey.Mode mode;

    Tenant(Irisx irisx, TenantId id, ApiKey.Mode mode) {
        this.irisx = irisx;
        this.id = id;
        this.mode = mode;
    }

    /** This tenant's id. */
    public TenantId id() {
        return id;
    }

    /** Whether this view sends for real ({@link ApiKey.Mode#LIVE}) or for the tenant's tests ({@link ApiKey.Mode#TEST}). */
    public ApiKey.Mode mode() {
        return mode;
    }

    /** Whether this view is in test mode: its sends never reach a real provider and are not billed. */
    public boolean isTest() {
        return mode == ApiKey.Mode.TEST;
    }

    /**
     * This tenant's view in test mode, for a host without API keys (or for its own integration tests): its email,
     * SMS and calls go to the modules' test providers only, are stored marked as test, and are neither metered nor
     * reserved against prepaid credit.
     */
    public Tenant testMode() {
        return mode == ApiKey.Mode.TEST ? this : new Tenant(irisx, id, ApiKey.Mode.TEST);
    }

    /**
     * The installed module of {@code type}, for the module's tenant-scoped entry point (such as
     * {@code EmailClient.of(tenant)}), which hands it this tenant; a module's public methods take a {@code Tenant}.
     *
     * @throws IllegalStateException when no module of {@code type} is installed in the runtime, or it is closed
     */
    public <M extends IrisxModule> M module(Class<M> type) {
        return irisx.module(Objects.requireNonNull(type, "type"));
    }

    /** This tenant's API keys for the host's own API. */
    public ApiKeys apiKeys() {
        return irisx.apiKeys().of(id);
    }

    /**
     * This tenant's metered usage: its records (each with its idempotency key, for an external biller), its sums per
     * unit and day or month, and what it costs at the runtime's {@linkplain Irisx#prices() prices}.
     */
    public Usage usage() {
        return irisx.usage(id);
    }

    /**
     * This tenant's prepaid credit: its billing mode, balance, ledger, reservations and top-ups, in the runtime's
     * database.
     */
    public CreditLedger credit() {
        return new CreditLedger(irisx.database(), irisx.clock(), id);
    }

    /** A page of this tenant's dead letters on {@code channel}, oldest first. */
    public Page<DeadLetter> deadLetters(Channel channel, PageRequest page) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(page, "page");
        List<DeadLetter> fetched = deadLetterStore().list(id, channel, page.limit() + 1, page.cursor(MessageId::parse));
        return Page.of(fetched, page, letter -> letter.envelope().id().value());
    }

    /** This tenant's dead letter for {@code message}, if any. */
    public Optional<DeadLetter> deadLetter(MessageId message) {
        return deadLetterStore().find(id, message);
    }

    /** Queues a dead letter's work again with fresh tries; throws {@link NotFoundException} if this tenant has none. */
    public void replayDeadLetter(MessageId message) {
        if (!deadLetterStore().replay(id, message)) {
            throw new NotFoundException("dead letter", message.value());
        }
    }

    /** Deletes a dead letter for good; throws {@link NotFoundException} if this tenant has none. */
    public void purgeDeadLetter(MessageId message) {
        if (!deadLetterStore().purge(id, message)) {
            throw new NotFoundException("dead letter", message.value());
        }
    }

    private DeadLetters deadLetterStore() {
        return irisx.outbox().deadLetters();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Tenant that && that.irisx == irisx && that.id.equals(id) && that.mode == mode;
    }

    @Override
    public int hashCode() {
        return Objects.hash(System.identityHashCode(irisx), id, mode);
    }

    @Override
    public String toString() {
        return "Tenant[" + id + (mode == ApiKey.Mode.TEST ? ", test" : "") + "]";
    }
}
