package io.irisx.messaging.email;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.irisx.core.PageRequest;
import io.irisx.core.IrisxValidationException;
import io.irisx.core.NotFoundException;
import io.irisx.core.TenantId;
import io.irisx.core.event.Event;
import io.irisx.core.event.EventType;
import io.irisx.core.id.MessageId;
import io.irisx.core.testing.TestDatabases;
import io.irisx.messaging.MessagingFixture;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Two tenants on one email store: every tenant-scoped API reaches the caller's own emails and templates only. */
@DisplayName("Email tenant isolation")
class EmailTenantIsolationTest {

    private MessagingFixture fixture;
    private EmailClient acme;
    private EmailClient globex;

    @BeforeEach
    void start() {
        fixture = new MessagingFixture(TestDatabases.h2());
        acme = fixture.emailClient("acme");
        globex = fixture.emailClient("globex");
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private static EmailMessage.Builder receipt() {
        return EmailMessage.builder().from("billing@acme.example").to("ada@example.com").subject("Your receipt")
                .text("Thank you.");
    }

    @Test
    @DisplayName("another tenant can neither get, list, nor read the attachments or history of an email")
    void emails() {
        MessageId id = acme.send(receipt()
                .attach(Attachment.of("receipt.txt", "text/plain", "paid".getBytes(StandardCharsets.UTF_8))).build());

        assertThatThrownBy(() -> globex.get(id)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> globex.attachments(id)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> globex.history(id)).isInstanceOf(NotFoundException.class);
        assertThat(globex.list(EmailFilter.all(), PageRequest.first(500)).items()).isEmpty();
        assertThat(globex.list(EmailFilter.all(), PageRequest.after(MessageId.generate().value(), 500)).items()).isEmpty();

        assertThat(acme.get(id).tenant()).isEqualTo(acme.tenant());
        assertThat(acme.attachments(id)).hasSize(1);
        assertThat(acme.history(id)).hasSize(1);
    }

    @Test
    @DisplayName("another tenant can neither get, list, version, preview, delete nor send with a template")
    void templates() {
        acme.templates().save("welcome", "Welcome", "Hello", "");
        acme.templates().save("welcome", "Welcome again", "Hello again", "");
        EmailTemplates theirs = globex.templates();

        assertThatThrownBy(() -> theirs.get("welcome")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> theirs.get("welcome", 1)).isInstanceOf(NotFoundException.class);
        assertThat(theirs.versions("welcome")).isEmpty();
        assertThat(theirs.list()).isEmpty();
        assertThatThrownBy(() -> theirs.preview("welcome", Map.of())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> theirs.delete("welcome")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> globex.send(EmailMessage.builder().from("hello@globex.example").to("ada@example.com")
                .template("welcome", Map.of()).build()))
                .isInstanceOfSatisfying(IrisxValidationException.class, e -> assertThat(e.field()).isEqualTo("templateId"));
        // The same id is the other tenant's own template, from version 1.
        assertThat(theirs.save("welcome", "Globex welcomes you", "Hi", "").version()).isEqualTo(1);

        assertThat(acme.templates().versions("welcome")).hasSize(2);
        assertThat(acme.templates().get("welcome").subject()).isEqualTo("Welcome again");
        assertThat(theirs.get("welcome").subject()).isEqualTo("Globex welcomes you");
    }

    @Test
    @DisplayName("a provider report changes only the addressed tenant's email, though both carry its message id")
    void providerReports() {
        MessageId ours = acme.send(receipt().build());
        MessageId theirs = globex.send(receipt().build());
        assertThat(fixture.emailStore.markSent(acme.get(ours), "resend", "re_shared", 1, false, "accepted")).isTrue();
        assertThat(fixture.emailStore.markSent(globex.get(theirs), "resend", "re_shared", 1, false, "accepted")).isTrue();
        Instant at = MessagingFixture.START.plusSeconds(5);

        assertThat(fixture.emailStore.record(globex.tenant(),
                ProviderEvent.builder("resend", ProviderEvent.Kind.DELIVERED).providerMessageId("re_shared").occurredAt(at).detail("250 OK").build())).isTrue();
        assertThat(globex.get(theirs).status()).isEqualTo(EmailStatus.DELIVERED);
        assertThat(acme.get(ours).status()).isEqualTo(EmailStatus.SENT);
        assertThat(acme.history(ours)).hasSize(2);
        assertThat(fixture.events(EventType.EMAIL_DELIVERED)).extracting(Event::tenant).containsExactly(globex.tenant());

        assertThat(fixture.emailStore.record(acme.tenant(),
                ProviderEvent.builder("resend", ProviderEvent.Kind.HARD_BOUNCE).providerMessageId("re_shared").occurredAt(at).detail("550 no such user").build())).isTrue();
        assertThat(acme.get(ours).status()).isEqualTo(EmailStatus.BOUNCED);
        assertThat(globex.get(theirs).status()).isEqualTo(EmailStatus.DELIVERED);
        assertThat(globex.history(theirs)).hasSize(3);

        assertThat(fixture.emailStore.record(TenantId.of("initech"),
                ProviderEvent.builder("resend", ProviderEvent.Kind.COMPLAINED).providerMessageId("re_shared").occurredAt(at).detail("").build())).isFalse();
        assertThat(acme.history(ours)).hasSize(3);
        assertThat(globex.history(theirs)).hasSize(3);
        assertThat(fixture.events(EventType.EMAIL_COMPLAINED)).isEmpty();
    }
}
