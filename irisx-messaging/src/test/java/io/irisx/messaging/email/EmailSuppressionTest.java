package io.irisx.messaging.email;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.irisx.core.Irisx;
import io.irisx.core.IrisxValidationException;
import io.irisx.core.Page;
import io.irisx.core.PageRequest;
import io.irisx.core.SuppressedRecipientException;
import io.irisx.core.event.EventType;
import io.irisx.core.id.MessageId;
import io.irisx.core.secret.SealingKeys;
import io.irisx.core.store.Database;
import io.irisx.core.testing.OnEachDialect;
import io.irisx.core.testing.TestDatabases;
import io.irisx.messaging.MessagingFixture;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;

/**
 * Provider events applied once each by their ids, and the suppression lists they feed: hard bounces and complaints
 * suppress on both streams, unsubscribes on the email's stream; suppressed recipients are refused (or dropped) before
 * anything is stored; the tenant's own list operations. On each database.
 */
@OnEachDialect
class EmailSuppressionTest {

    private static final Instant AT = MessagingFixture.START.plusSeconds(30);

    @Parameter
    Database.Dialect dialect;
    private MessagingFixture fixture;
    private EmailClient acme;

    @BeforeEach
    void start() {
        fixture = new MessagingFixture(TestDatabases.of(dialect));
        acme = fixture.emailClient("acme");
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private static EmailMessage.Builder mail(EmailStream stream, String... to) {
        EmailMessage.Builder builder = EmailMessage.builder().from("news@acme.example").subject("Hello").text("Hi")
                .stream(stream);
        for (String address : to) {
            builder.to(address);
        }
        return builder;
    }

    /** Sends and marks the email sent through resend as {@code providerId}. */
    private MessageId sent(EmailMessage message, String providerId) {
        MessageId id = acme.send(message);
        assertThat(fixture.emailStore.markSent(acme.get(id), "resend", providerId, 1, false, "accepted")).isTrue();
        return id;
    }

    private static ProviderEvent.Builder event(ProviderEvent.Kind kind, String providerId, String recipient) {
        return ProviderEvent.builder("resend", kind).providerMessageId(providerId).recipient(recipient).occurredAt(AT);
    }

    @Test
    void an_event_is_applied_once_by_its_id_and_each_new_one_is_a_history_row_and_an_event() {
        MessageId id = sent(mail(EmailStream.TRANSACTIONAL, "ada@example.com", "bob@example.com").build(), "re_1");

        assertThat(acme.record(event(ProviderEvent.Kind.DELIVERED, "re_1", "ada@example.com").eventId("ev-1").build()))
                .isTrue();
        // The provider retrying its webhook: the same id changes nothing.
        assertThat(acme.record(event(ProviderEvent.Kind.DELIVERED, "re_1", "ada@example.com").eventId("ev-1").build()))
                .isFalse();
        // The second recipient's delivery is news, though the status stays DELIVERED.
        assertThat(acme.record(event(ProviderEvent.Kind.DELIVERED, "re_1", "bob@example.com").eventId("ev-2").build()))
                .isTrue();
        assertThat(acme.record(event(ProviderEvent.Kind.OPENED, "re_1", "Bob@Example.com").eventId("ev-3").build()))
                .isTrue();

        assertThat(acme.get(id).status()).isEqualTo(EmailStatus.DELIVERED);
        assertThat(acme.history(id)).extracting(StatusChange::event).containsExactly(EventType.EMAIL_QUEUED,
                EventType.EMAIL_SENT, EventType.EMAIL_DELIVERED, EventType.EMAIL_DELIVERED, EventType.EMAIL_OPENED);
        assertThat(acme.history(id).get(4).recipient()).contains("bob@example.com");
        assertThat(acme.history(id).get(4).status()).isEqualTo(EmailStatus.DELIVERED);
        assertThat(fixture.events(EventType.EMAIL_DELIVERED)).hasSize(2);
        assertThat(fixture.events(EventType.EMAIL_OPENED)).singleElement()
                .satisfies(e -> assertThat(e.data()).contains("\"recipient\":\"bob@example.com\""));
    }

    @Test
    void a_hard_bounce_suppresses_the_recipient_on_both_streams_and_a_soft_bounce_on_none() {
        sent(mail(EmailStream.TRANSACTIONAL, "gone@example.com", "full@example.com").build(), "re_2");

        acme.record(event(ProviderEvent.Kind.HARD_BOUNCE, "re_2", "gone@example.com").detail("550 5.1.1 no such user")
                .build());
        acme.record(event(ProviderEvent.Kind.SOFT_BOUNCE, "re_2", "full@example.com").detail("452 4.2.2 mailbox full")
                .build());

        for (EmailStream stream : EmailStream.values()) {
            assertThat(acme.suppressions().find("GONE@example.com", stream)).hasValueSatisfying(s -> {
                assertThat(s.reason()).isEqualTo(Suppression.Reason.HARD_BOUNCE);
                assertThat(s.detail()).isEqualTo("550 5.1.1 no such user");
                assertThat(s.source()).startsWith("resend sha256:");
            });
            assertThat(acme.suppressions().find("full@example.com", stream)).isEmpty();
        }
    }

    @Test
    void a_complaint_suppresses_on_both_streams_and_an_unsubscribe_on_the_emails_stream_only() {
        sent(mail(EmailStream.MARKETING, "angry@example.com").build(), "re_3");
        sent(mail(EmailStream.MARKETING, "done@example.com").build(), "re_4");

        acme.record(event(ProviderEvent.Kind.COMPLAINED, "re_3", "angry@example.com").build());
        acme.record(event(ProviderEvent.Kind.UNSUBSCRIBED, "re_4", "done@example.com").build());

        assertThat(acme.suppressions().find("angry@example.com", EmailStream.TRANSACTIONAL)).isPresent();
        assertThat(acme.suppressions().find("angry@example.com", EmailStream.MARKETING)).isPresent();
        assertThat(acme.suppressions().find("done@example.com", EmailStream.MARKETING))
                .hasValueSatisfying(s -> assertThat(s.reason()).isEqualTo(Suppression.Reason.UNSUBSCRIBE));
        assertThat(acme.suppressions().find("done@example.com", EmailStream.TRANSACTIONAL)).isEmpty();
        // Receipts still reach whoever left the newsletter.
        assertThat(acme.send(mail(EmailStream.TRANSACTIONAL, "done@example.com").build())).isNotNull();
    }

    @Test
    void a_send_to_a_suppressed_recipient_is_refused_and_nothing_is_stored() {
        acme.suppressions().add("ada@example.com", EmailStream.TRANSACTIONAL, "asked by phone");
        int events = fixture.events.size();

        assertThatThrownBy(() -> acme.send(mail(EmailStream.TRANSACTIONAL, "bob@example.com").cc("ADA@example.com")
                .build()))
                .isInstanceOfSatisfying(SuppressedRecipientException.class, e -> {
                    assertThat(e.recipient()).isEqualTo("ada@example.com");
                    assertThat(e.reason()).contains("transactional", "manual");
                });

        assertThat(acme.list(EmailFilter.all(), PageRequest.first(10)).items()).isEmpty();
        assertThat(fixture.events).hasSize(events);
    }

    @Test
    void a_repeated_send_returns_the_first_email_even_after_its_recipient_was_suppressed() {
        MessageId first = acme.send(mail(EmailStream.TRANSACTIONAL, "ada@example.com").idempotencyKey("k-1").build());
        acme.suppressions().add("ada@example.com", EmailStream.TRANSACTIONAL, "");

        assertThat(acme.send(mail(EmailStream.TRANSACTIONAL, "ada@example.com").idempotencyKey("k-1").build()))
                .isEqualTo(first);
    }

    @Test
    void with_dropping_allowed_the_suppressed_recipients_are_left_out_and_named_in_the_history() {
        try (Irisx irisx = Irisx.builder().dataSource(fixture.database.dataSource())
                .sealingKeys(SealingKeys.generate("k1")).clock(fixture.clock)
                .install(EmailModule.builder().sendOnly().dropSuppressedRecipients(true).build()).build()) {
            EmailClient dropping = EmailClient.of(irisx.tenant("acme"));
            dropping.suppressions().add("gone@example.com", EmailStream.TRANSACTIONAL, "");

            MessageId id = dropping.send(mail(EmailStream.TRANSACTIONAL, "ada@example.com").bcc("gone@example.com")
                    .build());

            Email email = dropping.get(id);
            assertThat(email.to()).extracting(EmailAddress::address).containsExactly("ada@example.com");
            assertThat(email.bcc()).isEmpty();
            assertThat(dropping.history(id)).first()
                    .satisfies(c -> assertThat(c.detail()).isEqualTo("queued; dropped as suppressed: gone@example.com"));
            // Everyone suppressed: refused all the same.
            assertThatThrownBy(() -> dropping.send(mail(EmailStream.TRANSACTIONAL, "gone@example.com").build()))
                    .isInstanceOf(SuppressedRecipientException.class);
        }
    }

    @Test
    void the_tenant_lists_adds_imports_and_removes_addresses_per_stream() {
        assertThat(acme.suppressions().add("a@example.com", EmailStream.MARKETING, "note")).isTrue();
        assertThat(acme.suppressions().add("A@example.com", EmailStream.MARKETING, "again")).isFalse();
        assertThat(acme.suppressions().importAll(List.of("c@example.com", "b@example.com", "a@example.com"),
                EmailStream.MARKETING, "old-esp")).isEqualTo(2);

        Page<Suppression> first = acme.suppressions().list(EmailStream.MARKETING, PageRequest.first(2));
        assertThat(first.items()).extracting(Suppression::address).containsExactly("a@example.com", "b@example.com");
        assertThat(first.items().get(0).detail()).isEqualTo("note");
        assertThat(first.items().get(1).source()).isEqualTo("import: old-esp");
        assertThat(acme.suppressions().list(EmailStream.MARKETING, PageRequest.after(first.nextCursor().orElseThrow(),
                2)).items()).extracting(Suppression::address).containsExactly("c@example.com");
        assertThat(acme.suppressions().list(EmailStream.TRANSACTIONAL, PageRequest.first(10)).items()).isEmpty();

        assertThat(acme.suppressions().remove("B@EXAMPLE.COM", EmailStream.MARKETING)).isTrue();
        assertThat(acme.suppressions().remove("b@example.com", EmailStream.MARKETING)).isFalse();
        assertThat(acme.suppressions().find("b@example.com", EmailStream.MARKETING)).isEmpty();
    }

    @Test
    void a_bad_address_is_refused_naming_the_field_and_an_import_with_one_adds_nothing() {
        assertThatThrownBy(() -> acme.suppressions().add("not-an-address", EmailStream.MARKETING, ""))
                .isInstanceOfSatisfying(IrisxValidationException.class, e -> {
                    assertThat(e.field()).isEqualTo("address");
                    assertThat(e.rejectedValue()).contains("not-an-address");
                });
        assertThatThrownBy(() -> acme.suppressions().importAll(List.of("ok@example.com", "bad@"),
                EmailStream.MARKETING, "list"))
                .isInstanceOfSatisfying(IrisxValidationException.class, e -> assertThat(e.field())
                        .isEqualTo("addresses[1]"));
        assertThat(acme.suppressions().find("ok@example.com", EmailStream.MARKETING)).isEmpty();
    }

    @Test
    void one_tenants_suppressions_and_events_never_reach_another() {
        EmailClient globex = fixture.emailClient("globex");
        sent(mail(EmailStream.TRANSACTIONAL, "ada@example.com").build(), "re_shared");

        // Globex's handler given acme's provider id: no email of globex, nothing changes.
        assertThat(globex.record(event(ProviderEvent.Kind.HARD_BOUNCE, "re_shared", "ada@example.com").build()))
                .isFalse();
        globex.suppressions().add("bob@example.com", EmailStream.TRANSACTIONAL, "");

        assertThat(acme.suppressions().find("ada@example.com", EmailStream.TRANSACTIONAL)).isEmpty();
        assertThat(acme.suppressions().list(EmailStream.TRANSACTIONAL, PageRequest.first(10)).items()).isEmpty();
        assertThat(acme.send(mail(EmailStream.TRANSACTIONAL, "bob@example.com").build())).isNotNull();
        assertThat(globex.suppressions().remove("ada@example.com", EmailStream.TRANSACTIONAL)).isFalse();
    }
}
