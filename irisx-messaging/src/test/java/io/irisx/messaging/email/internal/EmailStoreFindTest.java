package io.irisx.messaging.email.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.irisx.core.Channel;
import io.irisx.core.TenantId;
import io.irisx.core.id.MessageId;
import io.irisx.core.outbox.Delivery;
import io.irisx.core.outbox.Envelope;
import io.irisx.core.testing.TestDatabases;
import io.irisx.messaging.MessagingFixture;
import io.irisx.messaging.email.Email;
import io.irisx.messaging.email.EmailAddress;
import io.irisx.messaging.email.EmailStatus;
import io.irisx.messaging.email.EmailStream;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The email a sender's try is for: the first try handed the very envelope object this process queued takes the
 * email as it was stored; every other delivery reads the row. Each test changes the row behind the store's back, so
 * that which of the two a try got shows.
 */
class EmailStoreFindTest {

    private static final TenantId ACME = TenantId.of("acme");

    private MessagingFixture fixture;
    private EmailStore store;

    @BeforeEach
    void start() {
        fixture = new MessagingFixture(TestDatabases.h2());
        store = fixture.emailStore;
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void the_envelope_object_queued_here_takes_the_email_as_stored_until_its_try_marks_it_sent() {
        Email email = email("Your receipt");
        Envelope envelope = queue(email);
        changeSubject(email);

        Delivery first = new Delivery(envelope, 1, Instant.now());
        assertThat(store.find(first)).containsSame(email);
        assertThat(store.markSent(email, "resend", "re_1", first, false, "accepted", Optional.empty())).isTrue();
        // Its SENT took it out: the same object again (which no outbox delivers) reads the row.
        assertReadsTheRow(first, EmailStatus.SENT);
    }

    @Test
    void an_equal_envelope_read_back_reads_the_row_as_a_retry_a_replay_or_another_process_would() {
        Email email = email("Your receipt");
        Envelope envelope = queue(email);
        changeSubject(email);

        // The same fields, another object: what a broker's delivery, a poll or a replay of the record carries.
        Envelope readBack = new Envelope(envelope.id(), envelope.tenant(), envelope.channel(),
                envelope.idempotencyKey(), envelope.payload());
        assertThat(readBack).isEqualTo(envelope);
        assertReadsTheRow(new Delivery(readBack, 1, Instant.now()), EmailStatus.QUEUED);
    }

    @Test
    void only_the_most_recent_emails_and_small_ones_are_kept() {
        Email email = email("Your receipt");
        Envelope envelope = queue(email);
        changeSubject(email);
        for (int i = 0; i < 256; i++) {
            Email other = email("Other " + i);
            store.queuedHere(envelope(other), other, false);
        }
        assertReadsTheRow(new Delivery(envelope, 1, Instant.now()), EmailStatus.QUEUED);

        Email large = email("Large", "x".repeat(65_537));
        Envelope largeEnvelope = queue(large);
        changeSubject(large);
        assertReadsTheRow(new Delivery(largeEnvelope, 1, Instant.now()), EmailStatus.QUEUED);
    }

    /** Asserts that the try {@code delivery} reads the row, changed behind the store's back, as {@code status}. */
    private void assertReadsTheRow(Delivery delivery, EmailStatus status) {
        assertThat(store.find(delivery)).hasValueSatisfying(read -> {
            assertThat(read.subject()).isEqualTo("Changed");
            assertThat(read.status()).isEqualTo(status);
        });
    }

    /** Stores {@code email} and keeps it as queued here; returns the envelope it was queued as. */
    private Envelope queue(Email email) {
        Envelope envelope = envelope(email);
        boolean stored = fixture.database.inTransaction(connection -> store.insert(connection, email, List.of(),
                "queued"));
        assertThat(stored).isTrue();
        store.queuedHere(envelope, email, false);
        return envelope;
    }

    private static Envelope envelope(Email email) {
        return new Envelope(email.id(), email.tenant(), Channel.EMAIL, email.idempotencyKey(), "{}");
    }

    private void changeSubject(Email email) {
        fixture.database.withConnection(connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE irisx_email_messages SET subject = 'Changed' WHERE tenant_id = ? AND id = ?")) {
                update.setString(1, email.tenant().value());
                update.setString(2, email.id().value());
                return update.executeUpdate();
            }
        });
    }

    private static Email email(String subject) {
        return email(subject, "Thank you.");
    }

    private static Email email(String subject, String text) {
        MessageId id = MessageId.generate();
        Instant now = MessagingFixture.START;
        return new Email(id, ACME, id.value(), EmailStatus.QUEUED, EmailStream.TRANSACTIONAL,
                EmailAddress.of("billing@acme.example"), List.of(EmailAddress.of("ada@example.com")), List.of(),
                List.of(), List.of(), subject, text, "", Map.of(), List.of(), Map.of(), Optional.empty(), 0, 0,
                Optional.empty(), Optional.empty(), false, Optional.empty(), now, now, Optional.empty(), false);
    }
}
