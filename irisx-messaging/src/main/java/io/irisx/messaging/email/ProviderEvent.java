package io.irisx.messaging.email;

import java.time.Instant;
import java.util.Objects;

/**
 * A provider's report about an email it accepted (delivered, bounced, deferred, complained, failed), normalised from
 * its own webhook format; immutable. {@link EmailClient#record(ProviderEvent)} applies it to the tenant's email the
 * provider's id names.
 *
 * @param provider the provider's name, as in the email's {@link Email#provider()}
 * @param providerMessageId the provider's id for the email
 * @param status what the provider reports
 * @param occurredAt when it happened, by the provider's report
 * @param detail what the provider said (a bounce reason, a diagnostic code), empty when nothing
 */
public record ProviderEvent(String provider, String providerMessageId, EmailStatus status, Instant occurredAt,
        String detail) {

    /** Checks every field; a provider reports neither QUEUED nor SENT, which only IRISX sets. */
    public ProviderEvent {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(providerMessageId, "providerMessageId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(detail, "detail");
        if (status == EmailStatus.QUEUED || status == EmailStatus.SENT) {
            throw new IllegalArgumentException("status must be one a provider reports after accepting, was " + status);
        }
    }
}
