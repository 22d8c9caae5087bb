package io.irisx.messaging.email;

import io.irisx.core.IrisxValidationException;
import io.irisx.core.Page;
import io.irisx.core.PageRequest;
import io.irisx.core.TenantId;
import io.irisx.messaging.email.internal.EmailStore;
import io.irisx.messaging.email.internal.SuppressionRows;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One tenant's email suppression lists, one per {@link EmailStream}: no email of a stream is stored or sent to an
 * address on its list. Hard bounces and complaints the providers report put the recipient on both lists, unsubscribes
 * on the email's stream, in the transaction that records the report; the tenant adds, imports and removes addresses
 * here. Addresses are compared in lower case. Thread-safe; reached from {@link EmailClient#suppressions()}.
 */
public final class EmailSuppressions {

    private final EmailStore store;
    private final TenantId tenant;

    EmailSuppressions(EmailStore store, TenantId tenant) {
        this.store = store;
        this.tenant = tenant;
    }

    /** A page of {@code stream}'s suppressions, by address. */
    public Page<Suppression> list(EmailStream stream, PageRequest page) {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(page, "page");
        List<Suppression> fetched = store.database().withConnection(connection -> SuppressionRows.list(connection,
                tenant, stream, page.limit() + 1, page.after()));
        return Page.of(fetched, page, Suppression::address);
    }

    /** The suppression of {@code address} on {@code stream}, if it is suppressed there. */
    public Optional<Suppression> find(String address, EmailStream stream) {
        String checked = address("address", address);
        Objects.requireNonNull(stream, "stream");
        return store.database().withConnection(connection -> SuppressionRows.find(connection, tenant, stream,
                List.of(checked))).stream().findFirst();
    }

    /**
     * Suppresses {@code address} on {@code stream} by hand, with {@code note} as its detail.
     *
     * @return false when it already was suppressed there (its first reason stays)
     * @throws IrisxValidationException when {@code address} is not an email address
     */
    public boolean add(String address, EmailStream stream, String note) {
        String checked = address("address", address);
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(note, "note");
        return store.database().inTransaction(connection -> SuppressionRows.add(connection, tenant, stream, checked,
                Suppression.Reason.MANUAL, "", note, store.clock().millis()));
    }

    /**
     * Suppresses every address of {@code addresses} on {@code stream}, in one transaction, with {@code source} (the
     * list's name, say) as their source; every address is checked first, and one that is not an address refuses the
     * whole import.
     *
     * @return how many were not suppressed there before
     * @throws IrisxValidationException naming the first address that is not one ({@code addresses[i]})
     */
    public int importAll(Collection<String> addresses, EmailStream stream, String source) {
        Objects.requireNonNull(addresses, "addresses");
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(source, "source");
        List<String> checked = new java.util.ArrayList<>();
        int i = 0;
        for (String address : addresses) {
            checked.add(address("addresses[" + i++ + "]", address));
        }
        long now = store.clock().millis();
        return store.database().inTransaction(connection -> {
            int added = 0;
            for (String address : checked) {
                if (SuppressionRows.add(connection, tenant, stream, address, Suppression.Reason.MANUAL,
                        "import: " + source, "", now)) {
                    added++;
                }
            }
            return added;
        });
    }

    /** Takes {@code address} off {@code stream}'s list; false when it was not on it. */
    public boolean remove(String address, EmailStream stream) {
        String checked = address("address", address);
        Objects.requireNonNull(stream, "stream");
        return store.database().inTransaction(connection -> SuppressionRows.remove(connection, tenant, stream,
                checked));
    }

    private static String address(String field, String address) {
        if (address == null) {
            throw new IrisxValidationException(field, null, "must not be null");
        }
        return EmailAddress.check(field, address.strip()).toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return "EmailSuppressions[" + tenant + "]";
    }
}
