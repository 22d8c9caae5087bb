package io.irisx.messaging.email;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.irisx.core.IrisxValidationException;
import io.irisx.core.event.EventType;
import io.irisx.core.id.MessageId;
import io.irisx.core.testing.TestDatabases;
import io.irisx.messaging.MessagingFixture;
import io.irisx.messaging.email.ProviderEvent.Kind;
import io.irisx.messaging.email.internal.MimeEmails;
import io.irisx.messaging.email.smtp.SmtpBounces;
import io.irisx.messaging.email.spi.OutgoingEmail;
import jakarta.mail.Session;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bounces read from an SMTP bounce mailbox by {@link SmtpBounces}: delivery status notifications as RFC 3464 defines
 * them (https://www.rfc-editor.org/rfc/rfc3464): a {@code multipart/report} of {@code report-type=delivery-status}
 * (RFC 3464 section 2.1; the container is RFC 6522's), the per-message fields (section 2.2) and the per-recipient
 * fields (section 2.3: {@code Original-Recipient} 2.3.1, {@code Final-Recipient} 2.3.2, {@code Action} 2.3.3,
 * {@code Status} 2.3.4, {@code Diagnostic-Code} 2.3.6, {@code Last-Attempt-Date} 2.3.7, {@code Will-Retry-Until}
 * 2.3.9). The samples are written after the examples of the RFC's appendix — its simple DSN, its multi-recipient
 * DSN (comments in {@code Status}, a folded {@code Diagnostic-Code}), its delayed DSN — with the original message
 * being the one IRISX's SMTP provider writes ({@link MimeEmails}), whose {@code Message-ID} it stores.
 */
class SmtpBouncesTest {

    private static final String BOUNDARY = "RAA14128.773615765/mx.acme.example";

    private MessagingFixture fixture;
    private EmailClient acme;
    private SmtpBounces bounces;

    @BeforeEach
    void start() {
        fixture = new MessagingFixture(TestDatabases.h2());
        acme = fixture.emailClient("acme");
        bounces = SmtpBounces.of(fixture.irisx.tenant("acme"));
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    /** An email of {@code client} sent over SMTP, and the message the SMTP provider wrote for it. */
    private record Sent(MessageId id, String messageId, String mime) {
    }

    private Sent sent(EmailClient client, String... to) throws Exception {
        EmailMessage.Builder message = EmailMessage.builder().from("billing@acme.example").subject("Your receipt")
                .text("Thank you.");
        for (String recipient : to) {
            message.to(recipient);
        }
        MessageId id = client.send(message.build());
        Email email = client.get(id);
        OutgoingEmail outgoing = new OutgoingEmail(email.id(), email.tenant(), email.idempotencyKey(), email.from(),
                email.to(), email.cc(), email.bcc(), email.replyTo(), email.subject(), email.text(), email.html(),
                List.of(), email.headers(), email.tags(), email.metadata());
        String messageId = MimeEmails.messageId(outgoing);
        byte[] mime = MimeEmails.bytes(MimeEmails.message(Session.getInstance(new Properties()), outgoing,
                fixture.clock.instant()));
        assertThat(fixture.emailStore.markSent(email, "smtp", messageId, 1, false, "accepted")).isTrue();
        fixture.clock.advance(Duration.ofMinutes(5));
        return new Sent(id, messageId, new String(mime, StandardCharsets.UTF_8));
    }

    private Sent sent(String... to) throws Exception {
        return sent(acme, to);
    }

    /**
     * A DSN of the reporting MTA {@code mx.acme.example}: the human-readable part, the delivery-status fields
     * ({@code perRecipient} after the per-message fields), and {@code original} as the third part (none when null).
     */
    private static byte[] dsn(String perRecipient, String originalType, String original) {
        String dsn = """
                Date: Tue, 1 Jan 2030 00:10:05 +0000
                From: Mail Delivery Subsystem <MAILER-DAEMON@mx.acme.example>
                Message-Id: <203001010010.RAA14128@mx.acme.example>
                Subject: Returned mail: see transcript for details
                To: <billing@acme.example>
                MIME-Version: 1.0
                Content-Type: multipart/report; report-type=delivery-status;
                    boundary="%1$s"

                This is a MIME-encapsulated message

                --%1$s

                   The original message was received at Tue, 1 Jan 2030 00:00:00 +0000
                   from localhost

                      ----- The following addresses had delivery problems -----
                <ada@example.com>  (unrecoverable error)

                --%1$s
                Content-Type: message/delivery-status

                Reporting-MTA: dns; mx.acme.example
                Arrival-Date: Tue, 1 Jan 2030 00:00:01 +0000

                %2$s
                """.formatted(BOUNDARY, perRecipient.strip());
        if (original != null) {
            dsn += "\n--" + BOUNDARY + "\nContent-Type: " + originalType + "\n\n" + original.strip() + "\n";
        }
        dsn += "\n--" + BOUNDARY + "--\n";
        return dsn.replace("\r\n", "\n").replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] dsn(String perRecipient, Sent original) {
        return dsn(perRecipient, "message/rfc822", original.mime());
    }

    private List<EventType> history(MessageId id) {
        return acme.history(id).stream().map(StatusChange::event).toList();
    }

    @Test
    void a_permanent_failure_is_a_hard_bounce_of_the_email_the_returned_message_id_names() throws Exception {
        Sent sent = sent("ada@example.com");

        SmtpBounces.Result result = bounces.record(dsn("""
                Original-Recipient: rfc822;ada@example.com
                Final-Recipient: rfc822;ada@example.com
                Action: failed
                Status: 5.1.1
                Remote-MTA: dns; mx.example.com
                Diagnostic-Code: smtp; 550 5.1.1 <ada@example.com>... User unknown
                Last-Attempt-Date: Tue, 1 Jan 2030 00:09:49 +0000
                """, sent));

        assertThat(result.messageId()).isEqualTo(sent.messageId());
        assertThat(result.events()).singleElement().satisfies(event -> {
            assertThat(event.provider()).isEqualTo("smtp");
            assertThat(event.kind()).isEqualTo(Kind.HARD_BOUNCE);
            assertThat(event.recipient()).isEqualTo("ada@example.com");
            assertThat(event.providerMessageId()).isEqualTo(sent.messageId());
            assertThat(event.detail()).isEqualTo("failed 5.1.1: smtp; 550 5.1.1 <ada@example.com>... User unknown");
            assertThat(event.occurredAt()).isEqualTo(Instant.parse("2030-01-01T00:09:49Z"));
        });
        assertThat(result.recorded()).isEqualTo(result.events());
        assertThat(acme.get(sent.id()).status()).isEqualTo(EmailStatus.BOUNCED);
        assertThat(acme.history(sent.id()).get(2).detail()).contains("User unknown");
        for (EmailStream stream : EmailStream.values()) {
            assertThat(acme.suppressions().find("ada@example.com", stream)).get().extracting(Suppression::reason)
                    .isEqualTo(Suppression.Reason.HARD_BOUNCE);
        }
        assertThat(fixture.events(EventType.EMAIL_BOUNCED)).singleElement()
                .satisfies(event -> assertThat(event.data()).contains("User unknown"));
    }

    @Test
    void the_simple_dsn_of_rfc_3464_a_failure_with_a_transient_status_is_a_soft_bounce() throws Exception {
        Sent sent = sent("ada@example.com");

        // The RFC's simple DSN: sendmail gave up after 5 days of "426 connection timed out".
        SmtpBounces.Result result = bounces.record(dsn("""
                Original-Recipient: rfc822;ada@example.com
                Final-Recipient: rfc822;ada@example.com
                Action: failed
                Status: 4.0.0
                Diagnostic-Code: smtp; 426 connection timed out
                Last-Attempt-Date: Sat, 5 Jan 2030 00:09:49 -0400
                """, sent));

        assertThat(result.recorded()).singleElement().satisfies(event -> {
            assertThat(event.kind()).isEqualTo(Kind.SOFT_BOUNCE);
            assertThat(event.detail()).isEqualTo("failed 4.0.0: smtp; 426 connection timed out");
            assertThat(event.occurredAt()).isEqualTo(Instant.parse("2030-01-05T04:09:49Z"));
        });
        assertThat(acme.get(sent.id()).status()).isEqualTo(EmailStatus.BOUNCED);
        assertThat(acme.suppressions().find("ada@example.com", EmailStream.TRANSACTIONAL)).isEmpty();
    }

    @Test
    void the_multi_recipient_dsn_of_rfc_3464_is_one_event_per_recipient_with_headers_only_returned()
            throws Exception {
        Sent sent = sent("ada@example.com", "bob@example.net", "cy@example.org");
        String headers = sent.mime().substring(0, sent.mime().indexOf("\r\n\r\n"));

        SmtpBounces.Result result = bounces.record(dsn("""
                Original-Recipient: rfc822;ada@example.com
                Final-Recipient: rfc822;ada@example.com
                Action: failed
                Status: 5.0.0 (permanent failure)
                Diagnostic-Code: smtp;  550 'ada@example.com' is not a
                    registered gateway user
                Remote-MTA: dns; mx.example.com

                Original-Recipient: rfc822;bob@example.net
                Final-Recipient: rfc822;bob@example.net
                Action: delayed
                Status: 4.0.0 (mx.example.net: host name lookup failure)

                Original-Recipient: rfc822;cy@example.org
                Final-Recipient: rfc822;cy@example.org
                Action: failed
                Status: 5.0.0
                Diagnostic-Code: smtp; 550 user unknown
                Remote-MTA: dns; mx.example.org
                """, "text/rfc822-headers", headers));

        assertThat(result.events()).extracting(ProviderEvent::recipient, ProviderEvent::kind).containsExactly(
                org.assertj.core.groups.Tuple.tuple("ada@example.com", Kind.HARD_BOUNCE),
                org.assertj.core.groups.Tuple.tuple("bob@example.net", Kind.DEFERRED),
                org.assertj.core.groups.Tuple.tuple("cy@example.org", Kind.HARD_BOUNCE));
        assertThat(result.events().get(0).detail())
                .isEqualTo("failed 5.0.0: smtp; 550 'ada@example.com' is not a registered gateway user");
        // Without a Last-Attempt-Date, the DSN's own Date.
        assertThat(result.events()).allSatisfy(event ->
                assertThat(event.occurredAt()).isEqualTo(Instant.parse("2030-01-01T00:10:05Z")));
        assertThat(result.recorded()).hasSize(3);
        assertThat(acme.get(sent.id()).status()).isEqualTo(EmailStatus.BOUNCED);
        assertThat(acme.suppressions().find("ada@example.com", EmailStream.TRANSACTIONAL)).isPresent();
        assertThat(acme.suppressions().find("bob@example.net", EmailStream.TRANSACTIONAL)).isEmpty();
        assertThat(acme.suppressions().find("cy@example.org", EmailStream.TRANSACTIONAL)).isPresent();
    }

    @Test
    void the_delayed_dsn_of_rfc_3464_defers_the_email() throws Exception {
        Sent sent = sent("ada@example.com");

        SmtpBounces.Result result = bounces.record(dsn("""
                Original-Recipient: rfc822;ada@example.com
                Final-Recipient: RFC822;ada@example.com
                Action: delayed
                Status: 4.0.0 (connection timed out)
                Last-Attempt-Date: Tue, 1 Jan 2030 04:00:00 +0000
                Will-Retry-Until: Sat, 5 Jan 2030 00:00:00 +0000
                """, sent));

        assertThat(result.recorded()).singleElement().extracting(ProviderEvent::kind).isEqualTo(Kind.DEFERRED);
        assertThat(acme.get(sent.id()).status()).isEqualTo(EmailStatus.DEFERRED);
        assertThat(history(sent.id())).endsWith(EventType.EMAIL_DEFERRED);
    }

    @Test
    void delivered_relayed_and_expanded_are_deliveries() throws Exception {
        Sent sent = sent("ada@example.com", "bob@example.net", "team@example.org");

        SmtpBounces.Result result = bounces.record(dsn("""
                Final-Recipient: rfc822;ada@example.com
                Action: delivered
                Status: 2.0.0
                Remote-MTA: dns; mx.example.com

                Final-Recipient: rfc822;bob@example.net
                Action: relayed (to a system that does not send DSNs)
                Status: 2.0.0

                Final-Recipient: rfc822;team@example.org
                Action: expanded
                Status: 2.0.0
                """, sent));

        assertThat(result.recorded()).extracting(ProviderEvent::kind).containsExactly(Kind.DELIVERED, Kind.DELIVERED,
                Kind.DELIVERED);
        assertThat(acme.get(sent.id()).status()).isEqualTo(EmailStatus.DELIVERED);
    }

    @Test
    void the_original_recipient_the_address_irisx_sent_to_is_the_recipient_of_a_forwarded_failure()
            throws Exception {
        Sent sent = sent("ada@example.com");

        SmtpBounces.Result result = bounces.record(dsn("""
                Original-Recipient: rfc822;ada@example.com
                Final-Recipient: rfc822;ada.lovelace@mail.example.com
                Action: failed
                Status: 5.1.1
                """, sent));

        assertThat(result.recorded()).singleElement().extracting(ProviderEvent::recipient)
                .isEqualTo("ada@example.com");
        assertThat(acme.suppressions().find("ada@example.com", EmailStream.TRANSACTIONAL)).isPresent();
        assertThat(acme.suppressions().find("ada.lovelace@mail.example.com", EmailStream.TRANSACTIONAL)).isEmpty();
    }

    @Test
    void the_final_recipient_is_the_recipient_when_the_dsn_gives_no_original_one() throws Exception {
        Sent sent = sent("ada@example.com");

        SmtpBounces.Result result = bounces.record(dsn("""
                Final-Recipient: rfc822; <Ada@Example.com>
                Action: failed
                Status: 5.2.2 (mailbox full)
                """, sent));

        assertThat(result.recorded()).singleElement().extracting(ProviderEvent::recipient)
                .isEqualTo("ada@example.com");
    }

    @Test
    void the_same_dsn_fed_again_changes_nothing() throws Exception {
        Sent sent = sent("ada@example.com");
        byte[] dsn = dsn("""
                Final-Recipient: rfc822;ada@example.com
                Action: failed
                Status: 5.1.1
                """, sent);

        assertThat(bounces.record(dsn).recorded()).hasSize(1);
        SmtpBounces.Result again = bounces.record(dsn);

        assertThat(again.events()).hasSize(1);
        assertThat(again.recorded()).isEmpty();
        assertThat(history(sent.id())).containsExactly(EventType.EMAIL_QUEUED, EventType.EMAIL_SENT,
                EventType.EMAIL_BOUNCED);
        assertThat(fixture.events(EventType.EMAIL_BOUNCED)).hasSize(1);
    }

    @Test
    void a_dsn_of_a_message_irisx_did_not_send_records_nothing() throws Exception {
        Sent sent = sent("ada@example.com");
        String foreign = sent.mime().replace(sent.messageId(), "<20300101.1234@mail.elsewhere.example>");

        SmtpBounces.Result result = bounces.record(dsn("""
                Final-Recipient: rfc822;ada@example.com
                Action: failed
                Status: 5.1.1
                """, "message/rfc822", foreign));

        assertThat(result.messageId()).isEqualTo("<20300101.1234@mail.elsewhere.example>");
        assertThat(result.events()).hasSize(1);
        assertThat(result.recorded()).isEmpty();
        assertThat(acme.get(sent.id()).status()).isEqualTo(EmailStatus.SENT);
        assertThat(acme.suppressions().find("ada@example.com", EmailStream.TRANSACTIONAL)).isEmpty();
    }

    @Test
    void another_tenants_reader_never_touches_this_tenants_email() throws Exception {
        Sent ours = sent("ada@example.com");
        EmailClient globex = fixture.emailClient("globex");
        SmtpBounces globexBounces = SmtpBounces.of(fixture.irisx.tenant("globex"));
        byte[] dsn = dsn("""
                Final-Recipient: rfc822;ada@example.com
                Action: failed
                Status: 5.1.1
                """, ours);

        assertThat(globexBounces.record(dsn).recorded()).isEmpty();
        assertThat(acme.get(ours.id()).status()).isEqualTo(EmailStatus.SENT);

        // A globex email stored with the same Message-ID: each reader reaches its own tenant's only.
        MessageId theirs = globex.send(EmailMessage.builder().from("billing@acme.example").to("ada@example.com")
                .subject("Hi").text("Hi").build());
        assertThat(fixture.emailStore.markSent(globex.get(theirs), "smtp", ours.messageId(), 1, false, "accepted"))
                .isTrue();
        assertThat(globexBounces.record(dsn).recorded()).hasSize(1);
        assertThat(globex.get(theirs).status()).isEqualTo(EmailStatus.BOUNCED);
        assertThat(acme.get(ours.id()).status()).isEqualTo(EmailStatus.SENT);
        assertThat(acme.suppressions().find("ada@example.com", EmailStream.TRANSACTIONAL)).isEmpty();

        assertThat(bounces.record(dsn).recorded()).hasSize(1);
        assertThat(acme.get(ours.id()).status()).isEqualTo(EmailStatus.BOUNCED);
    }

    @Test
    void a_message_that_is_not_a_dsn_is_refused_naming_the_problem_and_nothing_is_recorded() throws Exception {
        Sent sent = sent("ada@example.com");
        String failed = """
                Final-Recipient: rfc822;ada@example.com
                Action: failed
                Status: 5.1.1
                """;

        // An ordinary reply.
        assertRefused("Content-Type", "multipart/report", ("From: ada@example.com\r\nTo: billing@acme.example\r\n"
                + "Subject: Re: Your receipt\r\nContent-Type: text/plain\r\n\r\nThanks!\r\n")
                .getBytes(StandardCharsets.UTF_8));
        // A spam complaint (RFC 5965) is a multipart/report of another type.
        assertRefused("report-type", "delivery-status", new String(dsn(failed, sent), StandardCharsets.UTF_8)
                .replace("report-type=delivery-status", "report-type=feedback-report")
                .getBytes(StandardCharsets.UTF_8));
        assertRefused("message/delivery-status", "is missing", new String(dsn(failed, sent), StandardCharsets.UTF_8)
                .replace("Content-Type: message/delivery-status", "Content-Type: text/plain")
                .getBytes(StandardCharsets.UTF_8));
        assertRefused("message/delivery-status", "per-recipient", dsn("", sent));
        assertRefused("Action", "recipient 1", dsn("Final-Recipient: rfc822;ada@example.com\nStatus: 5.1.1", sent));
        assertRefused("Final-Recipient", "2.3.2", dsn("Action: failed\nStatus: 5.1.1", sent));
        assertRefused("Status", "2.3.4", dsn("Final-Recipient: rfc822;ada@example.com\nAction: failed\n"
                + "Status: permanent", sent));
        assertRefused("Action", "2.3.3", dsn("Final-Recipient: rfc822;ada@example.com\nAction: bounced\n"
                + "Status: 5.1.1", sent));
        assertRefused("Message-ID", "original message", dsn(failed, "text/plain", "Your message could not be sent."));
        assertRefused("Message-ID", "original message", dsn(failed, null, null));

        assertThat(acme.get(sent.id()).status()).isEqualTo(EmailStatus.SENT);
        assertThat(history(sent.id())).hasSize(2);
    }

    private void assertRefused(String field, String problem, byte[] message) {
        IrisxValidationException refused = catchThrowableOfType(IrisxValidationException.class,
                () -> bounces.record(message));
        assertThat(refused).as("refusal of a message for its %s", field).isNotNull();
        assertThat(refused.field()).isEqualTo(field);
        assertThat(refused.getMessage()).contains(problem);
    }
}
