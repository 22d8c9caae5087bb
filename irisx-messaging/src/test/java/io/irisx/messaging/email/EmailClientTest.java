package io.irisx.messaging.email;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.irisx.core.IrisxValidationException;
import io.irisx.core.NotFoundException;
import io.irisx.core.Page;
import io.irisx.core.PageRequest;
import io.irisx.core.SuppressedRecipientException;
import io.irisx.core.TenantId;
import io.irisx.core.event.Event;
import io.irisx.core.event.EventType;
import io.irisx.core.id.MessageId;
import io.irisx.core.store.Database;
import io.irisx.core.testing.OnEachDialect;
import io.irisx.core.testing.TestDatabases;
import io.irisx.messaging.MessagingFixture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.Parameter;

/**
 * What a tenant's {@link EmailClient} stores and refuses, its templates, and provider reports applied through the
 * {@link EmailStore}, on each database.
 */
@OnEachDialect
class EmailClientTest {

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

    private static EmailMessage.Builder receipt() {
        return EmailMessage.builder()
                .from("billing@acme.example", "Acme Billing")
                .to("ada@example.com", "Ada Lovelace")
                .cc("cc@example.net")
                .bcc("audit@acme.example")
                .replyTo("support@acme.example")
                .subject("Your receipt")
                .text("Thank you.")
                .html("<p>Thank you.</p>")
                .header("X-Campaign", "spring")
                .tag("receipts")
                .metadata("order", "A-1042");
    }

    @Test
    void a_send_stores_the_email_queued_with_its_history_and_event() {
        byte[] pdf = "%PDF-1.4".getBytes(StandardCharsets.UTF_8);
        MessageId id = acme.send(receipt().attach(Attachment.of("receipt.pdf", "application/pdf", pdf)).build());

        Email email = acme.get(id);
        assertThat(email.status()).isEqualTo(EmailStatus.QUEUED);
        assertThat(email.from()).isEqualTo(EmailAddress.of("billing@acme.example", "Acme Billing"));
        assertThat(email.to()).containsExactly(EmailAddress.of("ada@example.com", "Ada Lovelace"));
        assertThat(email.cc()).containsExactly(EmailAddress.of("cc@example.net"));
        assertThat(email.bcc()).containsExactly(EmailAddress.of("audit@acme.example"));
        assertThat(email.replyTo()).containsExactly(EmailAddress.of("support@acme.example"));
        assertThat(email.subject()).isEqualTo("Your receipt");
        assertThat(email.text()).isEqualTo("Thank you.");
        assertThat(email.html()).isEqualTo("<p>Thank you.</p>");
        assertThat(email.headers()).containsExactly(Map.entry("X-Campaign", "spring"));
        assertThat(email.tags()).containsExactly("receipts");
        assertThat(email.metadata()).containsExactly(Map.entry("order", "A-1042"));
        assertThat(email.idempotencyKey()).isEqualTo(id.value());
        assertThat(email.createdAt()).isEqualTo(MessagingFixture.START);
        assertThat(acme.attachments(id)).containsExactly(Attachment.of("receipt.pdf", "application/pdf", pdf));
        assertThat(acme.history(id)).singleElement().satisfies(change -> {
            assertThat(change.status()).isEqualTo(EmailStatus.QUEUED);
            assertThat(fixture.events(EventType.EMAIL_QUEUED)).extracting(Event::id).containsExactly(change.id());
        });
        assertThat(fixture.events(EventType.EMAIL_QUEUED).get(0).data())
                .contains("\"messageId\":\"" + id.value() + "\"", "\"to\":[\"ada@example.com\"]", "\"tags\":[\"receipts\"]");
    }

    @Test
    void the_same_idempotency_key_is_the_same_email() {
        MessageId first = acme.send(receipt().idempotencyKey("order-A-1042").build());
        MessageId again = acme.send(receipt().idempotencyKey("order-A-1042").subject("Changed").build());

        assertThat(again).isEqualTo(first);
        assertThat(acme.list(EmailFilter.all(), PageRequest.first(10)).items()).hasSize(1);
        assertThat(acme.get(first).subject()).isEqualTo("Your receipt");
        assertThat(fixture.events(EventType.EMAIL_QUEUED)).hasSize(1);
    }

    @Test
    void another_tenant_sees_none_of_the_emails() {
        MessageId id = acme.send(receipt().build());
        EmailClient globex = fixture.emailClient("globex");

        assertThatThrownBy(() -> globex.get(id)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> globex.history(id)).isInstanceOf(NotFoundException.class);
        assertThat(globex.list(EmailFilter.all(), PageRequest.first(10)).items()).isEmpty();
        // The same idempotency key is another tenant's own.
        assertThat(globex.send(receipt().idempotencyKey(id.value()).build())).isNotEqualTo(id);
    }

    @Test
    void header_injection_is_refused_and_nothing_is_stored() {
        assertRefused("subject", () -> acme.send(receipt().subject("Hi\r\nBcc: victim@example.com").build()));
        assertRefused("headers.X-Campaign", () -> acme.send(receipt().header("X-Campaign", "a\nb").build()));
        assertRefused("headers", () -> acme.send(receipt().header("Bcc", "victim@example.com").build()));
        assertRefused("headers", () -> acme.send(receipt().header("X Bad", "v").build()));
        assertRefused("to.name", () -> acme.send(receipt().to("eve@example.com", "Eve\r\nBcc: x@example.com").build()));
        assertRefused("subject", () -> acme.send(receipt().subject("nul\0byte").build()));
    }

    @Test
    void a_header_line_longer_than_998_characters_with_its_name_is_refused_naming_the_header() {
        String name = "X-Campaign-Note";
        String fits = "v".repeat(998 - name.length() - 2);
        assertThat(acme.get(acme.send(receipt().header(name, fits).build())).headers()).containsEntry(name, fits);

        IrisxValidationException refused = refusal(() -> receipt().header(name, fits + "v"));
        assertThat(refused.field()).isEqualTo("headers." + name);
        assertThat(refused.getMessage()).contains("999 characters", "998");
    }

    @Test
    void a_credential_headers_value_is_never_shown_in_a_refusal() {
        String token = "Bearer sk_live_51Hx9Zq";
        IrisxValidationException injected = refusal(() -> receipt().header("Authorization", token + "\r\nBcc: x@y.z"));
        assertThat(injected.field()).isEqualTo("headers.Authorization");
        assertThat(injected.getMessage()).contains("****").doesNotContain("sk_live");
        assertThat(injected.rejectedValue()).doesNotContain("sk_live");
        IrisxValidationException tooLong = refusal(() -> receipt().header("X-Api-Key", "sk_live_" + "k".repeat(990)));
        assertThat(tooLong.getMessage()).contains("****").doesNotContain("sk_live");
    }

    @Test
    void after_the_runtime_is_closed_a_send_and_a_template_save_are_refused_and_nothing_is_stored() {
        fixture.irisx.close();

        assertThatThrownBy(() -> acme.send(receipt().build())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("this Irisx runtime is closed");
        assertThatThrownBy(() -> acme.templates().save("welcome", "Hi", "Hello", ""))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("this Irisx runtime is closed");
        assertThat(rows("irisx_email_messages")).isZero();
        assertThat(rows("irisx_email_templates")).isZero();
        assertThat(rows("irisx_outbox")).isZero();
    }

    private int rows(String table) {
        return fixture.database.withConnection(connection -> {
            try (java.sql.ResultSet rs = connection.createStatement().executeQuery("SELECT COUNT(*) FROM " + table)) {
                rs.next();
                return rs.getInt(1);
            }
        });
    }

    @Test
    void bad_addresses_and_missing_parts_are_refused() {
        assertRefused("to", () -> acme.send(receipt().to("not-an-address").build()));
        assertRefused("to", () -> acme.send(receipt().to("ada@localhost").build()));
        assertRefused("cc", () -> acme.send(receipt().cc("a b@example.com").build()));
        assertRefused("from", () -> acme.send(receipt().from("billing@@acme.example").build()));
        assertRefused("to", () -> acme.send(EmailMessage.builder().from("a@acme.example").subject("s").text("t").build()));
        assertRefused("subject", () -> acme.send(EmailMessage.builder().from("a@acme.example").to("b@example.com").text("t").build()));
        assertRefused("text", () -> acme.send(EmailMessage.builder().from("a@acme.example").to("b@example.com").subject("s").build()));
        assertRefused("idempotencyKey", () -> acme.send(receipt().idempotencyKey("line\nbreak").build()));
        assertRefused("attachment.filename", () -> Attachment.of("../etc/passwd", "text/plain", new byte[1]));
        assertRefused("attachment.contentType", () -> Attachment.of("a.txt", "text/plain; charset=utf-8\r\nX: y", new byte[1]));
    }

    @Test
    void every_stored_field_at_its_longest_is_stored_and_one_character_more_is_refused_before_the_database() {
        String name = "N".repeat(EmailAddress.MAX_NAME);
        String label = "l".repeat(64);
        String longest = "a".repeat(64) + "@" + "d".repeat(63) + ".example";
        MessageId id = acme.send(receipt().from("billing@acme.example", name).to("eve@example.com", name)
                .subject("s".repeat(EmailMessage.MAX_LINE)).header("X-" + "h".repeat(74), "v".repeat(900))
                .tag(label).metadata(label, "m".repeat(500)).idempotencyKey("k".repeat(255)).replyTo(longest)
                .attach(Attachment.inline("c".repeat(250), "f".repeat(255), "a".repeat(127) + "/" + "b".repeat(127),
                        new byte[1]))
                .build());
        assertThat(acme.get(id).from().name()).isEqualTo(name);
        assertThat(acme.get(id).idempotencyKey()).hasSize(255);

        IrisxValidationException fromName = refusal(() -> receipt().from("billing@acme.example", name + "N"));
        assertThat(fromName.field()).isEqualTo("from.name");
        assertThat(fromName.getMessage()).contains("NNNN", "999 characters");
        assertRefused("to.name", () -> receipt().to("eve@example.com", name + "N"));
        assertRefused("name", () -> EmailAddress.of("eve@example.com", name + "N"));
        assertRefused("subject", () -> receipt().subject("s".repeat(EmailMessage.MAX_LINE + 1)));
        assertRefused("tags", () -> receipt().tag(label + "l"));
        assertRefused("metadata", () -> receipt().metadata(label + "l", "v"));
        assertRefused("metadata." + label, () -> receipt().metadata(label, "m".repeat(501)));
        assertRefused("idempotencyKey", () -> receipt().idempotencyKey("k".repeat(256)));
        assertRefused("replyTo", () -> receipt().replyTo("a" + longest));
        assertRefused("attachment.filename", () -> Attachment.of("f".repeat(256), "text/plain", new byte[1]));
        assertRefused("attachment.contentId", () -> Attachment.inline("c".repeat(251), "f", "text/plain", new byte[1]));
        assertRefused("templateId", () -> receipt().template("t".repeat(65), Map.of()));
        assertThat(acme.list(EmailFilter.all(), PageRequest.first(10)).items()).hasSize(1);
    }

    @Test
    void a_variable_that_puts_nul_into_a_rendered_body_is_refused_and_nothing_is_stored() {
        acme.templates().save("welcome", "Welcome", "Hello {{name}}", "<p>{{name}}</p>");
        IrisxValidationException refused = refusal(() -> acme.send(EmailMessage.builder().from("hello@acme.example")
                .to("ada@example.com").template("welcome", Map.of("name", "Ada\0")).build()));
        assertThat(refused.field()).isEqualTo("text");
        assertThat(refused.getMessage()).contains("NUL");
        assertNothingStored();
    }

    @Test
    void size_caps_are_enforced_per_attachment_and_in_all() {
        EmailClient small = EmailClient.builder()
                .maxAttachmentBytes(1000).maxTotalBytes(1500).build(fixture.emailStore, fixture.irisx.outbox(), TenantId.of("acme"));

        IrisxValidationException one = refusal(() -> small.send(receipt()
                .attach(Attachment.of("big.bin", "application/octet-stream", new byte[1001])).build()));
        assertThat(one.field()).isEqualTo("attachments[0]");
        assertThat(one.rejectedValue()).contains("big.bin", "1001 bytes");

        IrisxValidationException all = refusal(() -> small.send(receipt()
                .attach(Attachment.of("a.bin", "application/octet-stream", new byte[800]))
                .attach(Attachment.of("b.bin", "application/octet-stream", new byte[800])).build()));
        assertThat(all.field()).isEqualTo("attachments");
        assertNothingStored();

        assertThatThrownBy(() -> EmailClient.builder().maxTotalBytes(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxTotalBytes").hasMessageContaining("0");
    }

    @Test
    void the_default_cap_is_ten_mebibytes() {
        byte[] tenMiB = new byte[10 * 1024 * 1024];
        assertRefused("attachments[0]", () -> acme.send(receipt().text("").html("<p>x</p>")
                .attach(Attachment.of("big.bin", "application/octet-stream", new byte[tenMiB.length + 1])).build()));
    }

    @Test
    void a_refused_recipient_throws_and_nothing_is_stored() {
        EmailClient filtered = EmailClient.builder()
                .recipientFilter((tenant, recipient) -> recipient.address().equals("cc@example.net")
                        ? Optional.of("unsubscribed") : Optional.empty())
                .build(fixture.emailStore, fixture.irisx.outbox(), TenantId.of("acme"));

        assertThatThrownBy(() -> filtered.send(receipt().build()))
                .isInstanceOfSatisfying(SuppressedRecipientException.class, e -> {
                    assertThat(e.recipient()).isEqualTo("cc@example.net");
                    assertThat(e.reason()).isEqualTo("unsubscribed");
                });
        assertNothingStored();
    }

    @Test
    void templates_keep_versions_and_render_the_latest_with_html_escaping() {
        EmailTemplates templates = acme.templates();
        EmailTemplate v1 = templates.save("welcome", "Welcome, {{name}}", "Hello {{name}}", "<p>Hello {{name}}</p>");
        EmailTemplate v2 = templates.save("welcome", "Welcome aboard, {{name}}", "Hi {{name}} & co",
                "<p>Hi {{name}}</p><p>{{{signature}}}</p>");

        assertThat(v1.version()).isEqualTo(1);
        assertThat(v2.version()).isEqualTo(2);
        assertThat(templates.versions("welcome")).extracting(EmailTemplate::version).containsExactly(1, 2);
        assertThat(templates.get("welcome", 1).subject()).isEqualTo("Welcome, {{name}}");
        assertThat(templates.list()).extracting(EmailTemplate::version).containsExactly(2);

        Map<String, Object> variables = Map.of("name", "Ada <script>", "signature", "<i>Acme</i>");
        RenderedEmail preview = templates.preview("welcome", variables);
        assertThat(preview.subject()).isEqualTo("Welcome aboard, Ada <script>");
        assertThat(preview.text()).isEqualTo("Hi Ada <script> & co");
        assertThat(preview.html()).isEqualTo("<p>Hi Ada &lt;script&gt;</p><p><i>Acme</i></p>");
        assertNothingStored();

        MessageId id = acme.send(EmailMessage.builder().from("hello@acme.example").to("ada@example.com")
                .template("welcome", variables).build());
        Email email = acme.get(id);
        assertThat(email.subject()).isEqualTo(preview.subject());
        assertThat(email.html()).isEqualTo(preview.html());
        assertThat(email.template()).contains(new Email.TemplateRef("welcome", 2));
    }

    @Test
    void a_missing_variable_is_an_error_unless_allowed() {
        acme.templates().save("welcome", "Welcome, {{name}}", "Your plan: {{plan}}", "");
        EmailMessage message = EmailMessage.builder().from("hello@acme.example").to("ada@example.com")
                .template("welcome", Map.of("name", "Ada")).build();

        IrisxValidationException missing = refusal(() -> acme.send(message));
        assertThat(missing.getMessage()).contains("plan");
        assertNothingStored();

        EmailClient lenient = EmailClient.builder()
                .allowMissingVariables(true).build(fixture.emailStore, fixture.irisx.outbox(), TenantId.of("acme"));
        assertThat(lenient.get(lenient.send(message)).text()).isEqualTo("Your plan: ");
    }

    @Test
    void a_variable_cannot_inject_a_header_through_the_subject() {
        acme.templates().save("welcome", "Welcome, {{name}}", "Hello", "");
        assertRefused("subject", () -> acme.send(EmailMessage.builder().from("hello@acme.example").to("ada@example.com")
                .template("welcome", Map.of("name", "Ada\r\nBcc: victim@example.com")).build()));
        assertRefused("templateId", () -> acme.send(EmailMessage.builder().from("hello@acme.example")
                .to("ada@example.com").template("nope", Map.of()).build()));
        assertRefused("subject", () -> acme.templates().save("bad", "{{#unclosed}}", "x", ""));
        assertNothingStored();
    }

    @Test
    void deleted_templates_are_gone_and_another_tenant_never_sees_them() {
        acme.templates().save("welcome", "Welcome", "Hello", "");
        assertThatThrownBy(() -> fixture.emailClient("globex").templates().get("welcome")).isInstanceOf(NotFoundException.class);
        acme.templates().delete("welcome");
        assertThatThrownBy(() -> acme.templates().get("welcome")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> acme.templates().delete("welcome")).isInstanceOf(NotFoundException.class);
        // Saved again from version 1, with new content that the renderer does not confuse with the old.
        acme.templates().save("welcome", "Welcome back", "Hi", "");
        assertThat(acme.templates().preview("welcome", Map.of()).subject()).isEqualTo("Welcome back");
    }

    @Test
    void listing_pages_newest_first_and_filters_by_status_and_time() {
        MessageId first = acme.send(receipt().build());
        fixture.clock.advance(Duration.ofMinutes(1));
        MessageId second = acme.send(receipt().build());
        fixture.clock.advance(Duration.ofMinutes(1));
        MessageId third = acme.send(receipt().build());

        Page<Email> page = acme.list(EmailFilter.all(), PageRequest.first(2));
        assertThat(page.items()).extracting(Email::id).containsExactly(third, second);
        assertThat(acme.list(EmailFilter.all(), PageRequest.after(page.nextCursor().orElseThrow(), 2)).items())
                .extracting(Email::id).containsExactly(first);
        assertThat(acme.list(EmailFilter.all().statuses(EmailStatus.SENT), PageRequest.first(10)).items()).isEmpty();
        assertThat(acme.list(EmailFilter.all().createdBetween(MessagingFixture.START.plusSeconds(30),
                MessagingFixture.START.plusSeconds(90)), PageRequest.first(10)).items()).extracting(Email::id)
                .containsExactly(second);
    }

    @Test
    void provider_reports_move_the_status_forward_only_and_each_is_stored_once() throws Exception {
        MessageId id = acme.send(receipt().build());
        Email queued = acme.get(id);
        assertThat(fixture.emailStore.markSent(queued, "resend", "re_123", 1, false, "accepted by resend as re_123")).isTrue();
        Instant at = MessagingFixture.START.plusSeconds(5);

        assertThat(fixture.emailStore.record(acme.tenant(), ProviderEvent.builder("resend", ProviderEvent.Kind.DELIVERED).providerMessageId("re_123").occurredAt(at).detail("250 OK").build())).isTrue();
        assertThat(fixture.emailStore.record(acme.tenant(), ProviderEvent.builder("resend", ProviderEvent.Kind.DELIVERED).providerMessageId("re_123").occurredAt(at).detail("250 OK").build())).isFalse();
        assertThat(fixture.emailStore.record(acme.tenant(), ProviderEvent.builder("resend", ProviderEvent.Kind.DEFERRED).providerMessageId("re_123").occurredAt(at.minusSeconds(3)).detail("").build()))
                .isTrue();
        // The late report replayed, as anyone holding a signed copy could: it is in the history already.
        for (int i = 0; i < 20; i++) {
            assertThat(fixture.emailStore.record(acme.tenant(),
                    ProviderEvent.builder("resend", ProviderEvent.Kind.DEFERRED).providerMessageId("re_123").occurredAt(at.minusSeconds(3)).detail("").build())).isFalse();
        }
        assertThat(fixture.emailStore.record(acme.tenant(), ProviderEvent.builder("resend", ProviderEvent.Kind.HARD_BOUNCE).providerMessageId("re_unknown").occurredAt(at).detail("").build())).isFalse();
        assertThat(fixture.emailStore.record(acme.tenant(), ProviderEvent.builder("postmark", ProviderEvent.Kind.HARD_BOUNCE).providerMessageId("re_123").occurredAt(at).detail("").build())).isFalse();

        assertThat(acme.get(id).status()).isEqualTo(EmailStatus.DELIVERED);
        // The late deferral is in the history, and leaves the status DELIVERED.
        assertThat(acme.history(id)).extracting(StatusChange::event).containsExactly(EventType.EMAIL_QUEUED,
                EventType.EMAIL_SENT, EventType.EMAIL_DEFERRED, EventType.EMAIL_DELIVERED);
        assertThat(acme.history(id)).extracting(StatusChange::status)
                .containsExactly(EmailStatus.QUEUED, EmailStatus.SENT, EmailStatus.DELIVERED, EmailStatus.DELIVERED);
        assertThat(fixture.events(EventType.EMAIL_DELIVERED)).singleElement()
                .satisfies(e -> assertThat(e.data()).contains("\"providerMessageId\":\"re_123\"", "250 OK"));
        assertThat(fixture.events(EventType.EMAIL_DEFERRED)).hasSize(1);
        // Already sent: a second acceptance changes nothing.
        assertThat(fixture.emailStore.markSent(queued, "resend", "re_456", 2, false, "again")).isFalse();
    }

    @Test
    void a_webhook_token_is_honoured_once_per_tenant_and_provider_until_it_is_pruned() {
        MessageId id = acme.send(receipt().build());
        assertThat(fixture.emailStore.markSent(acme.get(id), "mailgun", "mg-1", 1, false, "accepted")).isTrue();
        Instant at = fixture.clock.instant();
        Instant keepUntil = at.plusSeconds(300);
        ProviderEvent delivered = ProviderEvent.builder("mailgun", ProviderEvent.Kind.DELIVERED)
                .providerMessageId("mg-1").occurredAt(at).build();
        ProviderEvent unknown = ProviderEvent.builder("mailgun", ProviderEvent.Kind.DELIVERED)
                .providerMessageId("mg-unknown").occurredAt(at).build();

        assertThat(acme.recordOnce("mailgun", "tok-1", keepUntil, List.of(delivered, unknown))).hasValue(1);
        assertThat(acme.recordOnce("mailgun", "tok-1", keepUntil, List.of())).isEmpty();
        assertThat(fixture.emailClient("globex").recordOnce("mailgun", "tok-1", keepUntil, List.of())).hasValue(0);
        assertThat(acme.recordOnce("other", "tok-1", keepUntil, List.of())).hasValue(0);
        assertThat(acme.get(id).status()).isEqualTo(EmailStatus.DELIVERED);

        fixture.clock.advance(Duration.ofSeconds(301));
        assertThat(acme.clock().instant()).isEqualTo(fixture.clock.instant());
        assertThat(acme.recordOnce("mailgun", "tok-2", fixture.clock.instant().plusSeconds(300), List.of())).hasValue(0);
        // tok-1 was kept until 300 s after it was seen, and dropped when tok-2 came.
        assertThat(acme.recordOnce("mailgun", "tok-1", fixture.clock.instant().plusSeconds(300), List.of())).hasValue(0);
        assertThat(acme.recordOnce("mailgun", "tok-2", fixture.clock.instant().plusSeconds(300), List.of())).isEmpty();

        for (String token : List.of(" ", "t".repeat(256))) {
            assertThatThrownBy(() -> acme.recordOnce("mailgun", token, keepUntil, List.of()))
                    .isInstanceOfSatisfying(IrisxValidationException.class, e -> {
                        assertThat(e.field()).isEqualTo("token");
                        assertThat(e.getMessage()).doesNotContain("tttt");
                    });
        }
        assertThatThrownBy(() -> acme.recordOnce("sendgrid", "tok-3", keepUntil, List.of(delivered)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mailgun");
        assertThat(acme.recordOnce("sendgrid", "tok-3", keepUntil, List.of())).hasValue(0);
    }

    @Test
    void concurrent_status_updates_one_of_which_fails_leave_every_other_one_stored() throws Exception {
        List<Email> emails = new java.util.ArrayList<>();
        for (int i = 0; i < 24; i++) {
            emails.add(acme.get(acme.send(receipt().build())));
        }
        fixture.failNext(EventType.EMAIL_SENT);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        List<java.util.concurrent.Future<Boolean>> results = new java.util.ArrayList<>();
        for (Email email : emails) {
            results.add(pool.submit(() -> fixture.emailStore.markSent(email, "resend", "re_" + email.id().value(), 1,
                    false, "accepted")));
        }
        int failed = 0;
        for (java.util.concurrent.Future<Boolean> result : results) {
            try {
                assertThat(result.get()).isTrue();
            } catch (java.util.concurrent.ExecutionException e) {
                assertThat(e.getCause()).hasMessageContaining("the database connection was lost");
                failed++;
            }
        }
        pool.shutdown();

        assertThat(failed).isEqualTo(1);
        assertThat(emails).filteredOn(email -> acme.get(email.id()).status() == EmailStatus.SENT).hasSize(23);
        assertThat(emails).filteredOn(email -> acme.get(email.id()).status() == EmailStatus.QUEUED).singleElement()
                .satisfies(email -> assertThat(acme.history(email.id())).hasSize(1));
        assertThat(fixture.events(EventType.EMAIL_SENT)).hasSize(23);
    }

    private void assertNothingStored() {
        assertThat(acme.list(EmailFilter.all(), PageRequest.first(10)).items()).isEmpty();
        assertThat(fixture.events(EventType.EMAIL_QUEUED)).isEmpty();
    }

    private static void assertRefused(String field, Executable send) {
        assertThat(refusal(send).field()).isEqualTo(field);
    }

    private static IrisxValidationException refusal(Executable send) {
        try {
            send.execute();
        } catch (IrisxValidationException e) {
            return e;
        } catch (Throwable other) {
            throw new AssertionError("expected an IrisxValidationException, got " + other, other);
        }
        throw new AssertionError("expected an IrisxValidationException, nothing was thrown");
    }
}
