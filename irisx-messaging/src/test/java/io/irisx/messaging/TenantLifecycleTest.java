package io.irisx.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.irisx.core.PageRequest;
import io.irisx.core.TenantId;
import io.irisx.core.TenantSuspendedException;
import io.irisx.core.store.Database;
import io.irisx.core.testing.OnEachDialect;
import io.irisx.core.testing.TestDatabases;
import io.irisx.messaging.email.EmailClient;
import io.irisx.messaging.email.EmailFilter;
import io.irisx.messaging.email.EmailMessage;
import io.irisx.messaging.email.EmailStream;
import io.irisx.messaging.sms.SmsClient;
import io.irisx.messaging.sms.SmsMessage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;

/** A suspended tenant sends nothing; a deleted one leaves no email or SMS row behind, on each database. */
@OnEachDialect
class TenantLifecycleTest {

    private static final TenantId ACME = TenantId.of("acme");

    @Parameter
    Database.Dialect dialect;
    private MessagingFixture fixture;
    private EmailClient email;
    private SmsClient sms;

    @BeforeEach
    void start() {
        fixture = new MessagingFixture(TestDatabases.of(dialect));
        email = fixture.emailClient("acme");
        sms = fixture.smsClient("acme");
        fixture.irisx.tenants().create(ACME, "Acme", Map.of());
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private static EmailMessage mail() {
        return EmailMessage.builder().from("hello@acme.example").to("ada@example.com").subject("Hi").text("Hi").build();
    }

    private static SmsMessage text() {
        return SmsMessage.builder().to("+447400123456").from("+447400654321").body("Hi").build();
    }

    @Test
    void a_suspended_tenants_sends_are_refused_before_anything_is_stored_until_it_is_resumed() {
        fixture.irisx.tenants().suspend(ACME, "unpaid invoice");
        int events = fixture.events.size();

        assertThatThrownBy(() -> email.send(mail())).isInstanceOfSatisfying(TenantSuspendedException.class, e -> {
            assertThat(e.tenant()).isEqualTo(ACME);
            assertThat(e.getMessage()).isEqualTo("tenant acme is suspended: unpaid invoice");
        });
        assertThatThrownBy(() -> sms.send(text())).isInstanceOf(TenantSuspendedException.class);
        assertThat(email.list(EmailFilter.all(), PageRequest.first(10)).items()).isEmpty();
        assertThat(sms.list(PageRequest.first(10)).items()).isEmpty();
        assertThat(fixture.events).hasSize(events);
        // Another tenant sends as usual.
        assertThat(fixture.emailClient("globex").send(mail())).isNotNull();

        fixture.irisx.tenants().resume(ACME);
        assertThat(email.send(mail())).isNotNull();
        assertThat(sms.send(text())).isNotNull();
    }

    @Test
    void deleting_a_tenant_deletes_its_emails_messages_and_lists_and_no_one_elses() {
        email.send(mail());
        sms.send(text());
        email.suppressions().add("gone@example.com", EmailStream.MARKETING, "");
        email.templates().save("welcome", "Hi", "Hello", "<p>Hello</p>");
        EmailClient globex = fixture.emailClient("globex");
        globex.send(mail());
        fixture.database.inTransaction(connection -> connection.createStatement()
                .executeUpdate("UPDATE irisx_outbox SET status = 'DONE' WHERE tenant_id = 'acme'"));

        fixture.irisx.tenants().delete(ACME);

        assertThat(email.list(EmailFilter.all(), PageRequest.first(10)).items()).isEmpty();
        assertThat(sms.list(PageRequest.first(10)).items()).isEmpty();
        assertThat(email.suppressions().list(EmailStream.MARKETING, PageRequest.first(10)).items()).isEmpty();
        assertThat(email.templates().list()).isEmpty();
        for (String table : List.of("irisx_email_status_history", "irisx_sms_status_history", "irisx_outbox")) {
            long left = fixture.database.withConnection(connection -> {
                try (var rs = connection.createStatement().executeQuery("SELECT COUNT(*) FROM " + table
                        + " WHERE tenant_id = 'acme'")) {
                    rs.next();
                    return rs.getLong(1);
                }
            });
            assertThat(left).as(table).isZero();
        }
        assertThat(globex.list(EmailFilter.all(), PageRequest.first(10)).items()).hasSize(1);
    }
}
